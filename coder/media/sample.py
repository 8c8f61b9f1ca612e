"""Decoding to check an index: the first pictures of a file, or every picture's time stamp.

:func:`decode_sample` decodes the start of a file (the packet index's prediction is checked
against it, and it tells rotation and interlacing); :func:`decode_all_ticks` counts the frames of
a file whose packets mislead by a full decode (see :mod:`coder.media.index`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import av
import numpy as np

from coder.media.avio import AV_ERRORS, demux, open_container, quiet
from coder.media.packets import NO_TS

SAMPLE_FRAMES = 16
"""Pictures decoded from the start of a file to check the packet index."""


@dataclass
class Sample:
    """What decoding the start of a file showed."""

    ticks: list[int] = field(default_factory=list)
    rotation: int = 0
    interlaced: bool = False
    width: int = 0
    height: int = 0
    problems: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.problems.append(text)

    def agrees(self, predicted: np.ndarray) -> bool:
        n = len(self.ticks)
        return n <= predicted.size and predicted[:n].tolist() == self.ticks

    def disagreement(self, predicted: np.ndarray) -> str:
        got, want = self.ticks, predicted.tolist()
        for k, (a, b) in enumerate(zip(got, want, strict=False)):
            if a != b:
                return (
                    f"decoded picture {k} carries time stamp {ts_text(a)} where the packets"
                    f" predict {ts_text(b)} (time stamps in decode order, packed or hidden frames)"
                )
        return f"the packets predict {len(want)} pictures, the decoder gave more"


def ts_text(tick: int) -> str:
    return "none" if tick == NO_TS else str(tick)


def decode_sample(path: Path, stream_index: int, sample: Sample) -> None:
    """Decode the start of the file: the time stamps of its first pictures, their rotation,
    interlacing and size."""
    with open_container(path) as container:
        stream = cast(av.VideoStream, container.streams[stream_index])
        stream.codec_context.thread_type = "AUTO"
        for frame in first_frames(container, stream, SAMPLE_FRAMES):
            if not sample.ticks:
                sample.rotation = round(float(frame.rotation or 0) / 90) * 90 % 360
                sample.width, sample.height = frame.width, frame.height
            sample.ticks.append(NO_TS if frame.pts is None else int(frame.pts))
            sample.interlaced = sample.interlaced or bool(frame.interlaced_frame)


def first_frames(
    container: av.container.InputContainer, stream: av.VideoStream, count: int
) -> Iterator[av.VideoFrame]:
    made = 0
    for packet in demux(container, stream):
        try:
            frames = packet.decode()
        except AV_ERRORS:
            continue
        for frame in frames:
            yield frame
            made += 1
            if made >= count:
                return
    with quiet():
        yield from stream.codec_context.decode(None)


def decode_all_ticks(
    path: Path,
    stream_index: int,
    progress: Callable[[int, int, str], None] | None = None,
    total: int = 0,
) -> np.ndarray:
    """The time stamp of every picture a sequential decode of ``path`` gives, in output order.

    Pictures are not converted (only counted); damage skips what cannot be decoded, as a plain
    decode would. ``progress(done, total, text)`` is called now and then with the packets
    decoded so far.
    """
    out: list[int] = []
    done = 0
    text = f"Counting the frames of {path.name}"
    with open_container(path) as container:
        stream = container.streams[stream_index]
        ctx = cast(av.VideoCodecContext, stream.codec_context)
        ctx.thread_type = "AUTO"
        ctx.options = {"skip_loop_filter": "all"}  # order and time stamps do not need it
        packets = demux(container, stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except AV_ERRORS:
                break  # a damaged tail
            try:
                frames = packet.decode()
            except AV_ERRORS:
                continue
            for frame in frames:
                pts = frame.pts if isinstance(frame, av.VideoFrame) else None
                out.append(NO_TS if pts is None else int(pts))
            done += 1
            if progress is not None and done % 250 == 0:
                progress(done, total, text)
        try:
            for frame in ctx.decode(None):
                out.append(NO_TS if frame.pts is None else int(frame.pts))
        except AV_ERRORS:
            pass
    if progress is not None:
        progress(done, max(total, done), text)
    return np.asarray(out, dtype=np.int64)
