"""Speed and exactness of the video engine (coder.media), measured on generated clips.

Run from the repository root:

    python benchmarks/bench_media.py            # about three minutes on 2 cores
    python benchmarks/bench_media.py --quick    # a smaller smoke run

It writes a 1080p and a 720p H.264 clip (30 fps, one keyframe every 250 frames, grainy moving
content at 20 and 8 Mbit/s) and the 1080p stream remuxed into MPEG-TS (as camcorders write it)
into ``benchmarks/out/`` (reused when present), then prints:

* the bare sequential decode time per frame, with conversion to RGB (the limit any frame-by-
  frame reader can reach) and without;
* for ``open_video``: forward step, backward step (cache hit, cache miss) and random access,
  in ms and as a ratio to the bare decode, for several decoder threading modes;
* MPEG-TS beside MP4, measured in the same run on the same stream;
* the cost of checking the index (demux, the sample decode at open) and of counting a file's
  frames by a full decode, per frame and extrapolated to one hour;
* OpenCV against PyAV: frames that are exactly the one asked for (CFR and VFR, random access
  and one step back) and their speed.

Numbers go to stdout and to ``benchmarks/out/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import av
import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.demo.synth import make_clip, read_frame_number, vfr_times
from coder.media import open_video, probe, read_packet_index
from coder.media.index import read_index

OUT = Path(__file__).resolve().parent / "out"
THREAD_TYPES = ("SLICE", "FRAME", "AUTO")
ENGINE_THREAD_TYPES = ("SLICE", "AUTO")  # FRAME behaves as AUTO for H.264
DEFAULT = "AUTO"  # open_video's default


# --- clips ---------------------------------------------------------------------------------------


def textured(image: np.ndarray, index: int) -> None:
    """A panning, detailed scene (stripes, blobs and a gradient) so that motion costs bits."""
    height, width = image.shape[:2]
    ys = np.arange(height, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    shift = index * 3.0
    base = 110 + 50 * np.sin((xs + shift) / 37.0) * np.cos((ys - shift * 0.5) / 53.0)
    stripes = 30 * np.sin((xs * 0.7 + ys * 0.3 + shift * 2) / 9.0)
    image[..., 0] = np.clip(base + stripes, 0, 255)
    image[..., 1] = np.clip(base * 0.8 + 40 * np.cos(ys / 71.0 + index / 20), 0, 255)
    image[..., 2] = np.clip(200 - base * 0.6 + stripes * 0.5, 0, 255)
    cx = int((index * 7) % width)
    cv2.circle(image, (cx, height // 2), height // 6, (240, 180, 60), -1)


def make_clips(out: Path, frames: int, single_slice: bool = True) -> dict[str, Path]:
    """The benchmark clips in ``out`` (made when absent, reused otherwise)."""
    specs = {
        "1080p": ((1920, 1080), 20_000_000),
        "720p": ((1280, 720), 8_000_000),
    }
    clips = {}
    for name, (size, bit_rate) in specs.items():
        path = out / f"bench_{name}_gop250_{frames}f.mp4"
        if not path.exists():
            started = time.perf_counter()
            make_clip(
                path.with_suffix(".part.mp4"),
                frames=frames,
                fps=30,
                size=size,
                gop=250,
                bframes=3,
                draw=textured,
                noise=10,
                preset="veryfast",
                bit_rate=bit_rate,
            ).replace(path)
            print(f"  made {path.name} in {time.perf_counter() - started:.1f} s")
        clips[name] = path
    ts = out / f"bench_1080p_gop250_{frames}f.ts"
    if not ts.exists():
        # The very same H.264 stream in MPEG-TS, as camcorders (AVCHD .MTS) write it.
        copy_to_mpegts(clips["1080p"], ts.with_suffix(".part.ts")).replace(ts)
    clips["1080p_ts"] = ts
    single = out / "bench_1080p_1slice_120f.mp4"
    if single_slice and not single.exists():
        # One slice per picture, as many cameras write: slice threads cannot help here.
        make_clip(
            single.with_suffix(".part.mp4"),
            frames=120,
            fps=30,
            size=(1920, 1080),
            gop=250,
            bframes=3,
            draw=textured,
            noise=10,
            preset="veryfast",
            bit_rate=20_000_000,
            encoder_params="slices=1:sliced-threads=0:threads=1",
        ).replace(single)
    if single_slice:
        clips["1080p_1slice"] = single
    vfr = out / "bench_vfr_640x360.mp4"
    if not vfr.exists():
        make_clip(
            vfr.with_suffix(".part.mp4"),
            frames=300,
            size=(640, 360),
            vfr_pts_us=vfr_times(300, seed=11),
            gop=60,
        ).replace(vfr)
    clips["vfr"] = vfr
    return clips


def copy_to_mpegts(source: Path, dest: Path) -> Path:
    """The video packets of ``source`` remuxed into MPEG-TS (no re-encoding)."""
    with av.open(str(source)) as inp, av.open(str(dest), "w", format="mpegts") as out:
        stream = inp.streams.video[0]
        target = out.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.size:
                packet.stream = target
                out.mux(packet)
    return dest


# --- measurements -------------------------------------------------------------------------------


def bare_decode(path: Path, thread_type: str, rgb: bool, repeats: int = 2) -> tuple[float, float]:
    """Wall and CPU seconds per frame of a plain sequential PyAV decode (best of ``repeats``),
    optionally converting every frame to RGB."""
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.codec_context.thread_type = thread_type
            count = 0
            wall, cpu = time.perf_counter(), time.process_time()
            for frame in container.decode(stream):
                if rgb:
                    frame.to_ndarray(format="rgb24")
                count += 1
            run = ((time.perf_counter() - wall) / count, (time.process_time() - cpu) / count)
        best = min(best, run)
    return best


def threading_numbers(paths: dict[str, Path], rounds: int) -> dict[str, dict[str, float]]:
    """Bare decode ms/frame per threading mode, interleaved and best of ``rounds``."""
    best: dict[str, dict[str, float]] = {name: {} for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            for tt in ("NONE", *THREAD_TYPES):
                ms = bare_decode(path, tt, rgb=False, repeats=1)[0] * 1e3
                best[name][tt] = min(best[name].get(tt, float("inf")), ms)
    return best


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def engine_numbers(path: Path, thread_type: str, seeks: int, back_steps: int) -> dict[str, float]:
    """Forward, backward and random access through open_video (ms per request)."""
    frames = probe(path).frame_count
    result: dict[str, float] = {}
    with open_video(path, thread_type=thread_type) as video:
        cpu = time.process_time()
        forward = [timed(lambda i=i: video.frame(i)) for i in range(1, frames)]
        result["forward_cpu_ms"] = (time.process_time() - cpu) / (frames - 1) * 1e3
        result["forward_ms"] = statistics.median(forward) * 1e3
        result["forward_mean_ms"] = statistics.fmean(forward) * 1e3
        hits, misses = [], []
        for i in range(frames - 2, max(-1, frames - 2 - back_steps), -1):
            before = video.cache.misses
            spent = timed(lambda i=i: video.frame(i))
            (misses if video.cache.misses > before else hits).append(spent)
        result["cache_frames"] = video.cache.capacity
        result["back_hit_ms"] = statistics.median(hits) * 1e3 if hits else float("nan")
        result["back_hit_max_ms"] = max(hits) * 1e3 if hits else float("nan")
        result["back_miss_ms"] = statistics.median(misses) * 1e3 if misses else float("nan")
        result["back_misses"] = len(misses)
        result["back_mean_ms"] = statistics.fmean(hits + misses) * 1e3
    rng = random.Random(5)
    wanted = [rng.randrange(frames) for _ in range(seeks)]
    # No cache: every request is a real seek plus decoding from the keyframe.
    with open_video(path, thread_type=thread_type, cache_mb=0) as video:
        exact = 0
        spent = []
        for i in wanted:
            started = time.perf_counter()
            picture = video.frame(i)
            spent.append(time.perf_counter() - started)
            exact += read_frame_number(picture) == i
        result["random_ms"] = statistics.median(spent) * 1e3
        result["random_max_ms"] = max(spent) * 1e3
        result["random_exact"] = exact
        result["random_n"] = len(wanted)
        result["random_decoded_per_request"] = video.frames_decoded / len(wanted)
    return result


def idle_forward(path: Path, steps: int, pause: float = 0.15) -> dict[str, float]:
    """Forward steps after a pause, the engine and a bare decode taking turns: in each pause the
    engine prepares the next frame (what the paused player's decode worker does), then
    ``frame(i + 1)`` is timed; the bare loop times decoding one more frame and converting it."""
    engine, bare, exact = [], [], 0
    with open_video(path) as video, av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.thread_type = DEFAULT
        frames = container.decode(stream)
        next(frames).to_ndarray(format="rgb24")
        video.frame(0)
        for i in range(1, steps + 1):
            video.prepare(i)
            time.sleep(pause)
            started = time.perf_counter()
            picture = video.frame(i)
            engine.append(time.perf_counter() - started)
            exact += read_frame_number(picture) == i
            time.sleep(pause)
            started = time.perf_counter()
            next(frames).to_ndarray(format="rgb24")
            bare.append(time.perf_counter() - started)
    return {
        "engine_ms": statistics.median(engine) * 1e3,
        "bare_ms": statistics.median(bare) * 1e3,
        "exact": exact,
        "n": steps,
    }


def opencv_numbers(path: Path, samples: int) -> dict[str, float]:
    """Exactness and speed of OpenCV's frame and time positioning on one clip."""
    info = probe(path)
    frames = info.frame_count
    rng = random.Random(9)
    wanted = [rng.randrange(1, frames) for _ in range(samples)]
    cap = cv2.VideoCapture(str(path))
    try:
        result: dict[str, float] = {}
        exact_frames, spent = 0, []
        for i in wanted:
            started = time.perf_counter()
            cap.set(cv2.CAP_PROP_POS_FRAMES, i)
            ok, bgr = cap.read()
            spent.append(time.perf_counter() - started)
            exact_frames += ok and _number(bgr) == i
        result["pos_frames_exact"] = exact_frames
        result["random_ms"] = statistics.median(spent) * 1e3
        exact_ms = 0
        for i in wanted:
            # Aim 1 ms into the frame: the most favourable time request there is.
            cap.set(cv2.CAP_PROP_POS_MSEC, info.timebase.pts_us(i) / 1000 + 1)
            ok, bgr = cap.read()
            exact_ms += ok and _number(bgr) == i
        result["pos_msec_exact"] = exact_ms
        back_exact = 0
        for i in wanted[: samples // 2]:
            cap.set(cv2.CAP_PROP_POS_FRAMES, i)
            cap.read()
            cap.set(cv2.CAP_PROP_POS_FRAMES, i - 1)  # one step back
            ok, bgr = cap.read()
            back_exact += ok and _number(bgr) == i - 1
        result["back_step_exact"] = back_exact
        result["back_step_n"] = samples // 2
        result["n"] = samples
        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
        count, started = 0, time.perf_counter()
        while count < min(frames, 150):
            ok, _ = cap.read()
            if not ok:
                break
            count += 1
        result["sequential_ms"] = (time.perf_counter() - started) / max(count, 1) * 1e3
        return result
    finally:
        cap.release()


def pyav_exactness(path: Path, samples: int) -> dict[str, float]:
    frames = probe(path).frame_count
    rng = random.Random(9)
    wanted = [rng.randrange(1, frames) for _ in range(samples)]
    with open_video(path, cache_mb=0) as video:
        exact = sum(read_frame_number(video.frame(i)) == i for i in wanted)
        back = 0
        for i in wanted[: samples // 2]:
            video.frame(i)
            back += read_frame_number(video.frame(i - 1)) == i - 1
    return {"random_exact": exact, "back_step_exact": back, "n": samples}


def _number(bgr: np.ndarray) -> int:
    try:
        return read_frame_number(bgr[..., ::-1])
    except ValueError:
        return -1


# --- report -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where clips and results go")
    parser.add_argument("--frames", type=int, default=300, help="frames per clip")
    parser.add_argument("--quick", action="store_true", help="short clips, fewer samples")
    args = parser.parse_args(argv)
    frames = 90 if args.quick else args.frames
    seeks = 6 if args.quick else 12
    samples = 20 if args.quick else 40
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"Python {platform.python_version()}, PyAV {av.__version__}, OpenCV {cv2.__version__}")
    print(f"{platform.machine()}, {_cores()} cores; clips in {args.out}; load {_load()}")
    clips = make_clips(args.out, frames)
    results: dict[str, object] = {"frames": frames, "av": av.__version__, "cv2": cv2.__version__}

    for name in ("1080p", "1080p_ts", "720p"):
        path = clips[name]
        info = probe(path)
        mbit = path.stat().st_size * 8 / (info.duration_us / 1e6) / 1e6
        print(
            f"\n== {name}: {info.width}×{info.height}, {info.frame_count} frames, {mbit:.1f} Mbit/s"
        )
        probe_ms = (
            min(timed(lambda path=path: read_index(path, kept=False)) for _ in range(3)) * 1e3
        )
        kept_ms = min(timed(lambda path=path: probe(path)) for _ in range(3)) * 1e3
        open_ms = min(timed(lambda path=path: open_video(path).close()) for _ in range(3)) * 1e3
        print(
            f"probe {probe_ms:.0f} ms (reading the packets), {kept_ms:.1f} ms (index kept);"
            f" open_video (kept index + first frame) {open_ms:.0f} ms"
        )
        print("bare sequential decode, ms/frame (decode only | decode + RGB):")
        bare = {}
        for tt in THREAD_TYPES:
            plain, plain_cpu = (x * 1e3 for x in bare_decode(path, tt, rgb=False))
            rgb, rgb_cpu = (x * 1e3 for x in bare_decode(path, tt, rgb=True))
            bare[tt] = {
                "decode_ms": plain,
                "decode_rgb_ms": rgb,
                "decode_cpu_ms": plain_cpu,
                "decode_rgb_cpu_ms": rgb_cpu,
            }
            print(f"  {tt:<6} {plain:6.2f} | {rgb:6.2f}   (CPU {plain_cpu:5.2f} | {rgb_cpu:5.2f})")
        engine = {}
        print(
            "open_video (ratio = ms / bare decode+RGB of the same threading):\n"
            "  thread  forward          back hit   back miss         random access     exact"
            "  forward CPU"
        )
        for tt in ENGINE_THREAD_TYPES:
            numbers = engine_numbers(path, tt, seeks=seeks, back_steps=min(frames - 2, 100))
            limit = bare[tt]["decode_rgb_ms"]
            engine[tt] = numbers
            print(
                f"  {tt:<6} {numbers['forward_ms']:6.2f} ({numbers['forward_ms'] / limit:4.2f}×)"
                f"  {numbers['back_hit_ms']:6.3f}"
                f"  {numbers['back_miss_ms']:7.1f} ({numbers['back_miss_ms'] / limit:5.1f}×)"
                f"  {numbers['random_ms']:7.1f} ({numbers['random_ms'] / limit:5.1f}×)"
                f"  {numbers['random_exact']}/{numbers['random_n']}"
                f"  {numbers['forward_cpu_ms']:5.2f}"
                f" ({numbers['forward_cpu_ms'] / bare[tt]['decode_rgb_cpu_ms']:4.2f}×)"
            )
        cache = engine[DEFAULT]["cache_frames"]
        print(
            f"  cache: {cache} frames in 256 MB; {min(frames - 2, 100)} back steps from the end,"
            f" {engine[DEFAULT]['back_misses']} of them misses; random access decoded"
            f" {engine[DEFAULT]['random_decoded_per_request']:.0f} frames a request"
            f" (a full decode from the keyframe would be {_mean_gop_run(path):.0f});"
            " mean back step"
            + "".join(f" {tt} {engine[tt]['back_mean_ms']:.1f} ms" for tt in ENGINE_THREAD_TYPES)
        )
        idle = idle_forward(path, 40)
        print(
            f"forward step after an idle moment (the next frame prepared, as the paused player"
            f" does), in turns with a bare decode + RGB of one frame: {idle['engine_ms']:.3f} ms"
            f" against {idle['bare_ms']:.2f} ms ({idle['engine_ms'] / idle['bare_ms']:.3f}×),"
            f" exact {idle['exact']}/{idle['n']}"
        )
        results[name] = {
            "mbit_s": mbit,
            "probe_ms": probe_ms,
            "probe_kept_ms": kept_ms,
            "idle_forward": idle,
            "open_ms": open_ms,
            "bare": bare,
            "engine": engine,
        }

    print("\n== MPEG-TS beside MP4 (the same 1080p H.264 stream, default threading)")
    side = {}
    for name in ("1080p", "1080p_ts"):
        numbers = results[name]["engine"][DEFAULT]  # type: ignore[index]
        side[name] = numbers
        print(
            f"  {name:<9} forward {numbers['forward_ms']:6.2f} ms  back hit"
            f" {numbers['back_hit_ms']:6.3f} ms  back miss {numbers['back_miss_ms']:7.1f} ms"
            f"  mean back {numbers['back_mean_ms']:6.1f} ms  random {numbers['random_ms']:6.1f} ms"
            f"  exact {numbers['random_exact']}/{numbers['random_n']}"
        )
    results["mpegts_vs_mp4"] = side

    print("\n== checking the index, and counting frames by a full decode (1080p, per frame)")
    results["index_cost"] = index_costs(clips["1080p"], clips["1080p_ts"])

    print("\n== decoder threading: bare decode ms/frame, best of interleaved runs")
    threading_best = threading_numbers(
        {
            "1080p (x264 default: several slices)": clips["1080p"],
            "1080p one slice": clips["1080p_1slice"],
        },
        rounds=2 if args.quick else 4,
    )
    for name, numbers in threading_best.items():
        print(f"  {name:<38}" + "".join(f" {tt} {ms:5.2f}" for tt, ms in numbers.items()))
    results["threading"] = threading_best

    print("\n== OpenCV against PyAV (frames that are exactly the one asked for)")
    comparison = {}
    for name in ("720p", "vfr"):
        path = clips[name]
        cv = opencv_numbers(path, samples)
        pyav = pyav_exactness(path, samples)
        comparison[name] = {"opencv": cv, "pyav": pyav}
        n, nb = samples, samples // 2
        print(
            f"  {name:<5} OpenCV POS_FRAMES {cv['pos_frames_exact']}/{n}, POS_MSEC"
            f" {cv['pos_msec_exact']}/{n}, back step {cv['back_step_exact']}/{nb};"
            f" PyAV engine {pyav['random_exact']}/{n}, back step {pyav['back_step_exact']}/{nb}"
        )
    cv_hd = opencv_numbers(clips["1080p"], max(6, seeks // 2))
    comparison["1080p_speed"] = cv_hd
    hd = results["1080p"]
    assert isinstance(hd, dict)
    print(
        f"  1080p speed: OpenCV sequential {cv_hd['sequential_ms']:.2f} ms/frame, random"
        f" {cv_hd['random_ms']:.0f} ms (exact {cv_hd['pos_frames_exact']}/{cv_hd['n']:.0f});"
        f" PyAV {DEFAULT} bare {hd['bare'][DEFAULT]['decode_rgb_ms']:.2f} ms/frame, random"
        f" {hd['engine'][DEFAULT]['random_ms']:.0f} ms"
    )
    results["opencv_vs_pyav"] = comparison

    print(f"\n== targets (1080p, default {DEFAULT} threading)")
    default_hd = hd["engine"][DEFAULT]
    ratio = default_hd["forward_ms"] / hd["bare"][DEFAULT]["decode_rgb_ms"]
    cpu_ratio = default_hd["forward_cpu_ms"] / hd["bare"][DEFAULT]["decode_rgb_cpu_ms"]
    verdict = "PASS" if ratio <= 1.3 else "MISS"
    print(f"  forward step ≤ 1.3× bare decode: {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU {verdict}")
    hit = default_hd["back_hit_ms"]
    print(f"  back step on cache hit ≤ 2 ms:   {hit:.3f} ms {'PASS' if hit <= 2 else 'MISS'}")
    idle_ms = hd["idle_forward"]["engine_ms"]
    verdict = "PASS" if idle_ms <= 2 else "MISS"
    print(f"  forward step after an idle moment ≤ 2 ms: {idle_ms:.3f} ms {verdict}")
    print(f"  load average at the end: {_load()}")
    results["load"] = _load()
    (args.out / "results.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults written to {args.out / 'results.json'}")
    return 0


HOUR_FRAMES = 30 * 3600


def index_costs(*paths: Path) -> dict[str, dict[str, float]]:
    """Demux-only index, the sample decode that checks it, and a full-decode count, measured
    on the benchmark clips and extrapolated to one hour of 1080p30 (108,000 frames)."""
    from coder.media.index import _Base, _demux
    from coder.media.sample import Sample, decode_all_ticks, decode_sample

    out: dict[str, dict[str, float]] = {}
    for path in paths:
        frames = probe(path).frame_count
        demux_s = min(timed(lambda p=path: _demux(p)) for _ in range(3))
        base: _Base = _demux(path)
        sample_s = min(
            timed(lambda p=path, b=base: decode_sample(p, b.stream_index, Sample()))
            for _ in range(2)
        )
        full_s = min(
            timed(lambda p=path, b=base: decode_all_ticks(p, b.stream_index)) for _ in range(2)
        )
        row = {
            "frames": frames,
            "demux_ms_per_frame": demux_s / frames * 1e3,
            "sample_check_s": sample_s,
            "full_decode_ms_per_frame": full_s / frames * 1e3,
            "hour_demux_s": demux_s / frames * HOUR_FRAMES,
            "hour_full_decode_min": full_s / frames * HOUR_FRAMES / 60,
        }
        out[path.suffix] = row
        print(
            f"  {path.suffix:<4} packet index {row['demux_ms_per_frame']:.3f} ms/frame"
            f" (one hour: {row['hour_demux_s']:.1f} s); sample check at open"
            f" {sample_s * 1e3:.0f} ms (once per file, any length); full-decode count"
            f" {row['full_decode_ms_per_frame']:.2f} ms/frame (one hour:"
            f" {row['hour_full_decode_min']:.1f} min, once per file, kept on disk;"
            " only for files whose packets mislead)"
        )
    return out


def _mean_gop_run(path: Path) -> float:
    """Frames decoded on average to reach a random frame from its keyframe, skipping none."""
    index = read_packet_index(path)
    runs = [i - index.keyframe_at_or_before(i) + 1 for i in range(index.frame_count)]
    return statistics.fmean(runs)


def _load() -> str:
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
