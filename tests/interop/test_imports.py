"""Imports of files written by hand in BORIS's, ELAN's and tidy-table formats."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from coder.interop import (
    InteropError,
    fill_frames,
    import_file,
    read_file,
)
from coder.project import Project

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"


def _copy(name: str, folder: Path) -> Path:
    shutil.copy(DATA / name, folder / name)
    return folder / name


def test_boris7_project_without_its_video_keeps_exact_times_and_says_frames_are_provisional(
    tmp_path: Path,
) -> None:
    result = import_file(_copy("boris7_feeding.boris", tmp_path), tmp_path / "p.attune", coder="JM")
    assert result.provisional == ("C:/Users/lab/videos/P07_lunch.mp4",)
    assert any("key 'Space'" in note and "'c' in Attune" in note for note in result.notes)
    assert any("touch excludes vocalise" in note for note in result.notes)
    with Project.open(tmp_path / "p.attune", read_only=True) as project:
        scheme = project.scheme
        frame = project.events_frame()
        media = project.observations[0].media[0]
    assert [s.code for s in scheme.subjects] == ["Baby", "Mom"]
    assert {g.code: g.exclusive for g in scheme.groups} == {"gaze": True, "feeding": False}
    assert scheme.behaviour("vocalise").subject == "Mom"
    assert scheme.behaviour("vocalise_Baby").subject == "Baby"  # one behaviour per subject
    assert scheme.behaviour("refuse").modifiers == ("turns head", "pushes spoon")
    assert (media.fps, media.frame_count, media.fingerprint) == (25.0, 200, "")
    touch = frame[frame["behaviour"] == "touch"].iloc[0]
    assert (touch["onset_us"], touch["onset_frame"], touch["comment"]) == (
        5123456,
        128,
        "hand on back",
    )
    assert frame["frame_provisional"].all()
    vocal = frame[frame["behaviour"] == "vocalise"].iloc[0]
    assert (vocal["modifiers"], vocal["onset_us"], vocal["offset_us"]) == (
        "warm",
        2_000_000,
        3_500_000,
    )


def test_boris8_gzipped_project_with_frame_index_and_a_live_observation(tmp_path: Path) -> None:
    from tests.interop.support import clip

    clip(tmp_path)  # clip.mp4's name is what the file gives: found beside it
    (tmp_path / "p01.mp4").rename(tmp_path / "clip.mp4")
    packed = tmp_path / "play.boris.gz"
    packed.write_bytes(gzip.compress((DATA / "boris8_play.boris").read_bytes()))
    result = import_file(packed, tmp_path / "p.attune", coder="JM")
    assert result.provisional == ("(no video)",)  # the live observation has none
    with Project.open(tmp_path / "p.attune", read_only=True) as project:
        frame = project.events_frame()
    s1 = frame[frame["observation"] == "s1"]
    assert s1[["behaviour", "onset_frame"]].values.tolist() == [
        ["play", 2],
        ["cry", 5],
        ["cry", 40],
    ]
    assert not s1["frame_provisional"].any()
    live = frame[frame["observation"] == "live session"]
    assert live[["onset_us", "offset_us"]].values.tolist() == [[10_500_000, 12_250_000]]
    assert live["frame_provisional"].all()


def test_importing_the_same_file_twice_is_refused_and_nothing_is_doubled(tmp_path: Path) -> None:
    source = _copy("boris8_play.boris", tmp_path)
    import_file(source, tmp_path / "p.attune", coder="JM")
    with pytest.raises(InteropError, match="already imported"):
        import_file(source, tmp_path / "p.attune", coder="JM")
    with Project.open(tmp_path / "p.attune", read_only=True) as project:
        assert len(project.events_frame()) == 4


def test_eaf_with_vocabularies_dependent_tiers_and_two_participants(tmp_path: Path) -> None:
    _copy("affect.ecv", tmp_path)
    result = import_file(_copy("two_participants.eaf", tmp_path), tmp_path / "p.attune")
    assert any("'cues-ecv'" in n and "not beside the file" in n for n in result.notes)
    with Project.open(tmp_path / "p.attune", read_only=True) as project:
        scheme = project.scheme
        frame = project.events_frame()
    assert [s.code for s in scheme.subjects] == ["infant", "mother"]
    gaze = [b.code for b in scheme.behaviours if b.group == "Gaze_Infant"]
    assert gaze == ["face", "away"]
    assert scheme.group("Gaze_Infant").exclusive
    assert scheme.behaviour("face_mother").subject == "mother"  # one CV, two participants
    affect = [b.code for b in scheme.behaviours if b.group == "Affect_Infant"]
    assert affect == ["positive", "neutral", "negative"]  # the external vocabulary beside it
    rows = {r.behaviour: r for r in frame.itertuples()}
    assert rows["away"].modifiers == "brief"  # the associated tier's value
    assert rows["Speech_Mother"].comment == "look at the ball!"  # free text kept
    assert rows["directive"].comment == "in Speech-Mother: look at the ball!"  # its parent
    assert (rows["positive"].onset_us, rows["positive"].offset_us) == (3_300_000, 3_900_000)
    assert set(frame["coder"]) == {"JM"}  # the tiers' annotator


def test_eaf_external_vocabulary_missing_is_reported(tmp_path: Path) -> None:
    data = read_file(_copy("two_participants.eaf", tmp_path))
    assert any("'affect-ecv'" in n for n in data.notes)
    assert data.scheme is not None
    assert data.scheme.has_behaviour("positive")  # taken from the annotations


def test_tidy_csv_into_a_new_project(tmp_path: Path) -> None:
    result = import_file(_copy("legacy_codes.csv", tmp_path), tmp_path / "p.attune")
    assert result.passes == 2
    with Project.open(tmp_path / "p.attune", read_only=True) as project:
        frame = project.events_frame()
        scheme = project.scheme
    assert scheme.behaviour("fuss").kind == "point"
    assert scheme.behaviour("touch").subject == "mother"
    fuss = frame[(frame["behaviour"] == "fuss") & (frame["observation"] == "p01")].iloc[0]
    assert (fuss["onset_us"], fuss["modifiers"]) == (1_500_000, "loud")


def test_codes_that_do_not_map_are_listed_and_a_map_file_makes_them_map(tmp_path: Path) -> None:
    from coder.interop import read_map
    from coder.scheme import scheme_from_dict
    from tests.interop.support import SCHEME

    Project.create(tmp_path / "ours.attune", scheme_from_dict(SCHEME)).close()
    source = _copy("boris8_play.boris", tmp_path)
    with pytest.raises(InteropError) as caught:
        import_file(source, tmp_path / "ours.attune", coder="JM")
    assert "do not map" in str(caught.value)
    assert "'play' (first at observations[\"s1\"].events[0])" in str(caught.value)
    (tmp_path / "map.csv").write_text("theirs,ours\nplay,touch\ncry,cry\n")
    result = import_file(
        source, tmp_path / "ours.attune", coder="JM", mapping=read_map(tmp_path / "map.csv")
    )
    assert result.events == 4
    with Project.open(tmp_path / "ours.attune", read_only=True) as project:
        assert sorted(set(project.events_frame()["behaviour"])) == ["cry", "touch"]


def test_fill_frames_links_the_video_once_found(tmp_path: Path) -> None:
    from tests.interop.support import clip

    (tmp_path / "in").mkdir()
    source = _copy("boris8_play.boris", tmp_path / "in")
    import_file(source, tmp_path / "p.attune", coder="JM")  # clip.mp4 is not there yet
    clip(tmp_path / "found")
    with Project.open(tmp_path / "p.attune") as project:
        s1 = next(o for o in project.observations if o.name == "s1")
        assert project.events_frame()["frame_provisional"].all()
        result = fill_frames(project, s1, videos={0: tmp_path / "found" / "p01.mp4"})
        assert result.linked == (str(tmp_path / "found" / "p01.mp4"),)
        status = project.events_frame()
        assert not status[status["observation"] == "s1"]["frame_provisional"].any()
        assert project.observation(s1.id).media[0].fingerprint != ""
        live = next(o for o in project.observations if o.name == "live session")
        with pytest.raises(InteropError, match="differ from what the imported file said"):
            fill_frames(project, live, videos={0: tmp_path / "found" / "p01.mp4"})


def test_xlsx_events_and_a_yaml_map_onto_an_existing_project(tmp_path: Path) -> None:
    import openpyxl

    from coder.interop import read_map
    from coder.scheme import scheme_from_dict
    from tests.interop.support import SCHEME

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["observation", "coder", "code", "onset", "offset", "modifiers"])
    sheet.append(["p09", "EF", "Blick Mutter", 0.5, 1.5, None])
    sheet.append(["p09", "EF", "Weinen", 2.25, None, "strong"])
    book.save(tmp_path / "legacy.xlsx")
    Project.create(tmp_path / "ours.attune", scheme_from_dict(SCHEME)).close()
    (tmp_path / "map.yaml").write_text("behaviours:\n  Blick Mutter: look_m\n  Weinen: cry\n")
    mapping = read_map(tmp_path / "map.yaml")
    result = import_file(tmp_path / "legacy.xlsx", tmp_path / "ours.attune", mapping=mapping)
    assert (result.passes, result.events, result.provisional) == (1, 2, ("(no video)",))
    with Project.open(tmp_path / "ours.attune", read_only=True) as project:
        frame = project.events_frame()
    assert frame[["behaviour", "subject", "onset_us", "modifiers"]].values.tolist() == [
        ["look_m", "infant", 500_000, ""],
        ["cry", "infant", 2_250_000, "strong"],
    ]
