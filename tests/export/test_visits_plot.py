"""``attune plot --visits``: consistency of care across visits as a PNG; a study without a
participant seen twice is refused in one line; a Q-sort pass's timeline leaves its placements
out of the ratings strip."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from coder import cli
from coder.export.plots import timeline_figure
from coder.export.tables import select_passes
from coder.project import Project
from tests.export.qsort_study import QStudy, make_qsort_study
from tests.export.study import Study, make_study


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> QStudy:
    return make_qsort_study(tmp_path_factory.mktemp("qstudy"))


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (its signature, then the IHDR chunk)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_plot_visits_writes_a_png_of_the_charts(
    study: QStudy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "visits.png"
    assert cli.main(["plot", str(study.path), "--visits", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    width, height = png_size(out)
    # three charts (sensitivity, the security and dependency scores) in one row of three:
    # at 150 dpi, 3 x 4 in wide and 2.6 in high
    assert (width, height) == (1800, 390)
    assert out.stat().st_size > 20_000  # lines, markers and labels, not a blank canvas
    assert not list(tmp_path.glob(".*partial*"))


def test_plot_visits_filters_by_coder_and_keeps_an_existing_file(
    study: QStudy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "visits.svg"
    assert cli.main(["plot", str(study.path), "--visits", "--coders", "CD", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no participant has two or more" in err  # CD coded one visit only
    assert not out.exists()
    out.write_text("mine")
    assert cli.main(["plot", str(study.path), "--visits", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text() == "mine"
    assert cli.main(["plot", str(study.path), "--visits", "--out", str(out), "--force"]) == 0
    assert out.read_text().count("<svg") == 1


def test_a_study_without_repeated_participants_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain: Study = make_study(tmp_path)  # P01 and P02 are each seen once
    out = tmp_path / "visits.png"
    assert cli.main(["plot", str(plain.path), "--visits", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"{plain.path}: no participant has two or more observed visits with figures to show\n"
    )
    assert not out.exists()


def test_a_qsort_pass_timeline_shows_its_ratings_but_not_its_placements(study: QStudy) -> None:
    with Project.open(study.path) as project:
        records = select_passes(project)
    record = next(r for r in records if r.observation.id == study.visits[0])
    assert len(record.ratings) == 1 + 18
    figure = timeline_figure(record)
    strip = figure.axes[1]
    assert [t.get_text() for t in strip.get_yticklabels()] == ["Sensitivity"]
    assert [t.get_text() for t in strip.texts] == ["5"]
