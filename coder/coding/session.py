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
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from coder.coding.batch import Batch, plan_batch
from coder.coding.changes import Change, Op, PutEpisode, PutEvent, PutRating, SetStatus
from coder.coding.errors import SessionError
from coder.coding.rules import episode_clash, state_clash
from coder.coding.segments import SESSION, rating_segments
from coder.coding.state import PassState, write_ops
from coder.model import CodingInfo, CodingStatus, Episode, Event, Rating, Segment, Stamp
from coder.scheme import Behaviour, Scale, Scheme
from coder.store.base import CodingStore
from coder.timebase import TimeBase

Listener = Callable[[Change], None]


@dataclass(frozen=True, slots=True)
class _Step:
    label: str
    ops: tuple[Op, ...]


class Session:
    """One coding pass, with undoable, durable commands."""

    def __init__(
        self, store: CodingStore, coding: CodingInfo, scheme: Scheme, timebase: TimeBase
    ) -> None:
        self._store = store
        self._info = coding
        self.scheme = scheme
        self.timebase = timebase
        self._revision = store.revision(coding.id)  # read first: a write in between shows
        self._state = PassState.load(store, coding)
        self._events = self._state.events
        self._ratings = self._state.ratings
        self._episodes = self._state.episodes
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._listeners: list[Listener] = []

    # ----------------------------------------------------------------- state
    @property
    def coding_id(self) -> int:
        return self._info.id

    @property
    def info(self) -> CodingInfo:
        return replace(self._info, status=self._state.status)

    @property
    def status(self) -> CodingStatus:
        return self._state.status

    @property
    def events(self) -> tuple[Event, ...]:
        """All events, by onset frame (then by id)."""
        return self._events.ordered()

    def event(self, event_id: int) -> Event:
        try:
            return self._events.get(event_id)
        except KeyError:
            raise SessionError(f"there is no event {event_id} in this pass") from None

    @property
    def open_states(self) -> tuple[Event, ...]:
        return self._events.open_events()

    def open_state(self, code: str) -> Event | None:
        return self._events.open_event(code)

    @property
    def ratings(self) -> tuple[Rating, ...]:
        return tuple(self._ratings[k] for k in sorted(self._ratings))

    def rating(self, scale: str, segment: str = SESSION) -> Rating | None:
        return self._ratings.get((scale, segment))

    @property
    def episodes(self) -> tuple[Episode, ...]:
        return tuple(sorted(self._episodes.values(), key=lambda e: e.start.frame))

    def segments(self, scale: str) -> list[Segment]:
        """The segments ``scale`` is rated on (whole session, intervals, episodes)."""
        return rating_segments(
            self.scheme, self._scale(scale), self.timebase.duration_us, self._episodes
        )

    def stamp(self, frame: int) -> Stamp:
        """The instant of ``frame``; ``frame_count`` itself means the end of the media."""
        frame = _frame_index(frame)
        count = self.timebase.frame_count
        if frame == count:
            return Stamp(frame, self.timebase.duration_us)
        if not 0 <= frame < count:
            raise SessionError(f"frame {frame} is outside the video (0..{count - 1})")
        return Stamp(frame, self.timebase.pts_us(frame))

    # ----------------------------------------------------------- observers
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with a :class:`Change` after every command; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # ------------------------------------------------------------- undo/redo
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    @property
    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def undo(self) -> str:
        """Undo the last command; returns its label. Raises SessionError when there is none."""
        if not self._undo:
            raise SessionError("there is nothing to undo")
        step = self._undo[-1]
        inverse = self._write(tuple(op.inverse() for op in reversed(step.ops)))
        self._redo.append(self._undo.pop())
        self._notify(Change.of(step.label, "undo", inverse))
        return step.label

    def redo(self) -> str:
        """Redo the last undone command; returns its label."""
        if not self._redo:
            raise SessionError("there is nothing to redo")
        step = self._redo[-1]
        self._write(step.ops)
        self._undo.append(self._redo.pop())
        self._notify(Change.of(step.label, "redo", step.ops))
        return step.label

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
            raise SessionError(f"{code} is already on since frame {open_event.onset.frame}")
        ops: list[Op] = []
        closing: set[int] = set()
        for partner in self.scheme.exclusive_partners(code):
            other = self.open_state(partner)
            if other is None:
                continue
            if other.onset.frame >= frame:
                raise SessionError(
                    f"{partner} is on since frame {other.onset.frame}, not before frame {frame}: "
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
            comment,
        )
        ops.append(PutEvent(None, event))
        label = f"Start {behaviour.name}" if len(ops) == 1 else f"Switch to {behaviour.name}"
        return self._event_result(self._run(label, ops))

    def stop(self, code: str, frame: int) -> Event:
        """Stop open state ``code`` at ``frame`` (the first frame it is off)."""
        behaviour = self._state_behaviour(code)
        event = self.open_state(code)
        if event is None:
            raise SessionError(f"{code} is not on, so it cannot be stopped")
        ops = [self._stop_op(event, frame)]
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
            raise SessionError(f"{code} is a state; start and stop it instead")
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
            comment,
        )
        return self._event_result(self._run(f"Log {behaviour.name}", [PutEvent(None, event)]))

    def stop_all(self, frame: int) -> list[Event]:
        """Stop every open state at ``frame`` as one undo step; returns the stopped events."""
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
            raise SessionError(f"{code} is not a {kind} event, so {old.behaviour} cannot become it")
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
            comment=old.comment if comment is None else comment,
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
                raise SessionError(f"{event.behaviour} has no offset yet")
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
        self, scale: str, value: float, segment: str | None = None, comment: str | None = None
    ) -> Rating:
        """Rate ``scale`` in ``segment`` (default: the whole session).

        ``comment`` None keeps the comment a rating already has (a new value from a key
        press does not wipe it); text, even empty, replaces it.
        """
        definition = self._scale(scale)
        segment = self._segment_code(scale, segment)
        span = f"{definition.min:g}–{definition.max:g} in steps of {definition.step:g}"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise SessionError(f"{value!r} is not a number; {scale} takes {span}")
        value = float(value)
        if not definition.accepts(value):
            raise SessionError(f"{value:g} is not a value of {scale} ({span})")
        before = self._ratings.get((scale, segment))
        if comment is None:
            comment = "" if before is None else before.comment
        after = Rating(scale, segment, value, comment)
        if before == after:
            return before
        self._run(f"Rate {definition.name} {value:g}", [PutRating(before, after)])
        return after

    def clear_rating(self, scale: str, segment: str | None = None) -> None:
        definition = self._scale(scale)
        segment = self._segment_code(scale, segment)
        before = self._ratings.get((scale, segment))
        if before is None:
            raise SessionError(f"{scale} has no rating in {segment}")
        self._run(f"Clear {definition.name}", [PutRating(before, None)])

    # ------------------------------------------------------------ episodes
    def start_episode(self, code: str, frame: int) -> Episode:
        """Mark the start of episode ``code``; a running episode ends at the same frame."""
        self._episode_definition(code)
        if code in self._episodes:
            raise SessionError(f"episode {code} is already marked; move or delete it instead")
        start = self._episode_start(frame)
        ops = self._end_running_episodes(start)
        episode = Episode(code, start)
        self._require_episode_free(episode, {op.code for op in ops})
        ops.append(PutEpisode(None, episode))
        self._run(f"Start episode {code}", ops)
        return episode

    def end_episode(self, code: str, frame: int) -> Episode:
        episode = self._episodes.get(code)
        if episode is None or not episode.is_open:
            raise SessionError(f"episode {code} is not running")
        return self.mark_episode(code, episode.start.frame, frame)

    def mark_episode(self, code: str, start_frame: int, end_frame: int | None) -> Episode:
        """Set episode ``code`` to run from ``start_frame`` to ``end_frame`` (exclusive)."""
        self._episode_definition(code)
        start = self._episode_start(start_frame)
        end = None if end_frame is None else self.stamp(end_frame)
        if end is not None and end.frame <= start.frame:
            raise SessionError(f"episode {code} must end after it starts (frame {start.frame})")
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
            raise SessionError(f"episode {code} is not marked")
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
                [f"{e.behaviour} (since frame {e.onset.frame})" for e in open_states]
                + [f"episode {e.code}" for e in running]
            )
            raise SessionError(f"these are still open: {names}; stop them first")
        if close_open_at is not None:
            ops.extend(self._stop_op(e, close_open_at) for e in open_states)
            ops.extend(self._end_running_episodes(self.stamp(close_open_at)))
        ops.append(SetStatus(self._state.status, CodingStatus.DONE))
        self._run("Mark pass done", ops, allow_done=True)

    def reopen(self) -> None:
        """Set a done pass back to in progress."""
        if self._state.status is not CodingStatus.DONE:
            raise SessionError("this pass is not marked done")
        self._run("Reopen pass", [SetStatus(self._state.status, CodingStatus.IN_PROGRESS)], True)

    # ------------------------------------------------------------ internals
    def _behaviour(self, code: str) -> Behaviour:
        if not self.scheme.has_behaviour(code):
            raise SessionError(f"{code!r} is not a behaviour of the scheme {self.scheme.name!r}")
        return self.scheme.behaviour(code)

    def _state_behaviour(self, code: str) -> Behaviour:
        behaviour = self._behaviour(code)
        if not behaviour.is_state:
            raise SessionError(f"{code} is a point event; log it with point()")
        return behaviour

    def _scale(self, code: str) -> Scale:
        if not self.scheme.has_scale(code):
            raise SessionError(f"{code!r} is not a rating scale of the scheme {self.scheme.name!r}")
        return self.scheme.scale(code)

    def _segment_code(self, scale: str, segment: str | None) -> str:
        codes = [s.code for s in self.segments(scale)]
        if segment is None:
            if SESSION in codes:
                return SESSION
            raise SessionError(f"{scale} is not rated on the whole session; name a segment")
        if segment not in codes:
            raise SessionError(
                f"{scale} is not rated on {segment!r} (it is rated on: {', '.join(codes)})"
            )
        return segment

    def _episode_definition(self, code: str) -> None:
        if not any(e.code == code for e in self.scheme.segments.episodes):
            raise SessionError(f"{code!r} is not an episode of the scheme {self.scheme.name!r}")

    def _modifiers(self, behaviour: Behaviour, modifiers: Iterable[str]) -> tuple[str, ...]:
        """The chosen modifiers (one may be given as plain text), each allowed and given once."""
        chosen = (modifiers,) if isinstance(modifiers, str) else tuple(modifiers)
        for i, value in enumerate(chosen):
            if value not in behaviour.modifiers:
                allowed = ", ".join(behaviour.modifiers) or "none"
                raise SessionError(f"{value!r} is not a modifier of {behaviour.code} ({allowed})")
            if value in chosen[:i]:
                raise SessionError(f"{value!r} is given twice")
        return chosen

    def _stop_op(self, event: Event, frame: int) -> PutEvent:
        offset = self.stamp(frame)
        if offset.frame <= event.onset.frame:
            raise SessionError(
                f"{event.behaviour} started at frame {event.onset.frame}; it can only stop after it"
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

    def _run(self, label: str, ops: list[Op], allow_done: bool = False) -> tuple[Op, ...]:
        if self._state.status is CodingStatus.DONE and not allow_done:
            raise SessionError("this pass is marked done; reopen it to change it")
        done = self._write(tuple(ops))
        self._undo.append(_Step(label, done))
        self._redo.clear()
        self._notify(Change.of(label, "do", done))
        return done

    def _write(self, ops: tuple[Op, ...]) -> tuple[Op, ...]:
        """Commit ``ops`` in one transaction, then apply them to memory; returns them with ids.

        A pass written elsewhere since this session last saw it (another window or program
        has it open) is refused: what this session shows is out of date.
        """
        store, coding_id = self._store, self._info.id
        with store.transaction():
            if store.revision(coding_id) != self._revision:
                raise SessionError(
                    "this pass was changed elsewhere since it was opened here (is it open in "
                    "another window or program?); open it again to go on"
                )
            done = write_ops(store, coding_id, ops)
            revision = store.revision(coding_id)
        self._revision = revision
        for op in done:
            self._state.apply(op)
        return done

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    @staticmethod
    def _event_result(ops: tuple[Op, ...]) -> Event:
        last = ops[-1]
        assert isinstance(last, PutEvent)
        assert last.after is not None
        return last.after


def _frame_index(frame: object) -> int:
    """``frame`` as a plain int (NumPy integers too); anything else is refused."""
    if not isinstance(frame, bool):
        try:
            return operator.index(frame)  # type: ignore[call-overload]
        except TypeError:
            pass
    raise SessionError(f"frame {frame!r} is not a whole frame index")
