"""A coding pass: one coder's events, ratings and episodes over one observation.

Every public command validates its input against the scheme and the current state (the rules that
span several records are in :mod:`coder.coding.rules`), plans the atomic writes it needs
(:mod:`coder.coding.changes`), commits them to the store in one transaction and only then updates
what the session shows (:mod:`coder.coding.state`). A bad command raises :class:`SessionError` and
changes nothing; a returned command is on disk. Each command is one undo step; undo and redo are
commands too, and just as durable.

Frames are indexes of the observation's first medium; a state is on from its onset frame up to,
not including, its offset frame.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import replace

from coder.coding.batch import Batch, plan_batch
from coder.coding.changes import Op, PutEpisode, PutEvent, PutRating, SetStatus
from coder.coding.computed import computed_name, computed_ops
from coder.coding.errors import SessionError
from coder.coding.qsort import QSortCommands
from coder.coding.rules import episode_clash, state_clash
from coder.coding.segments import segment_at
from coder.model import CodingStatus, Episode, Event, Rating, Stamp
from coder.scheme import Scale

__all__ = ["Session", "SessionError"]


class Session(QSortCommands):
    """One coding pass, with undoable, durable commands (Q-sort placements:
    :class:`~coder.coding.qsort.QSortCommands`)."""

    # -------------------------------------------------------------- events
    def start(
        self, code: str, frame: int, modifiers: Iterable[str] = (), comment: str = ""
    ) -> Event:
        """Start state ``code`` at ``frame``; in an exclusive group the open partner stops there."""
        behaviour = self._state_behaviour(code)
        onset = self.stamp(frame)
        frame = onset.frame
        if frame == self.timebase.frame_count:
            raise SessionError("a state cannot start at the end of the video")
        if (open_event := self.open_state(code)) is not None:
            raise SessionError(
                f"{behaviour.name} is already on since frame {open_event.onset.frame}"
            )
        ops: list[Op] = []
        closing: set[int] = set()
        for partner in self.scheme.exclusive_partners(code):
            other = self.open_state(partner)
            if other is None:
                continue
            if other.onset.frame >= frame:
                raise SessionError(
                    f"{self.scheme.name_of(partner)} is on since frame {other.onset.frame}, "
                    f"not before frame {frame}: "
                    f"stop it first or go later"
                )
            ops.append(self._stop_op(other, frame))
            closing.add(other.id or -1)
        self._require_free(code, frame, None, ignore=closing)
        event = Event(
            code,
            behaviour.subject,
            onset,
            None,
            True,
            self._modifiers(behaviour, modifiers),
            _comment_text(comment),
        )
        ops.append(PutEvent(None, event))
        label = f"Start {behaviour.name}" if len(ops) == 1 else f"Switch to {behaviour.name}"
        return self._event_result(self._run(label, ops))

    def stop(self, code: str, frame: int) -> Event:
        """Stop open state ``code`` at ``frame``, the first frame it is off; on the last frame
        it stops at the end of the media (see :meth:`stop_frame`)."""
        behaviour = self._state_behaviour(code)
        event = self.open_state(code)
        if event is None:
            raise SessionError(f"{behaviour.name} is not on, so it cannot be stopped")
        ops: list[Op] = [self._stop_op(event, self.stop_frame(frame))]
        return self._event_result(self._run(f"Stop {behaviour.name}", ops))

    def toggle(self, code: str, frame: int) -> Event:
        """Start or stop a state, or log a point: what a behaviour key does."""
        behaviour = self._behaviour(code)
        if not behaviour.is_state:
            return self.point(code, frame)
        if self.open_state(code) is not None:
            return self.stop(code, frame)
        return self.start(code, frame)

    def point(
        self, code: str, frame: int, modifiers: Iterable[str] = (), comment: str = ""
    ) -> Event:
        """Log point event ``code`` at ``frame``."""
        behaviour = self._behaviour(code)
        if behaviour.is_state:
            raise SessionError(f"{behaviour.name} is a state; start and stop it instead")
        onset = self.stamp(frame)
        if onset.frame == self.timebase.frame_count:
            raise SessionError("a point cannot be logged after the last frame")
        event = Event(
            code,
            behaviour.subject,
            onset,
            None,
            False,
            self._modifiers(behaviour, modifiers),
            _comment_text(comment),
        )
        return self._event_result(self._run(f"Log {behaviour.name}", [PutEvent(None, event)]))

    def stop_all(self, frame: int) -> list[Event]:
        """Stop every open state at ``frame`` as one undo step (on the last frame: at the end
        of the media); returns the stopped events."""
        frame = self.stop_frame(frame)
        ops: list[Op] = [self._stop_op(event, frame) for event in self.open_states]
        if not ops:
            return []
        done = self._run("Stop all open states", ops)
        return [op.after for op in done if isinstance(op, PutEvent) and op.after is not None]

    def edit_event(
        self,
        event_id: int,
        *,
        onset_frame: int | None = None,
        offset_frame: int | None = None,
        behaviour: str | None = None,
        modifiers: Iterable[str] | None = None,
        comment: str | None = None,
    ) -> Event:
        """Change an event's onset, offset, code, modifiers or comment (one undo step)."""
        old = self.event(event_id)
        code = old.behaviour if behaviour is None else behaviour
        new_behaviour = self._behaviour(code)
        if new_behaviour.is_state != old.is_state:
            kind = "state" if old.is_state else "point"
            raise SessionError(
                f"{new_behaviour.name} is not a {kind} event, so "
                f"{self.scheme.name_of(old.behaviour)} cannot become it"
            )
        onset = old.onset if onset_frame is None else self.stamp(onset_frame)
        offset = old.offset if offset_frame is None else self.stamp(offset_frame)
        if not old.is_state and offset_frame is not None:
            raise SessionError("a point event has no offset")
        if onset.frame == self.timebase.frame_count:
            raise SessionError("an event cannot start at the end of the video")
        if offset is not None and offset.frame <= onset.frame:
            raise SessionError(
                f"the offset (frame {offset.frame}) must come after the onset (frame {onset.frame})"
            )
        if old.is_state:
            self._require_free(code, onset.frame, offset.frame if offset else None, {event_id})
        mods = old.modifiers if modifiers is None else self._modifiers(new_behaviour, modifiers)
        new = replace(
            old,
            behaviour=code,
            subject=new_behaviour.subject,
            onset=onset,
            offset=offset,
            modifiers=mods,
            comment=old.comment if comment is None else _comment_text(comment),
        )
        if new == old:
            return old
        return self._event_result(self._run(f"Edit {new_behaviour.name}", [PutEvent(old, new)]))

    def nudge(self, event_id: int, boundary: str, frames: int) -> Event:
        """Move an event's ``"onset"`` or ``"offset"`` by ``frames`` frames."""
        event = self.event(event_id)
        if boundary == "onset":
            return self.edit_event(event_id, onset_frame=event.onset.frame + frames)
        if boundary == "offset":
            if event.offset is None:
                raise SessionError(f"{self.scheme.name_of(event.behaviour)} has no offset yet")
            return self.edit_event(event_id, offset_frame=event.offset.frame + frames)
        raise SessionError(f"unknown boundary {boundary!r} (use 'onset' or 'offset')")

    def delete_event(self, event_id: int) -> None:
        old = self.event(event_id)
        known = self.scheme.has_behaviour(old.behaviour)
        name = self.scheme.behaviour(old.behaviour).name if known else old.behaviour
        self._run(f"Delete {name}", [PutEvent(old, None)])

    def apply_batch(self, batch: Batch, label: str = "") -> tuple[Event, ...]:
        """Add many events, ratings and episodes as one command: one transaction, one undo
        step. Every item is checked by the rules of the single commands, against the pass and
        the rest of the batch; any problem refuses the whole batch with a
        :class:`~coder.coding.batch.BatchError` listing them all. Returns the new events."""
        if self._state.status is CodingStatus.DONE:
            raise SessionError("this pass is marked done; reopen it to change it")
        ops = plan_batch(
            self.scheme, self.timebase, self._events, self._ratings, self._episodes, batch
        )
        if not ops:
            return ()
        done = self._run(label or f"Add {len(batch)} records", ops)
        return tuple(op.after for op in done if isinstance(op, PutEvent) and op.after is not None)

    # ------------------------------------------------------------- ratings
    def rate(
        self, scale: str, value: object, segment: str | None = None, comment: str | None = None
    ) -> Rating:
        """Rate ``scale`` in ``segment`` (default: the whole session).

        ``comment`` None keeps the comment a rating already has (a new value from a key
        press does not wipe it); text, even empty, replaces it. Computed scales that ``scale``
        is a component of follow in the same step.
        """
        definition = self._rated_scale(scale)
        segment = self._segment_code(scale, segment)
        span = f"{definition.min:g}–{definition.max:g} in steps of {definition.step:g}"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise SessionError(f"{_short(value)} is not a number; {scale} takes {span}")
        try:
            number = float(value)
        except OverflowError:
            raise SessionError(f"{_short(value)} is not a value of {scale} ({span})") from None
        if not definition.accepts(number):
            raise SessionError(f"{number:g} is not a value of {scale} ({span})")
        before = self._ratings.get((scale, segment))
        if comment is None:
            comment = "" if before is None else before.comment
        after = Rating(scale, segment, number, _comment_text(comment))
        if before == after:
            return before
        ops: list[Op] = [PutRating(before, after)]
        ops.extend(computed_ops(self.scheme, self._ratings, [PutRating(before, after)]))
        self._run(f"Rate {definition.name} {number:g}", ops)
        return after

    def rate_digit(self, scale: str, digit: int, frame: int, segment: str | None = None) -> Rating:
        """A digit key on ``scale``: the digit's value (0 is 10 on a scale that has 10 and
        no 0) in ``segment``, or else in the most specific segment at ``frame``."""
        definition = self._rated_scale(scale)
        if segment is None:
            found = segment_at(self.segments(scale), self.stamp(frame).us)
            if found is None:
                raise SessionError(
                    f"frame {frame} is in none of the segments {definition.name} is rated on; "
                    "choose one"
                )
            segment = found.code
        value = float(digit)
        if digit == 0 and not definition.accepts(0.0) and definition.accepts(10.0):
            value = 10.0
        return self.rate(scale, value, segment)

    def clear_rating(self, scale: str, segment: str | None = None) -> None:
        definition = self._rated_scale(scale)
        segment = self._segment_code(scale, segment)
        before = self._ratings.get((scale, segment))
        if before is None:
            raise SessionError(f"{scale} has no rating in {segment}")
        ops: list[Op] = [PutRating(before, None)]
        ops.extend(computed_ops(self.scheme, self._ratings, [PutRating(before, None)]))
        self._run(f"Clear {definition.name}", ops)

    def _rated_scale(self, scale: str) -> Scale:
        """A scale a coder rates: neither computed nor the pile of a Q-sort item."""
        definition = self._scale(scale)
        if definition.is_computed:
            raise SessionError(
                f"{definition.name} is computed as {computed_name(self.scheme, definition)}; "
                "rate those and it follows"
            )
        if self.scheme.qsort_placement(scale) is not None:
            raise SessionError(f"{scale} is a Q-sort item: place it in a pile instead")
        return definition

    # ------------------------------------------------------------ episodes
    def start_episode(self, code: str, frame: int) -> Episode:
        """Mark the start of episode ``code``; a running episode ends at the same frame."""
        self._episode_definition(code)
        if code in self._episodes:
            raise SessionError(
                f"episode {self.scheme.name_of(code)} is already marked; move or delete it instead"
            )
        start = self._episode_start(frame)
        ops = self._end_running_episodes(start)
        episode = Episode(code, start)
        self._require_episode_free(episode, {op.code for op in ops if isinstance(op, PutEpisode)})
        ops.append(PutEpisode(None, episode))
        self._run(f"Start episode {code}", ops)
        return episode

    def start_next_episode(self, frame: int) -> Episode:
        """Start the first episode of the scheme not marked yet (the ``[`` key)."""
        marked = set(self._episodes)
        pending = [e for e in self.scheme.segments.episodes if e.code not in marked]
        if not pending:
            raise SessionError("every episode of the scheme is marked already")
        return self.start_episode(pending[0].code, frame)

    def end_running_episode(self, frame: int) -> Episode:
        """End the episode that is running (the ``]`` key)."""
        running = [e for e in self.episodes if e.is_open]
        if not running:
            raise SessionError("no episode is running")
        return self.end_episode(running[-1].code, frame)

    def end_episode(self, code: str, frame: int) -> Episode:
        episode = self._episodes.get(code)
        if episode is None or not episode.is_open:
            raise SessionError(f"episode {self.scheme.name_of(code)} is not running")
        return self.mark_episode(code, episode.start.frame, self.stop_frame(frame))

    def mark_episode(self, code: str, start_frame: int, end_frame: int | None) -> Episode:
        """Set episode ``code`` to run from ``start_frame`` to ``end_frame`` (exclusive)."""
        self._episode_definition(code)
        start = self._episode_start(start_frame)
        end = None if end_frame is None else self.stamp(end_frame)
        if end is not None and end.frame <= start.frame:
            raise SessionError(
                f"episode {self.scheme.name_of(code)} must end after it starts "
                f"(frame {start.frame})"
            )
        episode = Episode(code, start, end)
        self._require_episode_free(episode)
        before = self._episodes.get(code)
        if before == episode:
            return episode
        self._run(f"Mark episode {code}", [PutEpisode(before, episode)])
        return episode

    def delete_episode(self, code: str) -> None:
        before = self._episodes.get(code)
        if before is None:
            raise SessionError(f"episode {self.scheme.name_of(code)} is not marked")
        self._run(f"Delete episode {code}", [PutEpisode(before, None)])

    # -------------------------------------------------------------- status
    def mark_done(self, close_open_at: int | None = None) -> None:
        """Mark the pass done; open states (and a running episode) are refused unless
        ``close_open_at`` names the frame to stop them at."""
        if self._state.status is CodingStatus.DONE:
            raise SessionError("this pass is already marked done")
        ops: list[Op] = []
        open_states = self.open_states
        running = [e for e in self._episodes.values() if e.is_open]
        if (open_states or running) and close_open_at is None:
            names = ", ".join(
                [
                    f"{self.scheme.name_of(e.behaviour)} (since frame {e.onset.frame})"
                    for e in open_states
                ]
                + [f"episode {self.scheme.name_of(e.code)}" for e in running]
            )
            raise SessionError(f"these are still open: {names}; stop them first")
        if lacking := self.lacking_modifiers():
            listed = ", ".join(
                f"{self.scheme.behaviour(e.behaviour).name} at frame {e.onset.frame}"
                for e in lacking[:3]
            )
            more = f" and {len(lacking) - 3} more" if len(lacking) > 3 else ""
            raise SessionError(f"a modifier is required but not chosen: {listed}{more}")
        if (refusal := self.qsort_refusal()) is not None:
            raise SessionError(refusal)
        if close_open_at is not None:
            close_open_at = self.stop_frame(close_open_at)
            ops.extend(self._stop_op(e, close_open_at) for e in open_states)
            ops.extend(self._end_running_episodes(self.stamp(close_open_at)))
        ops.append(SetStatus(self._state.status, CodingStatus.DONE))
        self._run("Mark pass done", ops, allow_done=True)

    def lacking_modifiers(self) -> list[Event]:
        """Events of behaviours whose modifier is required, coded without one (by onset)."""
        required = {b.code for b in self.scheme.behaviours if b.modifier_required}
        if not required:
            return []
        return [e for e in self.events if e.behaviour in required and not e.modifiers]

    def reopen(self) -> None:
        """Set a done pass back to in progress."""
        if self._state.status is not CodingStatus.DONE:
            raise SessionError("this pass is not marked done")
        self._run("Reopen pass", [SetStatus(self._state.status, CodingStatus.IN_PROGRESS)], True)

    def stop_frame(self, frame: int) -> int:
        """Where a state stopped with ``frame`` on screen ends.

        An offset is the instant a state ends: the start of the first frame it is off. No frame
        follows the last one, so a stop while the last frame is shown ends the state with the
        media (offset ``frame_count``, at the media's duration, which is the last frame's end).
        """
        frame = self.stamp(frame).frame
        last = self.timebase.frame_count - 1
        return self.timebase.frame_count if frame == last else frame

    # ------------------------------------------------------------ rules
    def _stop_op(self, event: Event, frame: int) -> PutEvent:
        offset = self.stamp(frame)
        if offset.frame <= event.onset.frame:
            raise SessionError(
                f"{self.scheme.name_of(event.behaviour)} started at frame {event.onset.frame}; "
                "it can only stop after it"
            )
        self._require_free(event.behaviour, event.onset.frame, offset.frame, {event.id or -1})
        return PutEvent(event, replace(event, offset=offset))

    def _require_free(self, code: str, onset: int, offset: int | None, ignore: set[int]) -> None:
        """Refuse a state span that would overlap itself or a partner in an exclusive group."""
        reason = state_clash(self.scheme, self._events, code, onset, offset, ignore)
        if reason is not None:
            raise SessionError(reason)

    def _episode_start(self, frame: int) -> Stamp:
        start = self.stamp(frame)
        if start.frame == self.timebase.frame_count:
            raise SessionError("an episode cannot start at the end of the video")
        return start

    def _end_running_episodes(self, end: Stamp) -> list[Op]:
        """Ops that end every running episode at ``end``, each checked against the others."""
        ops: list[Op] = []
        for running in [e for e in self._episodes.values() if e.is_open]:
            if running.start.frame >= end.frame:
                raise SessionError(
                    f"episode {running.code} starts at frame {running.start.frame}, "
                    f"so it cannot end at frame {end.frame}"
                )
            ended = replace(running, end=end)
            self._require_episode_free(ended)
            ops.append(PutEpisode(running, ended))
        return ops

    def _require_episode_free(self, episode: Episode, ignore: Iterable[str] = ()) -> None:
        reason = episode_clash(self._episodes.values(), episode, ignore)
        if reason is not None:
            raise SessionError(reason)


def _comment_text(comment: object) -> str:
    """A comment as stored: None is no comment; anything but text is refused."""
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise SessionError(f"a comment is text, not {type(comment).__name__}")
    return comment


def _short(value: object, limit: int = 40) -> str:
    """``value`` as text of at most ``limit`` characters (a 400-digit number is cut)."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
