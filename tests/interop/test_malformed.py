"""Malformed files are refused whole, each problem with its place, and nothing is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coder.interop import InteropError, import_file

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"


def _refused(name: str, tmp_path: Path) -> list[str]:
    shutil.copy(DATA / name, tmp_path / name)
    with pytest.raises(InteropError) as caught:
        import_file(tmp_path / name, tmp_path / "p.attune", coder="JM")
    assert not (tmp_path / "p.attune").exists()  # nothing written
    assert str(caught.value).startswith(str(tmp_path / name))
    return caught.value.problems


def test_truncated_json_names_its_line(tmp_path: Path) -> None:
    (problem,) = _refused("truncated.boris", tmp_path)
    assert problem.startswith("line 20 column 2: the JSON ends before it is complete")


def test_missing_keys_are_each_named(tmp_path: Path) -> None:
    assert _refused("missing_keys.boris", tmp_path) == [
        "behaviors_conf: missing (the ethogram of a BORIS project)",
        'observations["s1"].events: missing',
    ]


def test_times_that_are_not_numbers_and_unknown_codes_are_each_named(tmp_path: Path) -> None:
    assert _refused("bad_events.boris", tmp_path) == [
        "observations[\"s1\"].events[2][0]: '1.0s' is not a number (a time in seconds)",
        "observations[\"s1\"].events[3][2]: 'jump' is not a behaviour of the ethogram",
    ]


def test_an_unpaired_start_is_reported_with_observation_and_time(tmp_path: Path) -> None:
    data = json.loads((DATA / "boris8_play.boris").read_text())
    data["observations"]["s1"]["events"].append([1.8, "", "play", "", "", 45])
    (tmp_path / "unpaired.boris").write_text(json.dumps(data))
    with pytest.raises(InteropError) as caught:
        import_file(tmp_path / "unpaired.boris", tmp_path / "p.attune", coder="JM")
    assert caught.value.problems == [
        "observations[\"s1\"].events[4]: observation 's1': START of 'play' at 1.8 s has no STOP"
    ]
    assert not (tmp_path / "p.attune").exists()


def test_a_stop_without_start_is_reported_with_row_observation_and_time(tmp_path: Path) -> None:
    assert _refused("stop_without_start.csv", tmp_path) == [
        "row 4: observation 'session 3': STOP of 'cry' at 4.25 s without a START"
    ]


def test_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    (problem,) = _refused("external_entity.eaf", tmp_path)
    assert problem.startswith("line 2: a document type declaration (DOCTYPE) is refused")


def test_entity_bomb_is_refused_before_any_expansion(tmp_path: Path) -> None:
    (problem,) = _refused("entity_bomb.eaf", tmp_path)
    assert problem.startswith("line 2: a document type declaration (DOCTYPE) is refused")


def test_xml_time_that_is_not_a_number_names_its_line(tmp_path: Path) -> None:
    problems = _refused("bad_times.eaf", tmp_path)
    assert problems[0] == (
        "line 6: TIME_SLOT 'ts2': TIME_VALUE '1.5s' is not a number of milliseconds"
    )


def test_events_past_the_video_or_overlapping_are_refused_whole(tmp_path: Path) -> None:
    from tests.interop.support import clip

    clip(tmp_path)
    (tmp_path / "p01.mp4").rename(tmp_path / "clip.mp4")  # 2 s of video
    data = json.loads((DATA / "boris8_play.boris").read_text())
    events = data["observations"]["s1"]["events"]
    # BORIS pairs rows by (subject, code, modifiers): these two overlap the first play
    events += [[0.5, "", "play", "loud", "", "NA"], [0.9, "", "play", "loud", "", "NA"]]
    events.append([2.5, "", "cry", "", "", "NA"])  # after the end
    (tmp_path / "over.boris").write_text(json.dumps(data))
    with pytest.raises(InteropError) as caught:
        import_file(tmp_path / "over.boris", tmp_path / "p.attune", coder="JM")
    problems = caught.value.problems
    assert any(
        "observation 's1': cry at 2.5 s is after the end of the video (2 s)" in p for p in problems
    )
    assert any(
        p.startswith("observations[\"s1\"].events[4]: observation 's1': event 3 (play at frame 12)")
        and "would overlap play from frame 2 to frame 25" in p
        for p in problems
    )
    assert not (tmp_path / "p.attune").exists()


def test_table_rows_keep_their_numbers_past_blank_rows(tmp_path: Path) -> None:
    (tmp_path / "gaps.csv").write_text(
        "observation,subject,code,onset,offset\n"
        "\n"
        "v1,infant,cry,1.0,\n"
        ",,,,\n"
        "v1,,smile,two,\n"
        "v1,,smile,3.0,\n"
    )
    with pytest.raises(InteropError) as caught:
        import_file(tmp_path / "gaps.csv", tmp_path / "p.attune", coder="JM")
    assert caught.value.problems == [
        "row 5: onset 'two' is not a time in seconds",
        "row 5, row 6: no subject, where other rows name one; give every row one",
    ]
    assert not (tmp_path / "p.attune").exists()
