"""The report over a real project: pairs of passes, figures, verdicts, CLI, JSON, workbook."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from sklearn.metrics import cohen_kappa_score

from coder import agreement
from coder.agreement.cli import add_arguments, run
from coder.agreement.criteria import Criteria
from coder.agreement.selection import project_report, select_pairs
from coder.agreement.workbook import write_workbook
from coder.cli import main as attune
from coder.project import Project
from tests.agreement.project_fixtures import CODING, make_study


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_study(tmp_path_factory.mktemp("study"))


def test_the_master_pass_is_the_reference_and_pooled_figures_sum_the_observations(
    study: Path,
) -> None:
    with Project.open(study, read_only=True) as project:
        report = project_report(project, ["AB", "MM"])
    assert [(p.label, p.reference, p.other) for p in report.parts] == [
        ("p01", "MM", "AB"),
        ("p02", "MM", "AB"),
    ]
    assert report.pooled is not None
    coop = next(s for s in report.pooled.scales if s.code == "coop")
    a = CODING["MM"]["coop"] * 2  # type: ignore[operator]
    b = CODING["AB"]["coop"] * 2  # type: ignore[operator]
    assert len(coop.units) == 20
    assert coop.kappa_quadratic == pytest.approx(
        cohen_kappa_score(a, b, weights="quadratic", labels=list(range(1, 10)))
    )
    assert coop.within_one == pytest.approx(np.mean(np.abs(np.subtract(a, b)) <= 1))
    expected_icc = agreement.icc(np.column_stack([a, b])).loc["ICC(2,1)", "value"]
    assert coop.icc == pytest.approx(expected_icc)
    gaze = next(g for g in report.pooled.groups if g.code == "gaze")
    single = next(g for g in report.parts[0].groups if g.code == "gaze")
    assert gaze.exclusive
    assert gaze.time_units.table is not None
    assert single.time_units.table is not None
    assert gaze.time_units.table.counts.tolist() == (2 * single.time_units.table.counts).tolist()
    cues = next(g for g in report.parts[0].groups if g.code == "cues")
    assert [p.kind for p in cues.events.pairs] == ["match", "mismatch", "omission", "commission"]
    assert cues.verdict.passed is False
    assert report.passed is False


def test_one_rated_session_leaves_the_icc_undefined_with_a_reason(study: Path) -> None:
    with Project.open(study, read_only=True) as project:
        report = project_report(project, ["MM", "AB"], observations=["p01"])
    assert len(report.parts) == 1
    sens = next(s for s in report.parts[0].scales if s.code == "sens")
    assert math.isnan(sens.icc)
    assert "at least two rated segments" in str(agreement.why_undefined(sens.icc))
    assert sens.verdict.passed is True  # judged on exact-or-±1 alone: 7 against 6


def test_selection_by_master_and_errors_that_name_the_problem(study: Path) -> None:
    with Project.open(study, read_only=True) as project:
        against_master, _ = select_pairs(project, ["AB"])
        assert [(a.coder.initials, b.coder.initials) for a, b in against_master] == [
            ("MM", "AB"),
            ("MM", "AB"),
        ]
        forced, _ = select_pairs(project, ["MM", "AB"], master="AB")
        assert {a.coder.initials for a, _ in forced} == {"AB"}
        with pytest.raises(ValueError, match=r"coder 'ZZ' has no passes"):
            select_pairs(project, ["ZZ", "AB"])
        with pytest.raises(ValueError, match=r"no observation 'p09'"):
            select_pairs(project, ["MM", "AB"], observations=["p09"])
        with pytest.raises(ValueError, match=r"one or two coders"):
            select_pairs(project, ["MM", "AB", "CD"])


def test_criteria_come_from_project_settings(tmp_path: Path) -> None:
    path = make_study(tmp_path, observations=1)
    with Project.open(path) as project:
        project.set_setting("agreement.kappa_min", "0.15")
        project.set_setting("agreement.within_one_min", "85%")
    with Project.open(path, read_only=True) as project:
        report = project_report(project, ["MM", "AB"])
    assert report.criteria == Criteria(kappa_min=0.15, icc_min=0.80, within_one_min=0.85)
    cues = next(g for g in report.parts[0].groups if g.code == "cues")
    checks = {c.figure: c.passed for c in cues.verdict.checks}
    assert checks == {"time-unit kappa": True, "event kappa": False}
    with pytest.raises(ValueError, match=r"agreement.icc_min: 'high' is not a number"):
        Criteria.from_settings(lambda key: "high" if key == "agreement.icc_min" else None)


def test_the_command_prints_json_and_writes_a_workbook_once(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "agreement.xlsx"
    argv = ["agreement", str(study), "--coders", "MM", "AB", "--unit", "1f", "--json"]
    assert attune([*argv, "--xlsx", str(book)]) == 0
    data = json.loads(capsys.readouterr().out)
    gaze = next(g for g in data["pooled"]["groups"] if g["group"] == "gaze")
    assert gaze["time_units"]["unit"] == "1 frame"
    assert gaze["time_units"]["units"] == 500
    first = data["observations"][0]["scales"][0]
    assert first["icc"] is None
    assert "two rated segments" in first["why"]["icc"]
    sheets = openpyxl.load_workbook(book).sheetnames
    assert sheets == ["Summary", "Ratings", "Time units", "Events", "Aligned events"]
    assert attune([*argv, "--xlsx", str(book)]) == 2
    assert "already exists (use --force" in capsys.readouterr().err
    assert attune([*argv, "--xlsx", str(book), "--force"]) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".agreement")]


def test_workbook_holds_the_alignment_lines_and_tables(study: Path, tmp_path: Path) -> None:
    with Project.open(study, read_only=True) as project:
        report = project_report(project, ["MM", "AB"])
    path = write_workbook(report, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    lines = list(book["Aligned events"].iter_rows(min_row=2, values_only=True))
    assert len(lines) == sum(len(g.events.pairs) for p in report.parts for g in p.groups)
    assert ("p01", "cues", "omission") in {row[:3] for row in lines}
    text = [c for row in book["Time units"].iter_rows(values_only=True) for c in row if c]
    assert any("rows: reference coder" in str(c) for c in text)
    with pytest.raises(ValueError, match=r"must end in .xlsx"):
        write_workbook(report, tmp_path / "r.csv")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coders", "MM", "AB", "--unit", "soon"], "--unit: 'soon' is not a duration"),
        (["--coders", "MM", "AB", "--tolerance", "0"], "--tolerance: '0' must be more than zero"),
        (["--coders", "MM", "XY"], "coder 'XY' has no passes"),
        (["--coders", "MM", "AB", "--master", "CD"], "coder 'CD' has no passes"),
    ],
)
def test_user_errors_are_one_line_and_status_2(
    study: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert attune(["agreement", str(study), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_a_missing_project_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert run(parser.parse_args([str(tmp_path / "none.attune"), "--coders", "A", "B"])) == 2
    assert "none.attune: no such project file" in capsys.readouterr().err


def test_codes_compared_one_by_one_get_a_table_each_in_json_and_workbook(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "codes.xlsx"
    argv = ["agreement", str(study), "--coders", "MM", "AB", "--observations", "p01"]
    assert attune([*argv, "--json", "--xlsx", str(book)]) == 0
    data = json.loads(capsys.readouterr().out)
    cues = next(g for g in data["observations"][0]["groups"] if g["group"] == "cues")
    assert cues["time_units"]["table"] is None  # not exclusive: no single table
    tables = {c["code"]: c["table"] for c in cues["time_units"]["per_code"]}
    # MM: cry at 1.2 s and 7.2 s, reach at 4.8 s; AB: cry at 1.4 s and 4.8 s, reach at 9.6 s
    assert tables["cry"] == {"categories": ["present", "absent"], "counts": [[1, 1], [1, 7]]}
    assert tables["reach"]["counts"] == [[0, 1], [1, 8]]
    titles = [
        str(row[0])
        for row in openpyxl.load_workbook(book)["Time units"].iter_rows(values_only=True)
        if row[0] and "rows: reference coder" in str(row[0])
    ]
    assert any("Infant cues · cry" in t for t in titles)
    assert any("Infant cues · reach" in t for t in titles)
    assert any("Infant gaze · time units" in t for t in titles)


def test_the_text_report_lists_where_the_coders_events_differ(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert attune(["agreement", str(study), "--coders", "AB", "--observations", "p01"]) == 0
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines() if line.startswith("      ")]
    assert lines == [
        ["4.80", "s", "mismatch", "reach", "≠", "cry", "(at", "4.80", "s)"],
        ["7.20", "s", "omission", "cry", "only", "in", "MM's", "pass"],
        ["9.60", "s", "commission", "reach", "only", "in", "AB's", "pass"],
    ]


def test_a_computed_mean_scale_is_weighted_over_its_declared_thirds() -> None:
    from coder.agreement.report import RatedUnit, scale_agreement, scale_categories
    from coder.scheme import Scale

    mean = Scale("dim", "Dimension (mean of three 1-7 scales)", 1, 7, step=1 / 3)
    points = scale_categories(mean)
    assert len(points) == 19
    sums_a, sums_b = [16, 12, 20, 9, 14, 17], [15, 12, 21, 11, 14, 16]
    pairs = enumerate(zip(sums_a, sums_b, strict=True))
    units = [RatedUnit("p01", f"s{i}", x / 3, y / 3) for i, (x, y) in pairs]
    result = scale_agreement(mean, units, Criteria())
    assert result.table is not None
    assert result.table.n == 6
    positions_a = [s - 3 for s in sums_a]  # the sum of three 1-7 ratings is 3..21
    positions_b = [s - 3 for s in sums_b]
    expected = cohen_kappa_score(
        positions_a, positions_b, weights="quadratic", labels=list(range(19))
    )
    assert result.kappa_quadratic == pytest.approx(expected)
    assert not math.isnan(result.alpha)
    assert result.exact == pytest.approx(2 / 6)


def test_criteria_round_trip_through_their_settings() -> None:
    rules = Criteria(kappa_min=0.6, icc_min=0.75, within_one_min=0.85)
    saved = rules.settings()
    assert saved == {
        "agreement.kappa_min": "0.6",
        "agreement.icc_min": "0.75",
        "agreement.within_one_min": "0.85",
    }
    assert Criteria.from_settings(saved.get) == rules
    with pytest.raises(ValueError, match=r"agreement.icc_min: 1.5 must lie between 0 and 1"):
        Criteria(icc_min=1.5).settings()
