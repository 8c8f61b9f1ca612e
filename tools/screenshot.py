"""Screenshot of the main window mid-session on the demo project (for the README).

    python tools/screenshot.py [docs/main_window.png] [--size 1366x768]

Needs an X display. Without one, it starts a virtual one (``Xvfb :97``) for the run and stops
it afterwards. The demo is made in a temporary folder and coded by script along the clip's own
story, so the event table and the timeline are filled and some states are still open. The
picture is taken from the screen (``QScreen.grabWindow``): video widgets drawn through the GPU
path come out blank with ``QWidget.grab``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISPLAY = ":97"
STOP_AT_S = 15.6
"""Where the playhead is in the picture (the caregiver reaches for the fussing infant)."""


def start_xvfb(size: str) -> subprocess.Popen | None:
    """A virtual display when there is none (returns the process to stop, or None)."""
    if os.environ.get("DISPLAY"):
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("no DISPLAY and no Xvfb: install xvfb or run under a display")
    process = subprocess.Popen([xvfb, DISPLAY, "-screen", "0", f"{size}x24", "-nolisten", "tcp"])
    os.environ["DISPLAY"] = DISPLAY
    time.sleep(1.0)
    return process


class _Answers:
    """Answers the window's questions without dialogs: coder AB, the first observation."""

    def error(self, title: str, message: str) -> None:
        print(f"{title}: {message}", file=sys.stderr)

    def confirm(self, title: str, message: str, ok: str = "OK") -> bool:
        return True

    def who_are_you(self, known, last):
        from ui.dialogs.answers import CoderAnswer

        return CoderAnswer("AB", "A. Brown")

    def pick_observation(self, rows, current, blind):
        return rows[0].observation_id if rows else None

    def relink(self, media, expected):
        return None

    def open_project(self, start):
        return None

    def new_project(self, start):
        return None

    def video_files(self, start, title=""):
        return []

    def ask_text(self, title, label, text=""):
        return None

    def observation_details(self, drafts, taken, cameras):
        return drafts


def code_story(session, fps: int, until_s: float) -> None:
    """Code the demo clip's own story up to ``until_s`` (some states stay open)."""
    from coder.demo import scene as story

    def frame(t: float) -> int:
        return round(t * fps)

    stop = frame(until_s)
    marks: list[tuple[int, str, str]] = []  # (frame, action, code)
    for start, end in story.INFANT_LOOKS_AT_CAREGIVER:
        marks.append((frame(start), "start", "gaze_caregiver"))
        if end < story.SCRIPT_SECONDS:
            marks.append((frame(end), "start", "gaze_away"))
    for start, _ in story.INFANT_LOOKS_AT_TOY:
        marks.append((frame(start), "start", "gaze_object"))
    marks.append((0, "start", "affect_neutral"))
    for start, end in story.INFANT_SMILES:
        marks.append((frame(start), "start", "affect_positive"))
        marks.append((frame(end), "start", "affect_neutral"))
    for start, end in story.INFANT_FUSSES:
        marks.append((frame(start), "start", "affect_negative"))
        marks.append((frame(start) + 2, "point", "fuss"))
        marks.append((frame(end), "start", "affect_neutral"))
    for start, _ in story.INFANT_VOCALISES:
        marks.append((frame(start), "point", "vocal_positive"))
    for start, _ in story.INFANT_REACHES:
        marks.append((frame(start) + 3, "point", "reach"))
    for start, end in story.CAREGIVER_TALKS:
        marks.append((frame(start), "start", "cg_vocal"))
        marks.append((frame(end), "stop", "cg_vocal"))
    for start, end in story.CAREGIVER_REACHES:
        marks.append((frame(start + 0.6), "start", "cg_touch"))
        marks.append((frame(end - 0.3), "stop", "cg_touch"))
        marks.append((frame(start + 0.2), "point", "cg_respond"))
    marks.append((0, "start", "cg_gaze"))
    for start, end in story.CAREGIVER_LOOKS_AWAY:
        marks.append((frame(start), "stop", "cg_gaze"))
        marks.append((frame(end), "start", "cg_gaze"))
    for at, action, code in sorted(marks):
        if at >= stop:
            continue
        if action == "point":
            session.point(code, at)
        elif action == "stop":
            if session.open_state(code) is not None:
                session.stop(code, at)
        elif session.open_state(code) is None:
            session.start(code, at)
    session.rate("sensitivity", 6)
    session.rate("cooperation", 7)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default=str(ROOT / "docs" / "main_window.png"))
    parser.add_argument("--size", default="1366x768", help="screen size, WIDTHxHEIGHT")
    parser.add_argument(
        "--picker", action="store_true", help="code a cry last, so the modifier picker shows"
    )
    parser.add_argument(
        "--refusal", action="store_true", help="press a key that is refused, so its notice shows"
    )
    args = parser.parse_args(argv)
    xvfb = start_xvfb(args.size)
    try:
        return _shoot(Path(args.output), args.size, args.picker, args.refusal)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)


def _shoot(output: Path, size: str, picker: bool = False, refusal: bool = False) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtCore import QCoreApplication

    from coder.demo import ensure_demo_project
    from ui.app import application
    from ui.settings import AppSettings
    from ui.window.main_window import MainWindow

    app = application()
    width, height = (int(v) for v in size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        settings = AppSettings.in_file(Path(tmp) / "settings.ini")
        project = ensure_demo_project(Path(tmp))
        window = MainWindow(settings, prompts=_Answers(), audio=False)
        window.setGeometry(0, 0, width, height)
        window.showMaximized()
        _settle(app, 0.5)
        window.open_project(project)
        session = window.session
        assert session is not None
        code_story(session, 25, STOP_AT_S)
        window.player.seek(round(STOP_AT_S * 25))
        window.rating_panel.select_next_scale()
        deadline = time.monotonic() + 10
        while window.player.current_frame != round(STOP_AT_S * 25) and time.monotonic() < deadline:
            _settle(app, 0.05)
        events = session.events
        window.event_table.select_event(events[-3].id)
        window.status.show_saved(session)
        if picker:
            window.keys.toggle("cry")  # a cry: mild or strong?
        if refusal:
            window.keys.toggle("affect_neutral")  # on since earlier: stopping it here is fine
            window.keys.toggle("affect_negative")
            window.keys.toggle("affect_negative")  # stopped where it started: refused
        _settle(app, 1.0)
        picture = app.primaryScreen().grabWindow(0)
        output.parent.mkdir(parents=True, exist_ok=True)
        if not picture.save(str(output)):
            print(f"{output}: could not write the picture", file=sys.stderr)
            return 1
        print(f"{output}: {picture.width()}×{picture.height()}, {len(events)} events")
        window.close()
        QCoreApplication.processEvents()
    return 0


def _settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())
