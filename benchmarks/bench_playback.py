"""How many frames the player shows while playing a 720p30 H.264 clip in real time.

Generates a clip (frame index burned into every picture), plays it in the real player widget at
each speed for a fixed wall time, and prints, per speed: the share of frames shown among those
whose time passed, how far the picture ran from the wall clock, the process CPU use, and
whether every frame shown was the frame the player said it was (read back from the pixels).

    python benchmarks/bench_playback.py [--seconds 10] [--speeds 1 2 4] [--noise 6]

Runs offscreen unless a display is set (``DISPLAY=:99`` with Xvfb for a real window).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from coder.demo.synth import make_clip, read_frame_number
from coder.media import open_video
from ui.player.player import Player


@dataclass(frozen=True)
class Run:
    speed: float
    seconds: float
    due: int
    shown: int
    wrong: int
    lag_ms: float
    cpu: float
    missed: tuple[int, ...]

    @property
    def share(self) -> float:
        return self.shown / self.due if self.due else 0.0


def spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def play_once(player: Player, speed: float, seconds: float) -> Run:
    player.pause()
    player.set_speed(speed)
    player.seek(0)
    spin(300)
    shown: set[int] = set()
    wrong = 0

    def on_frame(index: int) -> None:
        nonlocal wrong
        frame = player.shown_frame()
        if frame is None or read_frame_number(frame.rgb) != index:
            wrong += 1
        shown.add(index)

    player.frameChanged.connect(on_frame)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    player.play()
    spin(round(seconds * 1000))
    wall = time.perf_counter() - wall0
    media_us = player.timebase.pts_us(0) + round(wall * speed * 1e6)
    player.pause()
    cpu = (time.process_time() - cpu0) / wall
    player.frameChanged.disconnect(on_frame)
    last_due = player.timebase.index_at(media_us)
    shown.discard(0)  # on screen before playing started
    lag_ms = (media_us - player.current_time_us) / 1000 / speed
    missed = tuple(sorted(set(range(1, last_due + 1)) - shown))
    return Run(speed, wall, last_due, len(shown), wrong, lag_ms, cpu, missed)


def _missed_text(missed: tuple[int, ...]) -> str:
    if not missed:
        return ""
    head = ", ".join(str(i) for i in missed[:8])
    return f"missed {head}{', …' if len(missed) > 8 else ''}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="wall time per speed")
    parser.add_argument("--speeds", type=float, nargs="+", default=[1.0, 2.0, 4.0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--noise", type=int, default=6, help="grain amplitude (harder content)")
    parser.add_argument("--window", default="960x640", help="player window size")
    parser.add_argument("--clip", type=Path, help="play this file instead of a generated one")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        path = args.clip
        if path is None:
            frames = round(args.seconds * max(args.speeds) * args.fps) + args.fps
            path = Path(tmp) / "bench.mp4"
            started = time.perf_counter()
            size = (width, height)
            make_clip(path, frames=int(frames), fps=args.fps, size=size, noise=args.noise)
            made_s = time.perf_counter() - started
            megabytes = path.stat().st_size / 1e6
            print(
                f"clip: {frames:.0f} frames {width}x{height} @ {args.fps:g} fps H.264, "
                f"{megabytes:.1f} MB, made in {made_s:.1f} s"
            )
        source = open_video(path)
        player = Player(audio=False)
        w, h = (int(v) for v in args.window.split("x"))
        player.resize(w, h)
        player.show()
        player.open([source])
        spin(500)
        print(
            f"platform {app.platformName()}, window {w}x{h}, picture "
            f"{player.views()[0].display_size()}"
        )
        print("speed  wall s  due  shown  share   wrong  lag ms  cpu   frames not shown")
        for speed in args.speeds:
            run = play_once(player, speed, args.seconds)
            print(
                f"{run.speed:>4g}×  {run.seconds:6.2f} {run.due:>5} {run.shown:>5}  "
                f"{run.share:6.1%}  {run.wrong:>5}  {run.lag_ms:6.1f}  {run.cpu:4.0%}  "
                f"{_missed_text(run.missed)}"
            )
        player.close_media()
        source.close()


if __name__ == "__main__":
    main()
