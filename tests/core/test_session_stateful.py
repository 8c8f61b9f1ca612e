"""Random sequences of coding actions, undo and redo, against the invariants of a pass."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from coder.coding.session import Session, SessionError
from coder.store.base import Store
from tests.core.session_fixtures import FRAMES, SCHEME, make_session
from tests.store_backends import BACKENDS, Backend
from tests.test_project_support import fake_medium

STATES = [b.code for b in SCHEME.behaviours if b.is_state]
POINTS = [b.code for b in SCHEME.behaviours if not b.is_state]
CODES = STATES + POINTS
frames = st.integers(min_value=-2, max_value=FRAMES + 1)


def snapshot(session: Session) -> tuple:
    return session.events, session.ratings, session.episodes, session.status


def stored(session: Session, store) -> tuple:
    fresh = Session(store, store.coding(session.coding_id), session.scheme, session.timebase)
    return snapshot(fresh)


class CodingPass(RuleBasedStateMachine):
    """A coder pressing keys at random; every command either applies whole or not at all."""

    def __init__(self) -> None:
        super().__init__()
        self.session, self.store = self.make()
        self.done = 0

    def make(self):
        return make_session()

    def attempt(self, command) -> None:
        before = snapshot(self.session)
        undo_depth = self.session.can_undo, self.session.undo_label
        try:
            command()
        except SessionError:
            assert snapshot(self.session) == before
            assert (self.session.can_undo, self.session.undo_label) == undo_depth
        else:
            self.done += 1

    @rule(code=st.sampled_from(CODES), frame=frames)
    def toggle(self, code, frame):
        self.attempt(lambda: self.session.toggle(code, frame))

    @rule(code=st.sampled_from(STATES), frame=frames)
    def start(self, code, frame):
        self.attempt(lambda: self.session.start(code, frame))

    @rule(code=st.sampled_from(STATES), frame=frames)
    def stop(self, code, frame):
        self.attempt(lambda: self.session.stop(code, frame))

    @rule(frame=frames)
    def stop_all(self, frame):
        self.attempt(lambda: self.session.stop_all(frame))

    @rule(
        scale=st.sampled_from(["sens", "coop", "prox"]),
        value=st.integers(0, 10),
        segment=st.sampled_from([None, "session", "interval_3", "ep2", "ep3"]),
    )
    def rate(self, scale, value, segment):
        self.attempt(lambda: self.session.rate(scale, value, segment))

    @precondition(lambda self: self.session.events)
    @rule(data=st.data())
    def edit(self, data):
        event = data.draw(st.sampled_from(self.session.events))
        onset = data.draw(st.none() | frames)
        offset = data.draw(st.none() | frames)
        code = data.draw(st.none() | st.sampled_from(CODES))
        self.attempt(
            lambda: self.session.edit_event(
                event.id, onset_frame=onset, offset_frame=offset, behaviour=code
            )
        )

    @precondition(lambda self: self.session.events)
    @rule(
        data=st.data(), boundary=st.sampled_from(["onset", "offset"]), step=st.sampled_from([-1, 1])
    )
    def nudge(self, data, boundary, step):
        event = data.draw(st.sampled_from(self.session.events))
        self.attempt(lambda: self.session.nudge(event.id, boundary, step))

    @precondition(lambda self: self.session.events)
    @rule(data=st.data())
    def delete(self, data):
        event = data.draw(st.sampled_from(self.session.events))
        self.attempt(lambda: self.session.delete_event(event.id))

    @rule(code=st.sampled_from(["ep1", "ep2", "ep3"]), start=frames, length=st.integers(-5, 80))
    def episode(self, code, start, length):
        self.attempt(lambda: self.session.mark_episode(code, start, start + length))

    @rule(code=st.sampled_from(["ep1", "ep2", "ep3"]), frame=frames)
    def start_episode(self, code, frame):
        self.attempt(lambda: self.session.start_episode(code, frame))

    @precondition(lambda self: any(e.is_open for e in self.session.episodes))
    @rule(frame=frames)
    def end_episode(self, frame):
        running = next(e for e in self.session.episodes if e.is_open)
        self.attempt(lambda: self.session.end_episode(running.code, frame))

    @rule(frame=st.none() | frames)
    def done_or_reopen(self, frame):
        if self.session.status == "done":
            self.attempt(self.session.reopen)
        else:
            self.attempt(lambda: self.session.mark_done(close_open_at=frame))

    @rule()
    def undo(self):
        self.attempt(self.session.undo)

    @rule()
    def redo(self):
        self.attempt(self.session.redo)

    @invariant()
    def no_two_states_overlap_in_an_exclusive_group_or_within_a_code(self):
        groups: dict[str, list] = {}
        for event in self.session.events:
            if not event.is_state:
                continue
            behaviour = SCHEME.behaviour(event.behaviour)
            exclusive = behaviour.group and SCHEME.group(behaviour.group).exclusive
            groups.setdefault(behaviour.group if exclusive else event.behaviour, []).append(event)
        for events in groups.values():
            assert sum(e.is_open for e in events) <= 1
            for a, b in itertools.combinations(events, 2):
                a_end = a.offset.frame if a.offset else a.onset.frame + 1
                b_end = b.offset.frame if b.offset else b.onset.frame + 1
                assert a_end <= b.onset.frame or b_end <= a.onset.frame, (a, b)

    @invariant()
    def episodes_never_overlap_and_one_at_most_is_running(self):
        episodes = self.session.episodes
        assert sum(e.is_open for e in episodes) <= 1
        for a, b in itertools.combinations(episodes, 2):
            a_end = a.end.frame if a.end else a.start.frame + 1
            b_end = b.end.frame if b.end else b.start.frame + 1
            assert a_end <= b.start.frame or b_end <= a.start.frame, (a, b)
        for episode in episodes:
            assert 0 <= episode.start.frame < FRAMES
            assert episode.end is None or episode.start.frame < episode.end.frame <= FRAMES

    @invariant()
    def events_are_well_formed(self):
        for event in self.session.events:
            assert 0 <= event.onset.frame < FRAMES
            assert event.onset.us == self.session.timebase.pts_us(event.onset.frame)
            if event.offset is not None:
                assert event.onset.frame < event.offset.frame <= FRAMES

    @invariant()
    def the_store_holds_what_the_session_shows(self):
        assert stored(self.session, self.store) == snapshot(self.session)

    def teardown(self):
        final = snapshot(self.session)
        steps = 0
        while self.session.can_undo:
            self.session.undo()
            steps += 1
        assert self.session.events == ()
        assert self.session.ratings == ()
        assert self.session.episodes == ()
        assert self.session.status == "in_progress"
        assert stored(self.session, self.store) == snapshot(self.session)
        for _ in range(steps):
            self.session.redo()
        assert snapshot(self.session) == final


CodingPass.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
TestCodingPassInMemory = CodingPass.TestCase


def session_on(backend: Backend, folder: Path) -> tuple[Session, Store]:
    """A pass over a 250-frame observation in a new project of ``backend``."""
    store = backend.create(folder)
    medium, timebase = fake_medium(FRAMES)
    obs = store.add_observation("obs1", [medium], [timebase])
    coder = store.ensure_coder("AB")
    info = store.create_coding(obs.id, coder.id or 0, store.add_scheme(SCHEME))
    return Session(store, info, SCHEME, timebase), store


def _on_backend(backend: Backend) -> type[CodingPass]:
    class OnBackend(CodingPass):
        def make(self):
            self.folder = Path(tempfile.mkdtemp(prefix=f"pass-{backend.name}-"))
            return session_on(backend, self.folder)

        def teardown(self):
            try:
                super().teardown()
                again = backend.reopen(self.store)  # what a new process would read
                assert stored(self.session, again) == snapshot(self.session)
            finally:
                self.store.close()
                shutil.rmtree(self.folder, ignore_errors=True)

    OnBackend.__name__ = f"CodingPassOn{backend.name.title()}"
    return OnBackend


# The same machine over every store backend (fewer examples: each makes a project).
for _backend in BACKENDS:
    _machine = _on_backend(_backend)
    _machine.TestCase.settings = settings(max_examples=15, stateful_step_count=30, deadline=None)
    globals()[f"TestCodingPassOn{_backend.name.title()}Store"] = _machine.TestCase
