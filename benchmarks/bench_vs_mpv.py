"""Frame stepping of the video engine (coder.media) side by side with libmpv, on the same files.

Run from the repository root (libmpv and python-mpv are needed for this benchmark only):

    python benchmarks/bench_vs_mpv.py            # about two minutes on 2 cores
    python benchmarks/bench_vs_mpv.py --quick    # fewer steps, a smoke run

Without libmpv or python-mpv it prints how to install them and exits 0.

Clips: the 1080p and 720p H.264 clips of ``bench_media.py`` (30 fps, a keyframe every 250
frames, grainy moving content) and its 640×360 variable-frame-rate clip, reused from
``benchmarks/out/`` when present and made otherwise. Every frame carries its index as a block
code, so "exact" means the picture read back is the frame that was asked for.

For each clip, in one run, it measures:

* forward step: ``frame(i + 1)`` after ``frame(i)`` against mpv's ``frame-step`` while paused,
  both *paced* (a pause between steps, as a coder pressing a key) and *held* (back to back);
* back step: ``frame(i - 1)`` against mpv's ``frame-back-step`` with ``hr-seek=yes``, a few
  steps back from positions early, midway and late in a group of pictures; ours also with the
  cache off (every back step a seek, as mpv does);
* exactness of every step: our returned array, and mpv's picture read back with
  ``screenshot-raw``; on the VFR clip also whether mpv's ``estimated-frame-number`` names the
  frame it shows.

mpv runs headless with ``vo=null``: it still decodes every frame and ``screenshot-raw`` returns
the decoded picture (checked by the frame codes). Its default player waits one frame duration
in ``frame-step``; ``untimed=yes`` removes that wait and is measured as a second mpv column.
A step of mpv counts as done when its ``time-pos`` property changes (forward) or its
``playback-restart`` event arrives (back); screenshots and checks are not timed. Results go to
stdout and to ``benchmarks/out/results_vs_mpv.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.demo.synth import read_frame_number
from coder.media import VideoSource, open_video, probe
from coder.timebase import TimeBase

OUT = Path(__file__).resolve().parent / "out"
INSTALL_HINT = (
    "libmpv/python-mpv is not installed ({cause}); to run this benchmark install libmpv"
    " (Debian/Ubuntu: apt-get install libmpv2; macOS: brew install mpv; Windows: libmpv-2.dll"
    " on PATH) and"
    " `pip install python-mpv` into the virtualenv"
)
TIMEOUT_S = 30.0
"""Longest wait for one mpv step or seek before the run is called broken."""
POSITIONS = (0.1, 0.45, 0.8)
"""Where back stepping starts, as shares of the clip (early, midway, late in the 250-frame GOP)."""


def load_mpv() -> tuple[ModuleType | None, str]:
    """The python-mpv module, or None and why it cannot be loaded."""
    try:
        import mpv  # optional: needed for this benchmark only
    except (ImportError, OSError) as exc:  # OSError: python-mpv present, libmpv missing
        return None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return mpv, ""


# --- clips ---------------------------------------------------------------------------------------


def make_clips(out: Path, frames: int) -> dict[str, Path]:
    """bench_media.py's CFR clips and VFR clip (same names, same content), made if absent."""
    from bench_media import make_clips as make_media_clips

    return make_media_clips(out, frames, single_slice=False)


# --- mpv -----------------------------------------------------------------------------------------


class MpvPlayer:
    """A paused, headless libmpv player on one file, stepped and read back synchronously."""

    def __init__(self, mpv: ModuleType, path: Path | None, *, untimed: bool) -> None:
        self._cond = threading.Condition()
        self._time_pos: float | None = None
        self._restarts = 0
        self._player = mpv.MPV(
            vo="null",
            audio="no",
            pause=True,
            hr_seek="yes",
            keep_open="always",
            untimed=untimed,
        )
        self._player.observe_property("time-pos", self._on_time_pos)
        self._player.event_callback("playback-restart")(self._on_restart)
        self.version = str(self._player.mpv_version)
        self.ffmpeg = str(self._player.ffmpeg_version)
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> float:
        """Open ``path`` (``loadfile``); seconds until its first frame is decoded and shown."""
        return self._restart_after("loadfile", str(path))

    def _on_time_pos(self, _name: str, value: float | None) -> None:
        with self._cond:
            self._time_pos = value
            self._cond.notify_all()

    def _on_restart(self, _event: object) -> None:
        with self._cond:
            self._restarts += 1
            self._cond.notify_all()

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        with self._cond:
            if not self._cond.wait_for(done, timeout=TIMEOUT_S):
                raise RuntimeError(f"mpv: {what} did not finish within {TIMEOUT_S:.0f} s")

    def step_forward(self) -> float:
        """``frame-step``; seconds until the next frame is shown."""
        before = self._player.time_pos
        started = time.perf_counter()
        self._player.command("frame-step")
        self._wait(lambda: self._time_pos is not None and self._time_pos != before, "frame-step")
        return time.perf_counter() - started

    def _restart_after(self, *command: str) -> float:
        with self._cond:
            count = self._restarts
        started = time.perf_counter()
        self._player.command(*command)
        self._wait(lambda: self._restarts > count, " ".join(command))
        return time.perf_counter() - started

    def step_back(self) -> float:
        """``frame-back-step``; seconds until the seek has ended and the frame is shown."""
        return self._restart_after("frame-back-step")

    def seek_exact(self, pts_us: int) -> float:
        """An exact (hr-)seek to a frame's start time."""
        return self._restart_after("seek", f"{pts_us / 1e6:.6f}", "absolute+exact")

    def shown(self) -> int:
        """The frame code of the picture on screen (-1 when unreadable)."""
        shot = self._player.command("screenshot-raw", "video")
        if shot["format"] != "bgr0":
            raise RuntimeError(f"mpv: screenshot-raw gave {shot['format']}, expected bgr0")
        height, width, stride = shot["h"], shot["w"], shot["stride"]
        bgrx = np.frombuffer(shot["data"], np.uint8).reshape(height, stride // 4, 4)
        return frame_code(bgrx[:, :width, 2::-1])

    def estimated_frame(self) -> int | None:
        """mpv's own idea of the frame number (time × average frame rate)."""
        value = self._player.estimated_frame_number
        return None if value is None else int(value)

    def close(self) -> None:
        self._player.terminate()


def run_mpv(
    mpv: ModuleType, path: Path, timebase: TimeBase, plan: Plan, *, untimed: bool, back: bool
) -> dict[str, Any]:
    """Forward (paced, held) and, when ``back``, backward steps of one mpv player on ``path``."""
    player = MpvPlayer(mpv, path, untimed=untimed)
    result: dict[str, Any] = {"version": player.version, "ffmpeg": player.ffmpeg}
    try:
        named = [player.estimated_frame() == 0]
        forward, exact = [], [player.shown() == 0]
        for i in range(1, plan.steps + 1):
            forward.append(player.step_forward())
            exact.append(player.shown() == i)
            named.append(player.estimated_frame() == i)
            time.sleep(plan.gap)
        started = time.perf_counter()
        for _ in range(plan.steps):
            player.step_forward()
        result["held_ms"] = (time.perf_counter() - started) / plan.steps * 1e3
        exact.append(player.shown() == 2 * plan.steps)
        result.update(summary("forward", forward), forward_exact=exact)
        if back:
            backward, back_exact, by_start = [], [], {}
            for start in plan.positions(timebase.frame_count):
                player.seek_exact(timebase.pts_us(start))
                back_exact.append(player.shown() == start)
                these = []
                for i in range(start - 1, start - 1 - plan.back, -1):
                    these.append(player.step_back())
                    back_exact.append(player.shown() == i)
                    named.append(player.estimated_frame() == i)
                    time.sleep(plan.gap)
                by_start[start] = statistics.median(these) * 1e3
                backward += these
            result.update(summary("back", backward), back_exact=back_exact)
            result["back_by_start_ms"] = by_start
        result["frame_number_right"] = named
    finally:
        player.close()
    return result


# --- ours ----------------------------------------------------------------------------------------


def run_ours(path: Path, plan: Plan) -> dict[str, Any]:
    """The same steps through ``open_video`` (default cache), and back steps with the cache off."""
    result: dict[str, Any] = {}
    with open_video(path) as video:
        forward, exact = [], [frame_code(video.frame(0)) == 0]
        for i in range(1, plan.steps + 1):
            spent, picture = timed(video.frame, i)
            forward.append(spent)
            exact.append(frame_code(picture) == i)
            time.sleep(plan.gap)
        started = time.perf_counter()
        for i in range(plan.steps + 1, 2 * plan.steps + 1):
            picture = video.frame(i)
        result["held_ms"] = (time.perf_counter() - started) / plan.steps * 1e3
        exact.append(frame_code(picture) == 2 * plan.steps)
        result.update(summary("forward", forward), forward_exact=exact)
        result["cache_frames"] = video.cache.capacity
        result.update(_back_steps(video, plan, "back"))
    with open_video(path, cache_mb=0) as video:
        result.update(_back_steps(video, plan, "back_nocache"))
    result.update(long_back_run(path, plan.long_back))
    result.update(bare_decode_ms(path, min(120, 2 * plan.steps)))
    return result


def _back_steps(video: VideoSource, plan: Plan, key: str) -> dict[str, Any]:
    spent, exact, by_start = [], [], {}
    for start in plan.positions(video.frame_count):
        exact.append(frame_code(video.frame(start)) == start)
        these = []
        for i in range(start - 1, start - 1 - plan.back, -1):
            seconds, picture = timed(video.frame, i)
            these.append(seconds)
            exact.append(frame_code(picture) == i)
            time.sleep(plan.gap)
        by_start[start] = statistics.median(these) * 1e3
        spent += these
    return {**summary(key, spent), f"{key}_exact": exact, f"{key}_by_start_ms": by_start}


def long_back_run(path: Path, steps: int) -> dict[str, float]:
    """Ours only: ``steps`` back steps from the last frame, cache misses included."""
    with open_video(path) as video:
        last = video.frame_count - 1
        video.frame(last)
        misses = video.cache.misses
        spent, exact = [], 0
        for i in range(last - 1, max(-1, last - 1 - steps), -1):
            seconds, picture = timed(video.frame, i)
            spent.append(seconds)
            exact += frame_code(picture) == i
        return {
            "long_back_mean_ms": statistics.fmean(spent) * 1e3,
            "long_back_max_ms": max(spent) * 1e3,
            "long_back_misses": video.cache.misses - misses,
            "long_back_exact": exact,
            "long_back_n": len(spent),
        }


def bare_decode_ms(path: Path, frames: int) -> dict[str, float]:
    """A plain PyAV decode loop over the first ``frames`` frames: ms a frame, without and with
    conversion to RGB (the floor for a reader that hands out RGB pictures; mpv with ``vo=null``
    converts nothing)."""
    result = {}
    for key, rgb in (("bare_ms", False), ("bare_rgb_ms", True)):
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.codec_context.thread_type = "AUTO"
            count, started = 0, time.perf_counter()
            for frame in container.decode(stream):
                if rgb:
                    frame.to_ndarray(format="rgb24")
                count += 1
                if count >= frames:
                    break
            result[key] = (time.perf_counter() - started) / count * 1e3
    return result


# --- plan and figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How many steps to take, from where, and the pause between paced steps."""

    steps: int
    """Paced forward steps, then as many held ones."""
    back: int
    """Back steps from each start position."""
    gap: float
    """Seconds between paced steps."""
    long_back: int
    """Back steps from the last frame (ours only)."""

    def positions(self, frame_count: int) -> list[int]:
        return [max(self.back, min(frame_count - 1, round(frame_count * p))) for p in POSITIONS]


def timed(call: Callable[[int], np.ndarray], arg: int) -> tuple[float, np.ndarray]:
    started = time.perf_counter()
    value = call(arg)
    return time.perf_counter() - started, value


def frame_code(rgb: np.ndarray) -> int:
    try:
        return read_frame_number(rgb)
    except ValueError:
        return -1


def summary(key: str, seconds: Sequence[float]) -> dict[str, float]:
    """Median and 90th percentile in ms."""
    ms = sorted(s * 1e3 for s in seconds)
    p90 = statistics.quantiles(ms, n=10, method="inclusive")[-1] if len(ms) > 1 else ms[0]
    return {f"{key}_ms": statistics.median(ms), f"{key}_p90_ms": p90, f"{key}_n": len(ms)}


def tally(flags: Sequence[bool]) -> str:
    return f"{sum(flags)}/{len(flags)}"


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _ratio(mpv_ms: float, ours_ms: float) -> str:
    ratio = mpv_ms / ours_ms
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.2f}×"


def print_clip(ours: dict[str, Any], timed_mpv: dict[str, Any], untimed: dict[str, Any]) -> None:
    """One table: ours, mpv (default), mpv (untimed=yes), and the ratios mpv / ours."""
    print(f"  {'ms':<30}{'ours':>10}{'mpv':>10}{'untimed':>10}  mpv/ours  untimed/ours")
    rows = [
        ("forward step, paced, median", "forward_ms"),
        ("forward step, paced, p90", "forward_p90_ms"),
        ("forward step, held, mean", "held_ms"),
        ("back step, median", "back_ms"),
        ("back step, p90", "back_p90_ms"),
    ]
    for label, key in rows:
        mine, other, fast = ours[key], timed_mpv.get(key), untimed.get(key)
        cells = [_ms(mine), _ms(other) if other else "—", _ms(fast) if fast else "—"]
        ratios = [_ratio(other, mine) if other else "—", _ratio(fast, mine) if fast else "—"]
        print(f"  {label:<30}{''.join(f'{c:>10}' for c in cells)}{ratios[0]:>10}{ratios[1]:>14}")
    print(
        f"  {'back step, ours cache off':<30}{_ms(ours['back_nocache_ms']):>10}"
        f"  (p90 {_ms(ours['back_nocache_p90_ms'])}; mpv / this"
        f" {_ratio(timed_mpv['back_ms'], ours['back_nocache_ms'])})"
    )
    starts = ", ".join(
        f"{start}: {_ms(ms)} / {_ms(ours['back_nocache_by_start_ms'][start])}"
        for start, ms in timed_mpv["back_by_start_ms"].items()
    )
    print(f"  back step median by start frame, mpv / ours cache off: {starts}")
    print(
        f"  ours, {ours['long_back_n']} back steps from the last frame: mean"
        f" {_ms(ours['long_back_mean_ms'])}, max {_ms(ours['long_back_max_ms'])}"
        f" ({ours['long_back_misses']} cache misses, {ours['cache_frames']} frames in cache)"
    )
    print(
        f"  bare PyAV decode {_ms(ours['bare_ms'])} ms/frame, with RGB"
        f" {_ms(ours['bare_rgb_ms'])} (mpv with vo=null converts nothing to RGB)"
    )
    print(
        f"  exact forward: ours {tally(ours['forward_exact'])}, mpv"
        f" {tally(timed_mpv['forward_exact'])}, untimed {tally(untimed['forward_exact'])};"
        f" back: ours {tally(ours['back_exact'])} (cache off {tally(ours['back_nocache_exact'])},"
        f" long run {ours['long_back_exact']}/{ours['long_back_n']}),"
        f" mpv {tally(timed_mpv['back_exact'])}"
    )
    print(
        "  mpv estimated-frame-number names the frame shown:"
        f" {tally(timed_mpv['frame_number_right'])}"
    )


def _load() -> str:
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where clips and results go")
    parser.add_argument("--quick", action="store_true", help="fewer steps, a smoke run")
    args = parser.parse_args(argv)
    mpv, cause = load_mpv()
    if mpv is None:
        print(INSTALL_HINT.format(cause=cause))
        return 0
    plan = Plan(steps=60, back=6, gap=0.04, long_back=100)
    if args.quick:
        plan = Plan(steps=15, back=3, gap=0.04, long_back=30)
    frames = 90 if args.quick else 300
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # for bench_media's scene
    started = time.perf_counter()
    clips = make_clips(args.out, frames)
    results: dict[str, Any] = {"python": platform.python_version(), "pyav": av.__version__}
    results["pyav_ffmpeg"] = str(getattr(av, "ffmpeg_version_info", "?"))
    print(
        f"Python {platform.python_version()}, PyAV {av.__version__} (FFmpeg"
        f" {results['pyav_ffmpeg']}), python-mpv {getattr(mpv, '__version__', '?')};"
        f" load {_load()}"
    )
    for name, path in clips.items():
        info = probe(path)
        mbit = path.stat().st_size * 8 / (info.duration_us / 1e6) / 1e6
        kind = "VFR" if info.variable_frame_rate else f"{info.fps:.0f} fps"
        print(
            f"\n== {name}: {info.width}×{info.height}, {info.frame_count} frames, {kind},"
            f" {mbit:.1f} Mbit/s; back steps from frames {plan.positions(info.frame_count)}"
        )
        ours = run_ours(path, plan)
        mpv_default = run_mpv(mpv, path, info.timebase, plan, untimed=False, back=True)
        mpv_untimed = run_mpv(mpv, path, info.timebase, plan, untimed=True, back=False)
        print_clip(ours, mpv_default, mpv_untimed)
        results[name] = {"ours": ours, "mpv": mpv_default, "mpv_untimed": mpv_untimed}
        results["mpv_version"] = mpv_default["version"]
        results["mpv_ffmpeg"] = mpv_default["ffmpeg"]
    print(
        f"\nmpv: {results['mpv_version']} (FFmpeg {results['mpv_ffmpeg']}), vo=null, hr-seek=yes;"
        f" run took {time.perf_counter() - started:.0f} s; load {_load()}"
    )
    results["load"] = _load()
    target = args.out / "results_vs_mpv.json"
    target.write_text(json.dumps(results, indent=2))
    print(f"results written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
