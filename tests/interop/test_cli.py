"""``attune import`` and ``attune export --boris | --eaf | --sds`` from the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coder.cli import main
from coder.project import Project
from tests.interop.support import clip, coded_project

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"


def attune_import(*argv: str) -> int:
    """``attune import ARGS`` as a lab types it (the subcommand as the command line has it)."""
    return main(["import", *argv])


def test_import_creates_the_project_and_says_what_it_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DATA / "boris7_feeding.boris", tmp_path)
    status = attune_import(
        str(tmp_path / "boris7_feeding.boris"),
        "--into",
        str(tmp_path / "p.attune"),
        "--coder",
        "JM",
    )
    out, err = capsys.readouterr()
    assert status == 0
    assert out.strip() == f"created {tmp_path / 'p.attune'}: 1 coding passes, 6 events, 0 ratings"
    assert "note: 1 videos not found (C:/Users/lab/videos/P07_lunch.mp4)" in err


def test_a_refused_import_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DATA / "boris8_play.boris", tmp_path)
    status = attune_import(
        str(tmp_path / "boris8_play.boris"), "--into", str(tmp_path / "p.attune")
    )
    _out, err = capsys.readouterr()
    assert status == 2
    assert err.count("\n") == 1
    assert "the file does not say who coded it; give --coder ID" in err
    assert not (tmp_path / "p.attune").exists()


def test_tidy_columns_in_frames_are_mapped_by_option(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("Sitzung,Kode,Beginn,Ende\nv1,lachen,10,35\nv1,weinen,40,\n")
    status = attune_import(
        str(tmp_path / "old.csv"), "--into", str(tmp_path / "p.attune"), "--coder", "AB",
        "--columns", "observation=Sitzung", "code=Kode", "onset=Beginn", "offset=Ende",
        "--time-unit", "frames", "--fps", "25",
    )  # fmt: skip
    assert status == 0
    with Project.open(tmp_path / "p.attune", read_only=True) as project:
        frame = project.events_frame()
    assert frame[["behaviour", "onset_frame", "onset_us"]].values.tolist() == [
        ["lachen", 10, 400_000],
        ["weinen", 40, 1_600_000],
    ]


def test_export_writes_boris_eaf_and_sds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = coded_project(tmp_path / "p.attune", clip(tmp_path / "videos"))
    status = main(
        ["export", str(project), "--boris", str(tmp_path / "p.boris"), "--eaf",
         str(tmp_path / "eaf"), "--sds", str(tmp_path / "p.sds"), "--quiet"]
    )  # fmt: skip
    assert status == 0, capsys.readouterr().err
    assert (tmp_path / "p.boris").is_file()
    assert sorted(p.name for p in (tmp_path / "eaf").iterdir()) == ["p01_AB.eaf", "p01_CD.eaf"]
    assert (tmp_path / "p.sds").read_text().count("/\n") == 2
    again = main(["export", str(project), "--eaf", str(tmp_path / "eaf"), "--quiet"])
    assert again == 2  # the files exist: not overwritten without --force
    assert "p01_AB.eaf: the file exists" in capsys.readouterr().err
