"""Generated files of the kinds that break naive frame indexes (camcorders, old AVI, odd muxers).

Each maker writes a file whose pictures carry their frame code (:mod:`coder.demo.synth`), by
encoding with PyAV's FFmpeg and, where no encoder writes such a file, by remuxing or rewriting
packets:

* :func:`packed_avi`: MPEG-4 ASP in AVI with DivX-style packed B-frames (a P- and a B-frame in one
  chunk, then a not-coded placeholder VOP), as XviD/DivX wrote them;
* :func:`decode_order_timestamps`: H.264 with B-frames whose packets carry their decode times
  as presentation times (no composition offsets), as some muxers write;
* :func:`edit_list_leading_b`: MP4 whose edit list discards the leading keyframe, so the first
  frames shown are B-frames that refer to it;
* :func:`vp9_hidden_frames`: VP9 with hidden frames in packets of their own (a shown frame's
  header rewritten to ``show_frame = 0``: decoded as a reference, never shown);
* :func:`duplicate_timestamps`: two pictures sharing one time stamp;
* :func:`non_utf8_metadata`: tags whose bytes are not UTF-8 (a phone's location, a camera name);
* :func:`stream_added_midway`: MPEG-TS in which a sound stream starts midway, as broadcast
  recordings gain subtitles or a second sound track.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from coder.demo.synth import make_clip, render_frame

SIZE = (320, 240)


def sequential_numbers(path: Path) -> list[int]:
    """The frame codes of a plain sequential decode: the truth every access must match."""
    from coder.demo.synth import read_frame_number

    numbers = []
    with av.open(str(path), metadata_errors="replace") as container:
        try:
            for packet in container.demux(video=0):
                numbers += [
                    read_frame_number(f.to_ndarray(format="rgb24")) for f in packet.decode()
                ]
        except IndexError:
            pass  # PyAV's end of file after a stream appeared midway (every packet was read)
    return numbers


def remux(
    source: Path, dest: Path, fmt: str, fix: Callable[[int, av.Packet], None] | None = None
) -> Path:
    """Copy the video packets of ``source`` into ``dest`` (container ``fmt``), each passed to
    ``fix(number, packet)`` first."""
    with av.open(str(source)) as inp, av.open(str(dest), "w", format=fmt) as out:
        stream = inp.streams.video[0]
        target = out.add_stream_from_template(stream)
        for number, packet in enumerate(p for p in inp.demux(stream) if p.size):
            if fix is not None:
                fix(number, packet)
            packet.stream = target
            out.mux(packet)
    return dest


def decode_order_timestamps(folder: Path, suffix: str = ".mp4", frames: int = 60) -> Path:
    source = make_clip(folder / f"src_decorder{suffix}", frames=frames, gop=12, bframes=2)
    step = {".mp4": 512, ".mkv": 40}[suffix]

    def in_decode_order(number: int, packet: av.Packet) -> None:
        packet.pts = packet.dts = number * step

    fmt = {".mp4": "mp4", ".mkv": "matroska"}[suffix]
    return remux(source, folder / f"decode_order{suffix}", fmt, in_decode_order)


def edit_list_leading_b(folder: Path, frames: int = 60, cut: int = 2) -> Path:
    """The first ``cut`` frames (the keyframe among them) fall before the edit list's start."""
    source = make_clip(folder / "src_edit.mp4", frames=frames, gop=12, bframes=2)

    def earlier(number: int, packet: av.Packet) -> None:
        packet.pts -= 512 * cut
        packet.dts -= 512 * cut

    return remux(source, folder / "edit_list.mp4", "mp4", earlier)


def duplicate_timestamps(folder: Path, frames: int = 40, shared: tuple[int, ...] = (20,)) -> Path:
    """Frame ``k`` of ``shared`` carries the time stamp of frame ``k - 1``; the last frame too."""
    source = make_clip(folder / "src_dup.mkv", frames=frames, gop=10, bframes=0)
    last = frames - 1

    def share(number: int, packet: av.Packet) -> None:
        if number in shared or number == last:
            packet.pts = packet.dts = packet.pts - 40

    return remux(source, folder / "duplicate.mkv", "matroska", share)


def non_utf8_metadata(folder: Path, suffix: str = ".mkv") -> Path:
    source = make_clip(folder / f"src_meta{suffix}", frames=30, gop=10)
    fmt = {".mkv": "matroska", ".mp4": "mp4"}[suffix]
    plain = folder / f"meta_plain{suffix}"
    with av.open(str(source)) as inp, av.open(str(plain), "w", format=fmt) as out:
        out.metadata["title"] = "QQQQLOCATIONQQQQ"
        stream = inp.streams.video[0]
        target = out.add_stream_from_template(stream)
        target.metadata["title"] = "QQQQSTREAMNAME"
        for packet in inp.demux(stream):
            if packet.size:
                packet.stream = target
                out.mux(packet)
    data = plain.read_bytes()
    for placeholder, raw in (
        (b"QQQQLOCATIONQQQQ", b"+48.1\xff\xfeOrt\xe9\xa0XYZ!"),  # Latin-1 and stray bytes
        (b"QQQQSTREAMNAME", b"Kamera \xe4\xf6\xfc 1 !"),
    ):
        assert len(raw) == len(placeholder)
        assert data.count(placeholder) == 1
        data = data.replace(placeholder, raw)  # same length: the container stays valid
    bad = folder / f"non_utf8{suffix}"
    bad.write_bytes(data)
    return bad


def stream_added_midway(folder: Path, frames: int = 80) -> Path:
    """H.264 in MPEG-TS with a sound stream spliced in halfway, announced by tables of its own:
    too far from the start and the end of the file to be seen when the file is opened."""
    video = make_clip(folder / "src_midway.ts", frames=frames, gop=12, bframes=2, noise=10)
    return splice_stream_midway(video, folder / "midway.ts", pid="0x200")


def splice_stream_midway(clip: Path, out: Path, pid: str) -> Path:
    """``clip`` (MPEG-TS) with a short silent mp2 stream on ``pid`` spliced in at its middle,
    on a transport packet boundary; written to ``out``."""
    extra = out.with_name(f"{out.stem}_extra.ts")
    with av.open(str(extra), "w", format="mpegts", options={"mpegts_start_pid": pid}) as muxer:
        stream = muxer.add_stream("mp2", rate=48_000)
        for i in range(10):
            samples = np.zeros((1, 1152), dtype=np.int16)
            frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
            frame.sample_rate = 48_000
            frame.pts = i * 1152
            muxer.mux(stream.encode(frame))
        muxer.mux(stream.encode(None))
    data = clip.read_bytes()
    middle = len(data) // 2 // 188 * 188
    out.write_bytes(data[:middle] + extra.read_bytes() + data[middle:])
    return out


# --- packed B-frames -----------------------------------------------------------------------------

_VOP = b"\x00\x00\x01\xb6"
# User data telling decoders that the B-frames are packed.
_DIVX_PACKED = b"\x00\x00\x01\xb2DivX503b1393p"


def packed_avi(folder: Path, frames: int = 40, fps: int = 25) -> Path:
    """MPEG-4 ASP with one B-frame between anchors, stored DivX-style: each anchor packed with
    the B-frame that follows it in decode order into one chunk, then a not-coded VOP."""
    encoder = av.CodecContext.create("mpeg4", "w")
    encoder.width, encoder.height = SIZE
    encoder.pix_fmt = "yuv420p"
    encoder.time_base = Fraction(1, fps)
    encoder.framerate = fps
    encoder.gop_size = 12
    encoder.max_b_frames = 1
    encoder.qmin, encoder.qmax = 2, 8
    encoder.open()
    coded: list[bytes] = []
    for i in range(frames):
        frame = av.VideoFrame.from_ndarray(render_frame(i, *SIZE), format="rgb24")
        frame.pts = i
        frame.time_base = Fraction(1, fps)
        coded += [bytes(p) for p in encoder.encode(frame)]
    coded += [bytes(p) for p in encoder.encode(None)]
    kinds = ["IPBS"[c[c.find(_VOP) + 4] >> 6] for c in coded]
    first = coded[0]
    at = first.find(_VOP)
    coded[0] = first[:at] + _DIVX_PACKED + first[at:]
    chunks: list[tuple[bytes, bool]] = []
    j = 0
    while j < len(coded):
        if j + 1 < len(coded) and kinds[j] in "IP" and kinds[j + 1] == "B":
            chunks.append((coded[j] + coded[j + 1], kinds[j] == "I"))
            chunks.append((_not_coded_vop(j, fps), False))
            j += 2
        else:
            chunks.append((coded[j], kinds[j] == "I"))
            j += 1
    path = folder / "packed.avi"
    with av.open(str(path), "w", format="avi") as out:
        stream = out.add_stream("mpeg4", rate=fps)
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for number, (data, key) in enumerate(chunks):
            packet = av.Packet(data)
            packet.pts = packet.dts = number
            packet.time_base = Fraction(1, fps)
            packet.stream = stream
            packet.is_keyframe = key
            out.mux(packet)
    return path


def _not_coded_vop(number: int, resolution: int) -> bytes:
    """A P-VOP header with ``vop_coded = 0`` (what XviD writes for a dropped frame)."""
    width = max(1, (resolution - 1).bit_length())
    bits = "01" + "0" + "1" + format(number % resolution, f"0{width}b") + "1" + "0"
    pad = 8 - len(bits) % 8
    bits += "0" + "1" * (pad - 1)
    return _VOP + int(bits, 2).to_bytes(len(bits) // 8, "big")


# --- VP9 hidden frames ---------------------------------------------------------------------------


def vp9_hidden_frames(
    folder: Path, frames: int = 60, hidden: tuple[int, ...] = (7, 20, 33)
) -> Path:
    """VP9 in WebM where the packets of frames ``hidden`` are hidden frames (``show_frame = 0``),
    each in a packet of its own with its own time stamp, as alternate reference frames are
    stored by some muxers. They are decoded as references and never shown, so a sequential
    decode gives ``frames - len(hidden)`` pictures."""
    # Error-resilient coding: a frame's decoding then never depends on whether the frame
    # before it was shown (otherwise it predicts motion from it only when it was).
    source = folder / "src_vp9.webm"
    with av.open(str(source), "w", format="webm") as out:
        options = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
        stream = out.add_stream("libvpx-vp9", rate=25, options={**options, "error-resilient": "1"})
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        stream.codec_context.gop_size = 30
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(render_frame(i, *SIZE), format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, 25)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    with av.open(str(source)) as inp:
        packets = [bytes(p) for p in inp.demux(video=0) if p.size]
    reference = _vp9_decode(packets)
    done: set[int] = set()
    for k in hidden:
        done.add(k)
        shown = [picture for i, picture in enumerate(reference) if i not in done]
        packets[k] = _hide_vp9_frame(packets, k, shown)
    path = folder / "vp9_hidden.webm"
    # Matroska muxers pack hidden frames into superframes unless told not to (autobsf).
    raw = {"fflags": "-autobsf"}
    with av.open(str(source)) as inp, av.open(str(path), "w", format="webm", options=raw) as out:
        stream = inp.streams.video[0]
        target = out.add_stream_from_template(stream)
        for number, packet in enumerate(p for p in inp.demux(stream) if p.size):
            rewritten = av.Packet(packets[number])
            rewritten.pts, rewritten.dts = packet.pts, packet.dts
            rewritten.time_base = packet.time_base
            rewritten.is_keyframe = packet.is_keyframe
            rewritten.stream = target
            out.mux(rewritten)
    return path


def _vp9_decode(packets: list[bytes]) -> list[np.ndarray]:
    decoder = av.CodecContext.create("vp9", "r")
    out = []
    for data in packets:
        for frame in decoder.decode(av.Packet(data)):
            out.append(frame.to_ndarray(format="rgb24"))
    out += [f.to_ndarray(format="rgb24") for f in decoder.decode(None)]
    return out


def _hide_vp9_frame(packets: list[bytes], k: int, shown: list[np.ndarray]) -> bytes:
    """Packet ``k`` with ``show_frame`` cleared and the ``intra_only = 0`` bit that a hidden
    inter frame's header then carries inserted.

    The bits after the insertion move by one up to the end of the uncompressed header, whose
    length is not stored; each candidate length is tried and the one whose stream decodes to
    exactly the original pictures (less the hidden one) is kept.
    """
    data = packets[k]
    bits = "".join(format(b, "08b") for b in data[:80])
    if bits[:2] != "10" or bits[2:4] != "00" or bits[4] != "0" or bits[5] != "1" or bits[6] != "1":
        raise ValueError(f"packet {k} is not a shown profile-0 inter frame")
    for length in range(3, 64):
        head = bits[: 8 * length]
        body = head[:6] + "0" + head[7:8] + "0" + head[8:]
        if body.endswith("0"):
            body = body[:-1]
        body += "0" * (-len(body) % 8)
        candidate = int(body, 2).to_bytes(len(body) // 8, "big") + data[length:]
        trial = [*packets[:k], candidate, *packets[k + 1 :]]
        try:
            decoded = _vp9_decode(trial)
        except av.error.FFmpegError:
            continue
        if len(decoded) == len(shown) and all(
            np.array_equal(a, b) for a, b in zip(decoded, shown, strict=True)
        ):
            return candidate
    raise ValueError(f"could not hide VP9 frame {k}")
