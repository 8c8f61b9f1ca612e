"""Attune → BORIS → Attune and Attune → ELAN → Attune give back the same events and scheme."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from coder.interop import InteropError, import_file, write_boris, write_eaf
from coder.project import Project
from tests.interop.support import FRAMES, coded_project, event_rows


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.interop.support import clip

    folder = tmp_path_factory.mktemp("study")
    coded_project(folder / "coded.attune", clip(folder / "videos"))
    return folder


def _records(path: Path) -> tuple[Project, list]:
    project = Project.open(path, read_only=True)
    return project, project.load_passes(project.passes())


def test_boris_round_trip_gives_the_same_events_to_the_frame_and_the_same_scheme(
    study: Path, tmp_path: Path
) -> None:
    project, records = _records(study / "coded.attune")
    with project:
        write_boris(project, records, tmp_path / "out.boris")
        scheme = project.scheme
    result = import_file(tmp_path / "out.boris", tmp_path / "back.attune")
    assert (result.passes, result.events, result.ratings, result.provisional) == (2, 9, 1, ())
    assert event_rows(tmp_path / "back.attune") == event_rows(study / "coded.attune")
    with Project.open(tmp_path / "back.attune", read_only=True) as back:
        assert back.scheme == scheme
        assert back.ratings_frame()[["coder", "scale", "value"]].values.tolist() == [
            ["AB", "sens", 7.0]
        ]


def test_boris_file_holds_start_stop_rows_with_frame_index_and_exclusions(
    study: Path, tmp_path: Path
) -> None:
    project, records = _records(study / "coded.attune")
    with project:
        write_boris(project, records, tmp_path / "out.boris.gz")
    data = json.loads(gzip.decompress((tmp_path / "out.boris.gz").read_bytes()))
    assert data["project_format_version"] == "7.0"
    ethogram = {b["code"]: b for b in data["behaviors_conf"].values()}
    assert ethogram["look_m"]["excluded"] == "look_away"
    assert ethogram["cry"]["type"] == "Point event"
    assert ethogram["cry"]["modifiers"]["0"]["values"] == ["mild", "strong"]
    events = data["observations"]["p01 (AB)"]["events"]
    talk = [row for row in events if row[2] == "talk"]
    assert talk == [
        [0.32, "mother", "talk", "", "", 8],
        [2.0, "mother", "talk", "", "", FRAMES - 1],
    ]
    switch = [row[2] for row in events if row[0] == 0.4]
    assert switch == ["look_m", "look_away"]  # the STOP comes before the START at one time


def test_boris_ethogram_alone_gives_the_same_codes_groups_and_events(
    study: Path, tmp_path: Path
) -> None:
    project, records = _records(study / "coded.attune")
    with project:
        write_boris(project, records, tmp_path / "out.boris")
    data = json.loads((tmp_path / "out.boris").read_text())
    del data["attune"]  # as if BORIS had written it: no Attune scheme to lean on
    for obs in data["observations"].values():
        del obs["attune"]
    (tmp_path / "plain.boris").write_text(json.dumps(data))
    import_file(tmp_path / "plain.boris", tmp_path / "plain.attune", coder="XY")
    with Project.open(tmp_path / "plain.attune", read_only=True) as back:
        scheme = back.scheme
        frame = back.events_frame()
    kinds = {b.code: (b.kind, b.subject, b.group, b.modifiers) for b in scheme.behaviours}
    assert kinds == {
        "look_m": ("state", "infant", "gaze", ()),
        "look_away": ("state", "infant", "gaze", ()),
        "cry": ("point", "infant", "cues", ("mild", "strong")),
        "touch": ("state", "mother", None, ("soft", "firm")),
        "talk": ("state", "mother", None, ()),
    }
    assert {g.code: g.exclusive for g in scheme.groups} == {"gaze": True, "cues": False}
    assert sorted(frame["observation"].unique()) == ["p01 (AB)", "p01 (CD)"]
    originals = {(r[2], r[5], r[6]) for r in event_rows(study / "coded.attune")}
    assert {(b, int(o), None if f is None else int(f)) for b, o, f in zip(
        frame["behaviour"], frame["onset_frame"],
        frame["offset_frame"].astype(object).where(frame["offset_frame"].notna(), None),
        strict=True,
    )} == originals  # fmt: skip


def test_eaf_round_trip_gives_the_same_events_to_the_frame_and_the_same_scheme(
    study: Path, tmp_path: Path
) -> None:
    project, records = _records(study / "coded.attune")
    with project:
        files = write_eaf(project, records, tmp_path / "eaf")
        scheme = project.scheme
    assert [f.name for f in files] == ["p01_AB.eaf", "p01_CD.eaf"]
    for path in files:
        import_file(path, tmp_path / "back.attune")
    assert event_rows(tmp_path / "back.attune") == event_rows(study / "coded.attune")
    with Project.open(tmp_path / "back.attune", read_only=True) as back:
        assert back.scheme == scheme


def test_an_open_state_is_refused_with_its_pass_and_frame(tmp_path: Path) -> None:
    from tests.interop.support import clip

    path = coded_project(tmp_path / "open.attune", clip(tmp_path / "videos"), open_state=True)
    with Project.open(path, read_only=True) as project:
        records = project.load_passes(project.passes())
        for write, target in ((write_boris, "x.boris"), (write_eaf, "eaf")):
            with pytest.raises(InteropError) as caught:
                write(project, records, tmp_path / target)
            assert caught.value.problems == [
                "observation 'p01', coder CD: look_m is still open since frame 25 (1 s); "
                "stop it before exporting"
            ]
            assert not (tmp_path / target).exists()


def test_eaf_with_a_tier_per_subject_gives_the_same_events_back(
    study: Path, tmp_path: Path
) -> None:
    from coder.interop.safexml import parse_xml

    project, records = _records(study / "coded.attune")
    with project:
        files = write_eaf(project, records, tmp_path / "eaf", tiers="subject")
    root = parse_xml(files[0].read_bytes(), str(files[0]))
    tiers = {t.attrs["TIER_ID"]: t for t in root.all("TIER")}
    main = [name for name, t in tiers.items() if t.attrs["LINGUISTIC_TYPE_REF"] in tiers]
    # AB's cry lies inside a look and her talk overlaps her touch: a second tier each
    assert main == ["infant", "mother", "infant 2", "mother 2"]
    assert {tiers[n].attrs["PARTICIPANT"] for n in ("infant", "infant 2")} == {"infant"}
    values = [
        a.find("ANNOTATION_VALUE").text
        for wrapper in tiers["infant"].all("ANNOTATION")
        for a in wrapper.children
    ]
    assert values == ["look_m", "look_away", "cry"]
    vocabularies = {cv.attrs["CV_ID"] for cv in root.all("CONTROLLED_VOCABULARY")}
    assert vocabularies == {"infant", "mother"}
    for path in files:
        import_file(path, tmp_path / "back.attune")
    assert event_rows(tmp_path / "back.attune") == event_rows(study / "coded.attune")
    with pytest.raises(InteropError, match="tiers 'coder'"):
        write_eaf(project, records, tmp_path / "other", tiers="coder")
