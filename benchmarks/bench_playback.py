"""The player widget, measured: real-time playback, and beside libmpv (BORIS's engine) the
second open of a long file, back steps and forward steps while paused.

    python benchmarks/bench_playback.py                  # all of it (about 8 minutes)
    python benchmarks/bench_playback.py --only play      # playback share only (as before)
    python benchmarks/bench_playback.py --only open back forward --steps 50

*play*: generates a 720p30 H.264 clip (frame index burned into every picture), plays it in the
real player widget at each speed for a fixed wall time, and prints per speed the share of frames
shown among those whose time passed, how far the picture ran from the wall clock, the process
CPU use, and whether every frame shown was the frame the player said it was.

The other parts put libmpv and Attune side by side **in one loop**, taking turns step by step
(so a busy machine slows both alike and their ratio holds), and time Attune both through the
widget (from the call until the view has painted the frame asked for) and through the engine
(``open_video`` / ``frame``):

*open*: a one-hour 1080p30 file with 250-frame groups, made under ``benchmarks/out/`` by
remuxing one generated 250-frame group 432 times (no re-encoding). Its first open reads every
packet once (timed once); then rounds of mpv's ``loadfile`` until its first frame is shown, our
``open_video`` and our ``Player.open`` until frame 0 is painted.

*back*: 200 back steps at 1080p (20 Mbit/s, 250-frame groups: ``bench_media.py``'s clip) from
its last frame, pausing 150 ms after each as a coder does (the player decodes ahead in the
pauses), against mpv's ``frame-back-step`` (``hr-seek=yes``) on the same clip.

*forward*: 30 forward steps after a 150 ms pause, against mpv's default ``frame-step`` and a
bare PyAV decode + RGB of one frame.

Every picture is checked by its frame code (outside the timings). Runs offscreen unless a
display is set (``DISPLAY=:99`` with Xvfb for a real window). Results go to stdout and
``benchmarks/out/results_widget.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import av
from bench_vs_mpv import INSTALL_HINT, MpvPlayer, frame_code, load_mpv
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from coder.demo.synth import make_clip, read_frame_number
from coder.media import index_store, open_video
from ui.player.player import Player
from ui.settings import stored_frame_cache_mb

OUT = Path(__file__).resolve().parent / "out"
GROUP = 250
"""Frames per group of pictures of the long file and the back-step clip."""


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


# --- the widget, timed until it has painted --------------------------------------------------


class _Paints(QObject):
    """Records when a view has painted a frame (a zero timer fires once the paint is done)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[tuple[int, float]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            frame = getattr(watched, "frame", None)
            if frame is not None:
                index = frame.index
                QTimer.singleShot(0, lambda: self.painted.append((index, time.perf_counter())))
        return False


class Stage:
    """A player widget shown (offscreen), driven and timed as a coder's keys would."""

    def __init__(self, window: tuple[int, int] = (960, 640)) -> None:
        self.app = QApplication.instance() or QApplication([])
        self.player = Player(audio=False)
        self.player.resize(*window)
        self.player.show()
        self._paints = _Paints()
        self._tick = QTimer()
        self._tick.start(20)  # wakes the waiting loop now and then to look at the clock
        self.player_cache_mb = stored_frame_cache_mb()
        spin(200)

    def open(self, media: Sequence[Any]) -> float:
        """Seconds from ``Player.open`` until frame 0 is painted."""
        self._paints.painted.clear()
        started = time.perf_counter()
        self.player.open(media)
        for view in self.player.views():
            view.installEventFilter(self._paints)
        return self._painted(0, started)

    def step(self, frames: int) -> float:
        """Seconds from a step (what the arrow keys trigger) until its frame is painted."""
        target = self.player.current_frame + frames
        self._paints.painted.clear()
        started = time.perf_counter()
        self.player.step(frames)
        return self._painted(target, started)

    def seek(self, frame: int) -> float:
        self._paints.painted.clear()
        started = time.perf_counter()
        self.player.seek(frame)
        return self._painted(frame, started)

    def shown_code(self) -> int:
        frame = self.player.shown_frame()
        return -1 if frame is None else frame_code(frame.rgb)

    def close_media(self) -> None:
        self.player.close_media()
        spin(50)

    def _painted(self, index: int, started: float, timeout: float = 60.0) -> float:
        while True:
            for painted, at in self._paints.painted:
                if painted == index and at >= started:
                    return at - started
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"the player did not paint frame {index} in {timeout:.0f} s")
            self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


# --- one hour of 1080p, and opening it ----------------------------------------------------------


def make_long_file(out: Path, minutes: int) -> Path:
    """``minutes`` of 1080p30 with 250-frame groups: one generated group remuxed again and again
    (no re-encoding), its frame codes repeating every 250 frames."""
    from bench_media import textured

    path = out / f"bench_1080p_{minutes}min.mp4"
    if path.exists():
        return path
    base = out / "bench_1080p_group250.mp4"
    if not base.exists():
        make_clip(
            base.with_suffix(".part.mp4"),
            frames=GROUP,
            fps=30,
            size=(1920, 1080),
            gop=GROUP,
            bframes=3,
            draw=textured,
            noise=3,
            preset="veryfast",
            bit_rate=5_000_000,
        ).replace(base)
    copies = minutes * 60 * 30 // GROUP
    started = time.perf_counter()
    part = path.with_suffix(".part.mp4")
    with av.open(str(base)) as inp, av.open(str(part), "w") as out_file:
        stream = inp.streams.video[0]
        target = out_file.add_stream_from_template(stream)
        packets = [p for p in inp.demux(stream) if p.size]
        span = GROUP * round(1 / (stream.guessed_rate * stream.time_base))  # ticks of one group
        for copy in range(copies):
            for packet in packets:
                shifted = av.Packet(bytes(packet))
                shifted.pts = packet.pts + copy * span
                shifted.dts = packet.dts + copy * span
                shifted.duration = packet.duration
                shifted.is_keyframe = packet.is_keyframe
                shifted.time_base = packet.time_base
                shifted.stream = target
                out_file.mux(shifted)
    part.replace(path)
    gigabytes = path.stat().st_size / 1e9
    print(
        f"  made {path.name}: {copies} groups, {gigabytes:.1f} GB,"
        f" {time.perf_counter() - started:.0f} s"
    )
    return path


def open_rounds(mpv: ModuleType | None, path: Path, rounds: int) -> dict[str, Any]:
    """The first open (every packet read, once), then rounds of mpv / engine / widget opens."""
    index_store.forget(path)
    started = time.perf_counter()
    with open_video(path) as video:
        first = time.perf_counter() - started
        frames = video.frame_count
    result: dict[str, Any] = {"first_open_s": first, "frames": frames}
    spent: dict[str, list[float]] = {"mpv": [], "engine": [], "widget": []}
    exact = []
    stage = Stage()
    for _ in range(rounds):
        if mpv is not None:
            player = MpvPlayer(mpv, None, untimed=False)
            spent["mpv"].append(player.load(path))
            exact.append(player.shown() == 0)
            player.close()
        started = time.perf_counter()
        with open_video(path) as video:
            spent["engine"].append(time.perf_counter() - started)
            exact.append(frame_code(video.frame(0)) == 0)
        spent["widget"].append(stage.open([path]))
        exact.append(stage.shown_code() == 0)
        stage.close_media()
    result.update({f"{k}_ms": [s * 1e3 for s in v] for k, v in spent.items()})
    result["exact"] = f"{sum(exact)}/{len(exact)}"
    return result


# --- stepping while paused ------------------------------------------------------------------------


@dataclass
class Steps:
    """Step times (seconds) of each contender, and whether each picture was the one asked for."""

    spent: dict[str, list[float]]
    exact: dict[str, list[bool]]

    def figures(self) -> dict[str, dict[str, float]]:
        out = {}
        for name, seconds in self.spent.items():
            if not seconds:
                continue
            ms = [s * 1e3 for s in seconds]
            cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
            out[name] = {
                "mean": statistics.fmean(ms),
                "median": statistics.median(ms),
                "p90": cuts[89],
                "p99": cuts[98],
                "max": max(ms),
                "n": len(ms),
                "exact": sum(self.exact[name]),
            }
        return out


def _engine_pause(video: Any, at: int, direction: int, pause: float) -> None:
    """What the player's decode worker does while a coder looks at frame ``at``, for ``pause``
    seconds: the next frame either way made ready, then the group behind decoded ahead."""
    deadline = time.perf_counter() + pause

    def stop() -> bool:
        return time.perf_counter() >= deadline

    if video.prepare(at + direction, stop) and video.prepare(at - direction, stop):
        video.prefetch(at, stop)
    rest = deadline - time.perf_counter()
    if rest > 0:
        time.sleep(rest)


def back_steps(mpv: ModuleType | None, path: Path, steps: int, pause: float) -> Steps:
    """``steps`` back steps from the last frame, mpv, widget and engine taking turns."""
    spent: dict[str, list[float]] = {"mpv": [], "widget": [], "engine": []}
    exact: dict[str, list[bool]] = {k: [] for k in spent}
    stage = Stage()
    stage.open([path])
    last = stage.player.frame_count - 1
    stage.seek(last)
    video = open_video(path, cache_mb=stage.player_cache_mb)
    video.frame(last)
    player = MpvPlayer(mpv, path, untimed=False) if mpv is not None else None
    if player is not None:
        player.seek_exact(video.pts_us(last))
    spin(round(pause * 1000))
    _engine_pause(video, last, -1, pause)  # each arrives at the frame, then looks at it
    try:
        for target in range(last - 1, last - 1 - steps, -1):
            spent["widget"].append(stage.step(-1))
            exact["widget"].append(stage.shown_code() == target)
            spin(round(pause * 1000))
            seconds, picture = _timed(video.frame, target)
            spent["engine"].append(seconds)
            exact["engine"].append(frame_code(picture) == target)
            _engine_pause(video, target, -1, pause)
            if player is not None:
                spent["mpv"].append(player.step_back())
                exact["mpv"].append(player.shown() == target)
                time.sleep(pause)
    finally:
        video.close()
        if player is not None:
            player.close()
        stage.close_media()
    return Steps(spent, exact)


def forward_steps(mpv: ModuleType | None, path: Path, steps: int, pause: float) -> Steps:
    """``steps`` forward steps after a pause, mpv, widget, engine and a bare decode in turn."""
    spent: dict[str, list[float]] = {"mpv": [], "widget": [], "engine": [], "bare": []}
    exact: dict[str, list[bool]] = {k: [] for k in spent}
    stage = Stage()
    stage.open([path])
    video = open_video(path, cache_mb=stage.player_cache_mb)
    video.frame(0)
    player = MpvPlayer(mpv, path, untimed=False) if mpv is not None else None
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.thread_type = "AUTO"
        bare = container.decode(stream)
        next(bare).to_ndarray(format="rgb24")
        spin(round(pause * 1000))
        _engine_pause(video, 0, 1, pause)
        try:
            for target in range(1, steps + 1):
                spent["widget"].append(stage.step(1))
                exact["widget"].append(stage.shown_code() == target)
                spin(round(pause * 1000))
                seconds, picture = _timed(video.frame, target)
                spent["engine"].append(seconds)
                exact["engine"].append(frame_code(picture) == target)
                _engine_pause(video, target, 1, pause)
                started = time.perf_counter()
                picture = next(bare).to_ndarray(format="rgb24")
                spent["bare"].append(time.perf_counter() - started)
                exact["bare"].append(frame_code(picture) == target)
                time.sleep(pause)
                if player is not None:
                    spent["mpv"].append(player.step_forward())
                    exact["mpv"].append(player.shown() == target)
                    time.sleep(pause)
        finally:
            video.close()
            if player is not None:
                player.close()
            stage.close_media()
    return Steps(spent, exact)


def _timed(call: Callable[[int], Any], arg: int) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call(arg)
    return time.perf_counter() - started, value


# --- report -------------------------------------------------------------------------------------


def play(args: argparse.Namespace) -> None:
    """Real-time playback of a generated 720p clip at each speed."""
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


def _ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.3f}×" if theirs else "—"


def print_open(result: dict[str, Any]) -> None:
    med = {
        k: statistics.median(result[f"{k}_ms"])
        for k in ("mpv", "engine", "widget")
        if result[f"{k}_ms"]
    }
    print(
        f"  first open (reads all {result['frames']:,} frames' packets once, then kept):"
        f" {result['first_open_s']:.1f} s"
    )
    print(f"  {'second open, ms':<28}{'median':>9}{'min':>9}{'max':>9}   ratio to mpv (median)")
    for name in ("mpv", "engine", "widget"):
        values = result[f"{name}_ms"]
        if values:
            print(
                f"  {name:<28}{statistics.median(values):9.1f}{min(values):9.1f}{max(values):9.1f}"
                f"   {_ratio(med[name], med.get('mpv'))}"
            )
    ratios = [w / m for w, m in zip(result["widget_ms"], result["mpv_ms"], strict=False)]
    if ratios:
        print(f"  widget / mpv, round by round: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"  frame 0 exact: {result['exact']}")
    widget = med["widget"]
    target = min(50.0, 2 * med["mpv"]) if "mpv" in med else 50.0
    print(
        f"  target ≤ 50 ms and ≤ 2× mpv: widget {widget:.1f} ms"
        f" {'PASS' if widget <= target else 'MISS'}"
    )


def print_steps(
    title: str, steps: Steps, targets: dict[str, float] | None = None
) -> dict[str, Any]:
    figures = steps.figures()
    print(
        f"  {title:<22}{'mean':>9}{'median':>9}{'p90':>9}{'p99':>9}{'max':>10}   exact   mean / mpv"
    )
    mpv = figures.get("mpv")
    for name, row in figures.items():
        ratio = _ratio(row["mean"], mpv["mean"]) if mpv else "—"
        print(
            f"  {name:<22}{row['mean']:9.3f}{row['median']:9.3f}{row['p90']:9.3f}{row['p99']:9.2f}"
            f"{row['max']:10.2f}   {row['exact']}/{row['n']}   {ratio}"
        )
    for key, limit in (targets or {}).items():
        name, stat = key.split(".")
        value = figures[name][stat]
        print(
            f"  target {name} {stat} ≤ {limit:g} ms: {value:.3f}"
            f" {'PASS' if value <= limit else 'MISS'}"
        )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=("play", "open", "back", "forward"))
    parser.add_argument("--seconds", type=float, default=10.0, help="play: wall time per speed")
    parser.add_argument("--speeds", type=float, nargs="+", default=[1.0, 2.0, 4.0])
    parser.add_argument("--size", default="1280x720", help="play: clip size")
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--noise", type=int, default=6, help="play: grain amplitude")
    parser.add_argument("--window", default="960x640", help="play: player window size")
    parser.add_argument("--clip", type=Path, help="play this file instead of a generated one")
    parser.add_argument("--minutes", type=int, default=60, help="open: length of the long file")
    parser.add_argument("--rounds", type=int, default=7, help="open: rounds of opening")
    parser.add_argument("--steps", type=int, default=200, help="back: steps back")
    parser.add_argument("--pause", type=float, default=0.15, help="seconds between steps")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    parts = args.only or ["play", "open", "back", "forward"]
    if "play" in parts:
        play(args)
    if parts == ["play"]:
        return 0
    mpv, cause = load_mpv()
    if mpv is None:
        print(INSTALL_HINT.format(cause=cause) + "; measuring Attune alone")
    args.out.mkdir(parents=True, exist_ok=True)
    print(
        f"\nPython {platform.python_version()}, PyAV {av.__version__},"
        f" python-mpv {getattr(mpv, '__version__', '—')}; load {_load()}; frame memory"
        f" {stored_frame_cache_mb()} MB a video; pause between steps {args.pause * 1000:.0f} ms"
    )
    results: dict[str, Any] = {}
    if "open" in parts:
        path = make_long_file(args.out, args.minutes)
        print(f"\n== second open of {path.name} ({path.stat().st_size / 1e9:.1f} GB)")
        results["open"] = open_rounds(mpv, path, args.rounds)
        print_open(results["open"])
    clip = None
    if "back" in parts or "forward" in parts:
        from bench_media import make_clips

        clip = make_clips(args.out, 300, single_slice=False)["1080p"]
    if "back" in parts and clip is not None:
        print(f"\n== {args.steps} back steps from the last frame of {clip.name}, in turns")
        steps = back_steps(mpv, clip, args.steps, args.pause)
        results["back"] = print_steps("back step, ms", steps, {"widget.mean": 10, "widget.p99": 50})
    if "forward" in parts and clip is not None:
        print(f"\n== 30 forward steps after a pause, on {clip.name}, in turns")
        steps = forward_steps(mpv, clip, 30, args.pause)
        results["forward"] = print_steps(
            "forward step, ms", steps, {"widget.median": 2, "engine.median": 2}
        )
    print(f"\nload at the end {_load()}")
    target = args.out / "results_widget.json"
    target.write_text(json.dumps(results, indent=2))
    print(f"results written to {target}")
    return 0


def _load() -> str:
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
