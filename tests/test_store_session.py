"""The coding-pass state machine, run against the SQLite project file instead of memory.

Random sequences of commands, undo and redo must leave the file holding exactly what the
session shows after every step, and undoing everything must empty it again.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings

from coder.coding.session import Session
from coder.model import Media
from coder.store.sqlite import SqliteStore
from coder.timebase import TimeBase
from tests.core.session_fixtures import FRAMES, SCHEME
from tests.core.test_session_stateful import CodingPass


class CodingPassOnDisk(CodingPass):
    def make(self) -> tuple[Session, SqliteStore]:
        self.folder = Path(tempfile.mkdtemp(prefix="attune-"))
        store = SqliteStore.create(self.folder / "pass.attune")
        timebase = TimeBase.constant(FRAMES, 25)
        medium = Media("a.mp4", "s3-sha256:0", 1, timebase.duration_us, FRAMES, 25.0)
        obs = store.add_observation("obs", [medium], [timebase])
        coder = store.ensure_coder("AB")
        info = store.create_coding(obs.id, coder.id or 0, store.add_scheme(SCHEME))
        return Session(store, info, SCHEME, timebase), store

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            self.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)


CodingPassOnDisk.TestCase.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None
)
TestCodingPassOnDisk = CodingPassOnDisk.TestCase
