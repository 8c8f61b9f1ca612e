"""What every coding command stands on: a pass's state, undo and redo, and the one path by
which a command's ops reach the store and then memory.

:class:`PassBase` holds the records of one pass (:mod:`coder.coding.state`), looks up the
scheme's definitions (refusing unknown codes with :class:`SessionError`), and runs a command:
:meth:`PassBase._run` commits its ops in one transaction, applies them to memory, records the
undo step and tells the subscribers what changed. :class:`~coder.coding.session.Session` adds
the commands themselves.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from coder.coding.changes import Change, Op, PutEvent
from coder.coding.errors import SessionError
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


class PassBase:
    """One coding pass: its records, undo and redo, and how commands are run."""

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

    @property
    def event_count(self) -> int:
        """How many events the pass holds (without building the ordered list)."""
        return len(self._events)

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
        frame = frame_index(frame)
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

    # ------------------------------------------------------------ lookups
    def _behaviour(self, code: str) -> Behaviour:
        if not self.scheme.has_behaviour(code):
            raise SessionError(f"{code!r} is not a behaviour of the scheme {self.scheme.name!r}")
        return self.scheme.behaviour(code)

    def _state_behaviour(self, code: str) -> Behaviour:
        behaviour = self._behaviour(code)
        if not behaviour.is_state:
            raise SessionError(f"{self.scheme.name_of(code)} is a point event; log it with point()")
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
                raise SessionError(f"{value!r} is not a modifier of {behaviour.name} ({allowed})")
            if value in chosen[:i]:
                raise SessionError(f"{value!r} is given twice")
        return chosen

    # ------------------------------------------------------------ running commands
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


def frame_index(frame: object) -> int:
    """``frame`` as a plain int (NumPy integers too); anything else is refused."""
    if not isinstance(frame, bool) and hasattr(frame, "__index__"):
        return operator.index(frame)
    raise SessionError(f"frame {frame!r} is not a whole frame index")
