"""The frame index is kept once read: found again wherever the file goes, never trusted once the
file changed, and a cache folder that is damaged or unusable only costs a new read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from coder.demo.synth import make_clip, read_frame_number
from coder.media import index as index_module
from coder.media import index_cache, index_is_kept, index_store, open_video, probe
from coder.media.index import PacketIndex, read_index
from coder.media.pyav import PyAVVideoSource
from tests.media import oddmedia


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(index_cache.ENV, str(folder))
    index_cache.forget_memory()
    yield folder
    index_cache.forget_memory()


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every file whose packets are read from here on."""
    seen: list[Path] = []
    real = index_module._demux

    def counting(path: Path, *args: object) -> object:
        seen.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "_demux", counting)
    return seen


@pytest.fixture(scope="module")
def source_clip(tmp_path_factory) -> Path:
    """A clip large enough (about 1 MB) that its fingerprint samples only part of it."""
    folder = tmp_path_factory.mktemp("kept")
    return make_clip(folder / "session.mp4", frames=90, gop=30, bframes=2, noise=12)


@pytest.fixture
def clip(tmp_path, source_clip) -> Path:
    """A private copy (tests move and change it)."""
    folder = tmp_path / "project" / "videos"
    folder.mkdir(parents=True)
    return Path(shutil.copy(source_clip, folder / "session.mp4"))


def _same(a: PacketIndex, b: PacketIndex) -> bool:
    arrays = ("ticks", "keyframes", "key_packets")
    packets = ("pts", "dts", "pos", "key", "discard", "pictures", "duration")
    scalars = (
        *("stream_index", "time_base", "width", "height", "codec", "header_fps", "has_audio"),
        *("format_name", "format_flags", "method", "notes", "rotation", "sample_aspect"),
        *("interlaced", "top_field_first", "vfr", "damaged"),
    )
    return (
        all(np.array_equal(getattr(a, n), getattr(b, n)) for n in arrays)
        and all(np.array_equal(getattr(a.packets, n), getattr(b.packets, n)) for n in packets)
        and all(getattr(a, n) == getattr(b, n) for n in scalars)
        and a.timebase == b.timebase
    )


def test_a_second_open_reads_no_packets_and_gets_the_same_index(cache, reads, clip):
    first = read_index(clip)
    assert reads == [clip]
    assert not first.kept
    assert index_is_kept(clip)
    again = read_index(clip)
    assert reads == [clip]
    assert again.kept
    assert _same(first, again)
    with open_video(clip) as video:
        assert reads == [clip]
        assert video.index.kept
        wanted = [89, 0, 45, 44, 30, 29, 60]
        assert [read_frame_number(video.frame(i)) for i in wanted] == wanted


def test_the_kept_index_is_found_after_the_project_and_the_file_move(cache, reads, clip, tmp_path):
    probe(clip)
    moved_project = tmp_path / "moved"
    (tmp_path / "project").rename(moved_project)
    moved = moved_project / "videos" / "session.mp4"
    renamed = moved.rename(moved.with_name("renamed.mp4"))
    info = probe(renamed)
    assert reads == [clip]
    assert info.path == renamed
    with open_video(renamed) as video:
        assert video.index.path == renamed
        assert read_frame_number(video.frame(50)) == 50


def test_a_copy_with_a_new_time_is_checked_deeper_and_then_used(cache, reads, clip, tmp_path):
    probe(clip)
    copy = tmp_path / "copy.mp4"
    shutil.copyfile(clip, copy)  # content equal, modification time not
    os.utime(copy, ns=(1_000_000_000, 1_000_000_000))
    assert probe(copy).frame_count == 90
    assert reads == [clip]


def test_a_changed_file_is_read_again(cache, reads, clip, tmp_path):
    probe(clip)
    other = make_clip(tmp_path / "other.mp4", frames=40, gop=10)
    shutil.copyfile(other, clip)  # replaced by another recording
    assert probe(clip).frame_count == 40
    assert reads == [clip, clip]


def test_a_file_changed_where_its_fingerprint_does_not_look_is_read_again(
    cache, reads, clip, monkeypatch
):
    before = probe(clip)
    record = index_store.record_path(clip)
    data = bytearray(clip.read_bytes())
    size = len(data)
    assert size > 6 * 64 * 1024
    # A byte one of the deeper samples reads, outside the fingerprint's three samples.
    step = (size - index_store.DEEP_BYTES) / (index_store.DEEP_SAMPLES - 1)
    where = next(
        round(k * step) + 10
        for k in range(index_store.DEEP_SAMPLES)
        if 64 * 1024 < round(k * step) < (size - 64 * 1024) // 2 - 64 * 1024
    )
    data[where] ^= 0xFF
    clip.write_bytes(bytes(data))
    assert index_store.record_path(clip) == record  # the fingerprint cannot tell
    info = probe(clip)
    assert reads == [clip, clip]
    assert info.frame_count == before.frame_count


def test_another_demuxer_version_does_not_use_the_kept_index(cache, reads, clip, monkeypatch):
    probe(clip)
    monkeypatch.setattr(index_store, "demuxer_version", lambda: "another/version")
    probe(clip)
    assert reads == [clip, clip]


def test_a_damaged_record_is_ignored_and_replaced(cache, reads, clip):
    probe(clip)
    record = index_store.record_path(clip)
    assert record is not None
    record.write_bytes(b"PK\x03\x04 not a record at all")
    assert probe(clip).frame_count == 90
    assert reads == [clip, clip]
    assert index_store.load(clip) is not None  # replaced by a good one
    arrays = dict(np.load(record))
    arrays["keyframes"] = arrays["keyframes"][:-1]  # readable, but its parts do not fit
    with record.open("wb") as handle:
        np.savez(handle, **arrays)
    assert index_store.load(clip) is None
    assert probe(clip).frame_count == 90
    assert reads == [clip, clip, clip]


def test_a_cache_that_cannot_be_written_is_simply_not_used(tmp_path, monkeypatch, reads, clip):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(index_cache.ENV, str(blocker / "cache"))
    assert probe(clip).frame_count == 90
    assert probe(clip).frame_count == 90
    assert reads == [clip, clip]
    monkeypatch.setenv(index_cache.ENV, "")  # kept nowhere
    assert probe(clip).frame_count == 90
    assert not index_is_kept(clip)


def test_a_kept_index_the_file_contradicts_is_read_again_and_frames_stay_exact(
    cache, clip, tmp_path
):
    """A record that does not fit the file under its name (planted here) is found out by
    decoding: the packets are read again and every frame served is the right one."""
    other = make_clip(tmp_path / "other.mp4", frames=90, gop=12, bframes=2, noise=12)
    truth = oddmedia.sequential_numbers(clip)
    probe(other)
    planted = index_store.record_path(other)
    target = index_store.record_path(clip)
    assert planted is not None
    assert target is not None
    probe(clip)
    arrays = dict(np.load(planted))
    meta = json.loads(str(arrays.pop("meta")))
    stat = clip.stat()  # the planted record claims this file's size, time and samples
    meta.update(size=stat.st_size, mtime_ns=stat.st_mtime_ns, deep=index_store.deep_digest(clip))
    index_store._write(target, arrays, meta)
    assert index_store.load(clip) is not None
    with open_video(clip, cache_mb=0) as video:
        wanted = [80, 5, 40, 39, 13, 89, 0]
        assert [read_frame_number(video.frame(i)) for i in wanted] == [truth[i] for i in wanted]
        assert not video.index.kept
        assert video.repairs == 1  # the packets were read again, no full decode
        assert video.index.method == "packets"


def test_reading_the_packets_reports_progress_and_can_be_cancelled(cache, clip, monkeypatch):
    monkeypatch.setattr(index_module, "PROGRESS_PACKETS", 10)
    heard: list[tuple[int, int, str]] = []

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int, text: str) -> None:
        heard.append((done, total, text))
        raise Cancelled

    with pytest.raises(Cancelled):
        read_index(clip, progress=cancel)
    assert not index_is_kept(clip)
    assert "session.mp4" in heard[0][2]
    heard.clear()
    read_index(clip, progress=lambda *args: heard.append(args))
    size = clip.stat().st_size
    assert heard[-1][:2] == (size, size)
    assert [d for d, _, _ in heard] == sorted(d for d, _, _ in heard)
    assert index_is_kept(clip)


def test_a_source_opened_with_a_kept_index_is_exact_in_every_order(cache, clip):
    truth = oddmedia.sequential_numbers(clip)
    probe(clip)
    for order in (range(90), range(89, -1, -1), [7, 88, 31, 30, 29, 61, 2]):
        with PyAVVideoSource(clip, cache_mb=1) as video:
            assert video.index.kept
            assert [read_frame_number(video.frame(i)) for i in order] == [truth[i] for i in order]
