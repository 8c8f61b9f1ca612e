"""``attune export``: formats, filters, never overwriting without --force, no half files."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder import cli
from coder.export import cli as export_cli
from coder.export import formats, tables
from coder.export.tables.select import ExportError
from coder.project import Project
from tests.export.study import Study, make_study


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    return make_study(tmp_path_factory.mktemp("study"))


def test_export_writes_all_three_formats_and_says_where(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx, folder, sav = tmp_path / "a.xlsx", tmp_path / "csv", tmp_path / "a.sav"
    args = ["export", str(study.path), "--xlsx", str(xlsx), "--csv", str(folder), "--sav", str(sav)]
    assert cli.main(args) == 0
    out, err = capsys.readouterr()
    assert str(xlsx) in out.splitlines()
    assert "exported 3 coding passes" in err
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name.lower()}.csv" for name in formats.SHEETS
    )
    assert (tmp_path / "a_events.sav").is_file()
    assert sav.is_file()
    assert not list(tmp_path.glob(".*partial*"))


def test_an_existing_file_is_kept_unless_forced(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"mine")
    assert cli.main(["export", str(study.path), "--xlsx", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "keep.xlsx" in err
    assert "--force" in err
    assert target.read_bytes() == b"mine"
    assert cli.main(["export", str(study.path), "--xlsx", str(target), "--force"]) == 0
    assert target.read_bytes()[:2] == b"PK"  # a workbook now


def test_a_failed_export_leaves_no_file(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, *_args: object, **_kwargs: object) -> None:
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("coder.export.xlsx.write_workbook", broken)
    target = tmp_path / "out.xlsx"
    assert cli.main(["export", str(study.path), "--xlsx", str(target)]) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_csv_export_failing_midway_leaves_the_folder_as_it_was_even_with_force(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "events.csv").write_text("mine")
    calls: list[Path] = []

    def fails_third(path: Path, frame: object) -> None:
        calls.append(path)
        path.write_text("half")
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("coder.export.csvdir.write_csv", fails_third)
    assert cli.main(["export", str(study.path), "--csv", str(folder), "--force"]) == 2
    assert len(calls) == 3
    assert sorted(p.name for p in folder.iterdir()) == ["events.csv"]
    assert (folder / "events.csv").read_text() == "mine"
    calls.clear()
    new_folder = tmp_path / "fresh"
    assert cli.main(["export", str(study.path), "--csv", str(new_folder)]) == 2
    assert not new_folder.exists()


def test_long_exports_show_progress_on_stderr_at_most_once_a_second(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [100.0]
    monkeypatch.setattr("coder.export.cli.time.monotonic", lambda: clock[0])
    progress = export_cli._Progress()
    for now, fraction in ((100.5, 0.1), (101.2, 0.2), (101.7, 0.3), (102.3, 0.5)):
        clock[0] = now
        progress(f"step {fraction}", fraction)
    progress.finish()
    lines = capsys.readouterr().err.splitlines()
    assert [line.split() for line in lines] == [
        ["20%", "step", "0.2"], ["50%", "step", "0.5"], ["100%", "done"],
    ]  # fmt: skip
    quiet = export_cli._Progress(enabled=False)
    clock[0] = 200.0
    quiet("step", 0.5)
    quiet.finish()
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "say what to write"),
        (["--xlsx", "x.xlsx", "--coders", "ZZ"], "no coder 'ZZ'"),
        (["--xlsx", "x.xlsx", "--observations", "nope"], "no observation 'nope'"),
        (["--xlsx", "x.xlsx", "--unit", "0"], "must be positive"),
    ],
)
def test_user_errors_are_one_line_and_status_2(
    study: Study,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", str(study.path), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert "\n" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_missing_project_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", str(tmp_path / "none.attune"), "--csv", str(tmp_path)]) == 2
    assert "no such project file" in capsys.readouterr().err


def test_filters_choose_passes_and_master_passes_only_on_request(study: Study) -> None:
    with Project.open(study.path) as project:

        def passes(**kwargs: object) -> list[tuple[str, str]]:
            frame = tables.summary(project, tables.Filters(**kwargs))  # type: ignore[arg-type]
            pairs = frame[["observation", "coder"]].drop_duplicates()
            return [tuple(p) for p in pairs.itertuples(index=False, name=None)]

        assert passes() == [("p01", "AB"), ("p01", "CD"), ("p02_phone", "AB")]
        assert passes(status="done") == [("p01", "CD"), ("p02_phone", "AB")]
        assert passes(coders=("CD",)) == [("p01", "CD")]
        assert passes(observations=("p02_phone",)) == [("p02_phone", "AB")]
        assert passes(observations=(str(study.cfr),), include_master=True) == [
            ("p01", "AB"), ("p01", "CD"), ("p01", "MM"),
        ]  # fmt: skip
        about = tables.about(project, tables.Filters(status="done"))
        assert dict(about.itertuples(index=False, name=None))["filter: status"] == "done"
        with pytest.raises(ExportError, match="status 'finished'"):
            tables.events(project, tables.Filters(status="finished"))


def test_a_new_format_can_be_registered_and_gets_a_flag(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write_counts(context: formats.ExportContext, path: Path) -> list[Path]:
        events = context.tables.sheets["Events"]
        path.write_text(str(len(events)))
        return [path]

    monkeypatch.setitem(
        formats.FORMATS, "count", formats.Format("count", "FILE", "event count", write_counts)
    )
    target = tmp_path / "n.txt"
    assert cli.main(["export", str(study.path), "--count", str(target)]) == 0
    with Project.open(study.path) as project:
        assert target.read_text() == str(len(tables.events(project)))
