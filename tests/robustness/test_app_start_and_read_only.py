"""The app starts whatever the project it last had open holds, and a project that cannot be
written where it lies opens for reading with a "read-only" notice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coder.project import Project
from coder.store import sqlite as sqlite_store
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    window_fixture,
)
from ui.app import open_at_start


def damage_name(path: Path) -> None:
    """One invalid UTF-8 byte in the stored name of the observation (a flipped bit)."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE observation SET name = CAST(x'56697369c3' AS TEXT)")
    conn.commit()
    conn.close()


def test_the_app_starts_when_the_last_project_is_damaged(qtbot, window, prompts, demo) -> None:
    damage_name(demo)
    assert not open_at_start(window, demo)
    title, text = prompts.errors[-1]
    assert title == "Cannot open the project"
    assert "observation 1 is damaged" in text
    assert "not valid UTF-8" in text
    assert window.project is None
    assert window.session is None
    assert window.isVisible()


def test_the_app_starts_when_opening_fails_in_an_unforeseen_way(
    qtbot, window, prompts, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, path: object) -> bool:
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(type(window), "open_project", broken)
    assert not open_at_start(window, demo)
    assert "something nobody foresaw" in prompts.errors[-1][1]
    assert window.project is None


def read_only_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file's medium is read-only (as the operating system says for a locked USB stick;
    the tests may run as root, who could write a file whatever its mode)."""
    monkeypatch.setattr(
        sqlite_store, "place_is_read_only", lambda path: "it lies on a read-only medium"
    )


def test_a_project_on_a_read_only_medium_opens_for_reading_in_the_app(
    qtbot, window, prompts, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(demo) as project:  # a pass to show
        project.start_coding(project.observations[0], "AB").point("cry", 3)
    before = demo.read_bytes()
    read_only_place(monkeypatch)
    assert window.open_project(demo)
    assert window.project.read_only
    title, text = prompts.errors[0]
    assert title == "Opened for reading only"
    assert "read-only medium" in text
    assert "(read-only)" in window.windowTitle()
    title, text = prompts.errors[-1]  # coding needs a writable file: said, never attempted
    assert title == "Cannot open the observation"
    assert "reading only (it lies on a read-only medium)" in text
    assert window.session is None
    window.close_project()
    assert demo.read_bytes() == before


def test_info_and_check_on_a_read_only_medium_say_read_only(
    demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from coder.cli import main

    read_only_place(monkeypatch)
    assert main(["info", str(demo)]) == 0
    assert main(["check", str(demo)]) == 0
    out, err = capsys.readouterr()
    assert "observations (1)" in out
    assert "no problems found" in out
    assert err.count("read-only (it lies on a read-only medium)") == 2
    assert "unable to open" not in err
    with Project.open(demo) as project:
        frame = project.events_frame()  # export and agreement read through the same open
        assert project.read_only
        assert frame.empty
