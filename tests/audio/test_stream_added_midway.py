"""A camcorder recording (MPEG-TS) that gains a stream midway has its sound read to the end."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from coder.audio import Envelope, read_sound
from tests.audio.sounds import Burst, make_sound_clip
from tests.media.oddmedia import splice_stream_midway

SECONDS = 14.0
LATE = Burst(10.0, 0.3)
"""A burst after the point where the new stream appears."""


def _with_a_stream_added_midway(folder: Path) -> Path:
    """The clip with a second sound track spliced in halfway, announced by tables of its own
    (too far from the start and the end of the file to be seen when the file is opened)."""
    clip = make_sound_clip(
        folder / "src.ts", seconds=SECONDS, bursts=(Burst(0.5, 0.3), LATE), size=(320, 240)
    )
    return splice_stream_midway(clip, folder / "midway.ts", pid="0x300")


def test_the_sound_of_a_file_gaining_a_stream_midway_is_read_to_its_end(tmp_path):
    path = _with_a_stream_added_midway(tmp_path)
    with av.open(str(path)) as container:
        assert len(container.streams) == 2  # the added track is met only while reading
    envelope = read_sound(path, cache_dir=None)
    assert isinstance(envelope, Envelope)
    assert envelope.duration_us > (SECONDS - 0.2) * 1e6
    # The burst after the splice is there: the read did not stop where the new stream began.
    start = envelope.start_us + round((LATE.start_s + 0.05) * 1e6)
    edges = np.array([start, start + 200_000])
    low, high, _ = envelope.columns(edges)
    assert max(abs(float(low[0])), abs(float(high[0]))) > 0.3
