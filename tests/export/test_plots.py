"""Timeline and time-budget plots: drawn from the coded records, saved as PNG, SVG and PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from matplotlib.collections import LineCollection, PolyCollection

from coder.export import plot_cli, tables
from coder.export.plots import save_figure, time_budget_figure, timeline_figure
from coder.export.tables import select_passes
from coder.export.tables.select import ExportError
from coder.project import Project
from tests.export.study import Study, make_study


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    return make_study(tmp_path_factory.mktemp("study"))


def test_timeline_draws_states_as_bars_points_as_ticks_and_a_ratings_strip(study: Study) -> None:
    with Project.open(study.path) as project:
        record = next(r for r in select_passes(project) if r.info.coder.initials == "AB")
    figure = timeline_figure(record)
    main, strip = figure.axes[:2]
    bars = [c for c in main.collections if isinstance(c, PolyCollection)]
    ticks = [c for c in main.collections if isinstance(c, LineCollection)]
    assert len(bars) == 4  # two looks, two touches
    assert len(ticks) == 2  # two cries
    widths = sorted(round(float(p.get_paths()[0].get_extents().width), 6) for p in bars)
    assert widths == [0.4, 0.4, 0.8, 1.2]  # the open touch runs from 3.6 s to the end (4 s)
    assert sorted(t.get_text() for t in strip.texts) == ["3", "4", "5"]
    labels = [t.get_text() for t in main.get_yticklabels()]
    assert labels[0] == "Schaut zur Bezugsperson"


def test_time_budget_has_one_bar_series_per_coder(study: Study) -> None:
    with Project.open(study.path) as project:
        figure = time_budget_figure(select_passes(project))
        summary = tables.summary(project)
    session = summary[(summary["segment"] == "session") & (summary["behaviour"] == "touch")]
    expected = session[session["coder"] == "AB"]["proportion"].mean()
    axes = figure.axes[0]
    legend = axes.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["AB", "CD"]
    ab = axes.containers[0]
    touch = [b.get_width() for b in ab][-1]  # behaviours top to bottom: touch is the last
    assert touch == pytest.approx(expected)
    assert 0.15 < touch < 0.25  # 0.2 of p01, about 0.19 of the phone video


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_plots_save_in_each_format_and_never_over_a_file(
    study: Study, tmp_path: Path, suffix: str
) -> None:
    with Project.open(study.path) as project:
        figure = time_budget_figure(select_passes(project))
    target = save_figure(figure, tmp_path / f"budget{suffix}")
    head = target.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head
    with pytest.raises(ExportError, match="exists"):
        save_figure(figure, target)
    with pytest.raises(ExportError, match="saved as"):
        save_figure(figure, tmp_path / "budget.jpg")


def test_plot_command_draws_a_pass_and_names_a_missing_one(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    plot_cli.add_arguments(parser)
    with Project.open(study.path) as project:
        coding = project.passes()[0].id
    out = tmp_path / "pass.svg"
    args = parser.parse_args([str(study.path), "--pass", str(coding), "--out", str(out)])
    assert plot_cli.run(args) == 0
    assert out.read_text().count("<svg") == 1
    bad = parser.parse_args([str(study.path), "--pass", "999", "--out", str(tmp_path / "x.png")])
    assert plot_cli.run(bad) == 2
    assert "no coding pass 999" in capsys.readouterr().err
