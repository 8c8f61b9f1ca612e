"""A coding pass: one coder's events, ratings and episodes over one observation.

Every public command validates its input against the scheme and the current state, plans the
atomic writes it needs (:mod:`coder.changes`), commits them to the store in one transaction and
only then updates what the session shows. A bad command raises :class:`SessionError` and changes
nothing; a returned command is on disk. Each command is one undo step; undo and redo are
commands too, and just as durable.

Frames are indexes of the observation's first medium; a state is on from its onset frame up to,
not including, its offset frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from coder.changes import Change, Op, PutEpisode, PutEvent, PutRating, SetStatus
from coder.event_index import EventIndex
from coder.model import CodingInfo, CodingStatus, Episode, Event, Rating, Segment, Stamp
from coder.scheme import Behaviour, Scale, Scheme
from coder.segments import SESSION, rating_segments
from coder.store.base import CodingStore
from coder.timebase import TimeBase

Listener = Callable[[Change], None]


class SessionError(ValueError):
    """A coding command that cannot be carried out; nothing was changed."""


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
        self._events = EventIndex(store.load_events(coding.id))
        self._ratings = {(r.scale, r.segment): r for r in store.load_ratings(coding.id)}
        self._episodes = {e.code: e for e in store.load_episodes(coding.id)}
        self._status = coding.status
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._listeners: list[Listener] = []

    # ----------------------------------------------------------------- state
    @property
    def coding_id(self) -> int:
        return self._info.id

    @property
    def info(self) -> CodingInfo:
        return replace(self._info, status=self._status)

    @property
    def status(self) -> CodingStatus:
        return self._status

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
        self._write(tuple(op.inverse() for op in reversed(step.ops)))
        self._redo.append(self._undo.pop())
        self._notify(Change.of(step.label, "undo", step.ops))
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
        if onset.frame == self.timebase.frame_count:
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

    # ------------------------------------------------------------- ratings
    def rate(
        self, scale: str, value: float, segment: str | None = None, comment: str = ""
    ) -> Rating:
        """Rate ``scale`` in ``segment`` (default: the whole session)."""
        definition = self._scale(scale)
        segment = self._segment_code(scale, segment)
        if not definition.accepts(value):
            raise SessionError(
                f"{value:g} is not a value of {scale} ({definition.min:g}–{definition.max:g} "
                f"in steps of {definition.step:g})"
            )
        before = self._ratings.get((scale, segment))
        after = Rating(scale, segment, float(value), comment)
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
        start = self.stamp(frame)
        ops: list[Op] = []
        for running in self._episodes.values():
            if running.is_open:
                if running.start.frame >= frame:
                    raise SessionError(f"episode {running.code} starts at or after frame {frame}")
                ops.append(PutEpisode(running, replace(running, end=start)))
        episode = Episode(code, start)
        self._require_episode_free(episode, frame + 1)
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
        start = self.stamp(start_frame)
        end = None if end_frame is None else self.stamp(end_frame)
        if end is not None and end.frame <= start.frame:
            raise SessionError(f"episode {code} must end after it starts (frame {start.frame})")
        episode = Episode(code, start, end)
        self._require_episode_free(episode, end.frame if end else start.frame + 1)
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
        if self._status is CodingStatus.DONE:
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
            end = self.stamp(close_open_at)
            for episode in running:
                if end.frame <= episode.start.frame:
                    raise SessionError(f"episode {episode.code} starts after frame {end.frame}")
                ops.append(PutEpisode(episode, replace(episode, end=end)))
        ops.append(SetStatus(self._status, CodingStatus.DONE))
        self._run("Mark pass done", ops, allow_done=True)

    def reopen(self) -> None:
        """Set a done pass back to in progress."""
        if self._status is not CodingStatus.DONE:
            raise SessionError("this pass is not marked done")
        self._run("Reopen pass", [SetStatus(self._status, CodingStatus.IN_PROGRESS)], True)

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
        chosen = tuple(modifiers)
        for value in chosen:
            if value not in behaviour.modifiers:
                allowed = ", ".join(behaviour.modifiers) or "none"
                raise SessionError(f"{value!r} is not a modifier of {behaviour.code} ({allowed})")
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
        """Refuse a state span that would overlap itself or a partner in an exclusive group.

        An open span is checked at its onset frame only (its end is not known yet); an open
        rival counts as on from its onset onwards, and two rivals are never open together.
        """
        end = offset if offset is not None else onset + 1
        for rival in (code, *self.scheme.exclusive_partners(code)):
            still_open = self._events.open_event(rival)
            if offset is None and still_open is not None and still_open.id not in ignore:
                other: Event | None = still_open
            else:
                other = self._events.overlapping(rival, onset, end, ignore)
            if other is not None:
                until = "on" if other.offset is None else f"to frame {other.offset.frame}"
                raise SessionError(
                    f"this would overlap {other.behaviour} from frame {other.onset.frame} {until}"
                )

    def _require_episode_free(self, episode: Episode, end_frame: int) -> None:
        for other in self._episodes.values():
            if other.code == episode.code or other.is_open:
                continue
            assert other.end is not None
            if episode.start.frame < other.end.frame and other.start.frame < end_frame:
                raise SessionError(
                    f"episode {episode.code} would overlap episode {other.code} "
                    f"(frames {other.start.frame}–{other.end.frame})"
                )

    def _run(self, label: str, ops: list[Op], allow_done: bool = False) -> tuple[Op, ...]:
        if self._status is CodingStatus.DONE and not allow_done:
            raise SessionError("this pass is marked done; reopen it to change it")
        done = self._write(tuple(ops))
        self._undo.append(_Step(label, done))
        self._redo.clear()
        self._notify(Change.of(label, "do", done))
        return done

    def _write(self, ops: tuple[Op, ...]) -> tuple[Op, ...]:
        """Commit ``ops`` in one transaction, then apply them to memory; returns them with ids."""
        store, coding_id = self._store, self._info.id
        done: list[Op] = []
        with store.transaction():
            for op in ops:
                if isinstance(op, PutEvent):
                    if op.after is None:
                        assert op.before is not None
                        assert op.before.id is not None
                        store.delete_event(coding_id, op.before.id)
                    elif op.before is None:
                        new_id = store.insert_event(coding_id, op.after)
                        op = PutEvent(None, replace(op.after, id=new_id))
                    else:
                        store.update_event(coding_id, op.after)
                elif isinstance(op, PutRating):
                    if op.after is None:
                        store.delete_rating(coding_id, *op.key)
                    else:
                        store.put_rating(coding_id, op.after)
                elif isinstance(op, PutEpisode):
                    if op.after is None:
                        store.delete_episode(coding_id, op.code)
                    else:
                        store.put_episode(coding_id, op.after)
                else:
                    store.set_status(coding_id, op.after)
                done.append(op)
        for op in done:
            self._apply_in_memory(op)
        return tuple(done)

    def _apply_in_memory(self, op: Op) -> None:
        if isinstance(op, PutEvent):
            if op.before is not None:
                self._events.remove(op.before)
            if op.after is not None:
                self._events.add(op.after)
        elif isinstance(op, PutRating):
            if op.after is None:
                del self._ratings[op.key]
            else:
                self._ratings[op.key] = op.after
        elif isinstance(op, PutEpisode):
            if op.after is None:
                del self._episodes[op.code]
            else:
                self._episodes[op.code] = op.after
        else:
            self._status = op.after

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    @staticmethod
    def _event_result(ops: tuple[Op, ...]) -> Event:
        last = ops[-1]
        assert isinstance(last, PutEvent)
        assert last.after is not None
        return last.after
