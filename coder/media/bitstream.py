"""What a packet's bitstream says about the pictures it holds, for codecs where that varies.

VP8 and VP9 have hidden frames: pictures decoded as references only (alternate reference
frames), which some muxers store in packets of their own. Such a packet yields no picture, so
counting it as a frame would shift every later frame number. VP9 packs several frames into one
packet as a *superframe*; a ``show_existing_frame`` header shows an earlier hidden frame.
"""

from __future__ import annotations

from collections.abc import Callable


def picture_counter(codec: str) -> Callable[[bytes], int] | None:
    """A function telling how many pictures a packet of ``codec`` shows, or ``None`` when every
    packet is taken to show one."""
    return {"vp9": vp9_pictures, "libvpx-vp9": vp9_pictures, "vp8": vp8_pictures}.get(codec)


def vp8_pictures(data: bytes) -> int:
    """1 when a VP8 frame is shown, 0 for a hidden (alternate reference) frame."""
    if len(data) < 3:
        return 1
    return (data[0] >> 4) & 1


def vp9_pictures(data: bytes) -> int:
    """How many of the frames in a VP9 packet (a superframe may hold several) are shown."""
    return sum(_vp9_shown(frame) for frame in vp9_frames(data))


def vp9_frames(data: bytes) -> list[bytes]:
    """The frames of a VP9 packet: those listed in a superframe index, or the packet itself."""
    if not data:
        return []
    marker = data[-1]
    if marker & 0xE0 == 0xC0:
        count = (marker & 0x07) + 1
        width = ((marker >> 3) & 0x03) + 1
        index_size = 2 + width * count
        if len(data) >= index_size and data[-index_size] == marker:
            start = len(data) - index_size + 1
            frames, offset = [], 0
            for k in range(count):
                at = start + k * width
                size = int.from_bytes(data[at : at + width], "little")
                frames.append(data[offset : offset + size])
                offset += size
            if offset <= len(data) - index_size:
                return [f for f in frames if f]
    return [data]


def _vp9_shown(frame: bytes) -> int:
    """Read the first bits of a VP9 uncompressed header: shown (or showing an earlier frame)?"""
    if not frame:
        return 0
    bits = _Bits(frame)
    if bits.read(2) != 0b10:  # frame_marker: not a VP9 frame header we know, count it
        return 1
    low = bits.read(1)
    high = bits.read(1)
    if (high << 1 | low) == 3:
        bits.read(1)  # reserved_zero
    if bits.read(1):  # show_existing_frame
        return 1
    bits.read(1)  # frame_type
    return bits.read(1)  # show_frame


class _Bits:
    """Most-significant-bit-first reader over bytes (reads past the end give zeros)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def read(self, count: int) -> int:
        value = 0
        for _ in range(count):
            byte = self._pos >> 3
            bit = 0
            if byte < len(self._data):
                bit = (self._data[byte] >> (7 - (self._pos & 7))) & 1
            value = value << 1 | bit
            self._pos += 1
        return value
