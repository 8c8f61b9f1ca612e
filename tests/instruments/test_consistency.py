"""Consistency of care across three visits of one participant, computed by hand."""

from __future__ import annotations

import math

import pytest

from coder.instruments import consistency, consistency_frame, visits_frame
from coder.instruments.plot import visits_figure
from coder.scheme.parse import parse_scheme_text
from tests.instruments.fixtures import fake_medium, project_file

SCHEME = parse_scheme_text(
    """\
name: Visits
subjects: [{code: infant}, {code: caregiver}]
behaviours:
  - {code: cue, subject: infant, key: q, kind: point}
  - {code: resp, subject: caregiver, key: w, kind: point}
scales:
  - {code: sens, name: Sensitivity, min: 1, max: 9}
contingencies:
  - {code: answered, name: Response within 3 s, given: [cue], target: [resp], window_s: 3}
"""
)
# Per visit (60 s each): sensitivity, cue onsets (s), response onsets (s).
VISITS = [
    (5, [10, 20, 30, 40], [11, 21]),  # 2 of 4 cues answered; 2 responses a minute
    (7, [10, 20], [12, 22, 50]),  # 2 of 2; 3 a minute
    (6, [10, 20, 30, 40], [11, 45]),  # 1 of 4 (45 s is 5 s after a cue); 2 a minute
]


@pytest.fixture
def study(tmp_path):
    project, observations = project_file(tmp_path / "visits.attune", SCHEME, observations=3)
    for obs, (sens, cues, responses) in zip(observations, VISITS, strict=True):
        session = project.start_coding(obs, "AB")
        session.rate("sens", sens)
        for second in cues:
            session.point("cue", second * 25)
        for second in responses:
            session.point("resp", second * 25)
    # visit 2 was coded twice; its master pass (AB's) is the one that counts
    second = project.start_coding(observations[1], "CD")
    second.rate("sens", 9)
    project.set_master(project.passes(observations=[observations[1]], coders=["AB"])[0])
    # a participant seen once is left out
    medium, timebase = fake_medium("once.mp4")
    once = project.store.add_observation("once", [medium], [timebase], participant="P02")
    project.start_coding(once.id, "AB").rate("sens", 3)
    yield project
    project.close()


def figure(rows, kind: str, code: str):
    (row,) = [r for r in rows if r.kind == kind and r.code == code]
    return row


def test_each_figure_across_the_three_visits(study) -> None:
    rows = consistency(study.load_passes(study.passes()))
    assert {r.participant for r in rows} == {"P01"}
    sens = figure(rows, "rating", "sens")
    assert sens.numbers == [5, 7, 6]  # visit 2: the master's 7, not CD's 9
    assert (sens.mean, sens.sd, sens.low, sens.high, sens.range) == (6, 1, 5, 7, 2)
    rate = figure(rows, "rate per minute", "resp")
    assert rate.numbers == pytest.approx([2, 3, 2])
    # mean 7/3; deviations -1/3, 2/3, -1/3: squares 6/9, over n - 1 = 2 gives 1/3
    assert rate.mean == pytest.approx(7 / 3)
    assert rate.sd == pytest.approx(math.sqrt(1 / 3))
    assert rate.range == pytest.approx(1)
    answered = figure(rows, "proportion followed", "answered")
    assert answered.numbers == pytest.approx([0.5, 1.0, 0.25])
    # mean 1.75/3; deviations -1/12, 5/12, -4/12: squares 42/144, over 2 gives 21/144
    assert answered.mean == pytest.approx(1.75 / 3)
    assert answered.sd == pytest.approx(math.sqrt(21 / 144))
    assert answered.range == pytest.approx(0.75)
    cues = figure(rows, "rate per minute", "cue")
    assert (cues.mean, cues.sd) == (pytest.approx(10 / 3), pytest.approx(math.sqrt(4 / 3)))


def test_without_a_master_the_coders_are_averaged(study) -> None:
    study.set_master(study.passes(coders=["AB"])[1], is_master=False)
    sens = figure(consistency(study.load_passes(study.passes())), "rating", "sens")
    assert sens.numbers == [5, 8, 6]  # (7 + 9) / 2
    assert [v.passes for v in sens.values] == [1, 2, 1]


def test_the_tables(study) -> None:
    records = study.load_passes(study.passes())
    frame = consistency_frame(records)
    row = frame[(frame["kind"] == "rating") & (frame["code"] == "sens")].iloc[0]
    assert (row["participant"], row["visits"], row["mean"], row["sd"], row["range"]) == (
        "P01",
        3,
        6,
        1,
        2,
    )
    assert row["values"] == "v1: 5; v2: 7; v3: 6"
    assert list(frame["kind"].unique()) == ["rating", "rate per minute", "proportion followed"]
    long = visits_frame(records)
    sens = long[long["code"] == "sens"]
    assert list(sens["visit"]) == ["v1", "v2", "v3"]
    assert list(sens["value"]) == [5, 7, 6]


def test_the_picture_has_a_chart_per_figure_with_the_visits_values(study, tmp_path) -> None:
    figure = visits_figure(study.load_passes(study.passes()))
    titles = [axes.get_title() for axes in figure.axes]
    assert titles == [
        "Sensitivity (rating)",
        "cue (rate per minute)",
        "resp (rate per minute)",
        "Response within 3 s (proportion followed)",
    ]
    (line,) = figure.axes[0].get_lines()
    assert list(line.get_ydata()) == [5, 7, 6]
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["v1", "v2", "v3"]
    figure.savefig(tmp_path / "visits.png")
    assert (tmp_path / "visits.png").stat().st_size > 1000


def test_no_picture_without_a_participant_seen_twice(study) -> None:
    once = [r for r in study.load_passes(study.passes()) if r.observation.participant == "P02"]
    with pytest.raises(ValueError, match="no participant has two or more"):
        visits_figure(once)
