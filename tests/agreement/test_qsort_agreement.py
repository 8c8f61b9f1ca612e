"""Two observers' Q-sorts in the agreement report: r across items and the composite's score
against each criterion, by hand and with NumPy; an incomplete sort is undefined with its
reason; pooled as the Fisher-z mean; in the text, JSON and workbook."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from coder.agreement.output import report_data, report_text
from coder.agreement.qsorts import fisher_mean
from coder.agreement.selection import project_report
from coder.agreement.workbook import write_workbook
from tests.instruments.fixtures import QSET, project_file

A = {"a": 3, "b": 2, "c": 1, "d": 2, "e": 2, "f": 2}
B = {"a": 3, "b": 2, "c": 2, "d": 2, "e": 1, "f": 2}


def sorted_by(project, observation: int, coder: str, piles: dict[str, int]) -> None:
    session = project.start_coding(observation, coder)
    for item, pile in piles.items():
        session.place("mini", item, pile)


def test_two_sorts_are_compared_by_r_and_the_composite(tmp_path: Path) -> None:
    project, (first, second) = project_file(tmp_path / "q.attune", QSET, observations=2)
    with project:
        sorted_by(project, first, "MM", A)
        sorted_by(project, first, "AB", B)
        sorted_by(project, second, "MM", A)
        sorted_by(project, second, "AB", {"a": 3, "b": 2})  # not finished
        report = project_report(project, ("MM", "AB"))
    whole, unfinished = report.parts
    (q,) = whole.qsorts
    items = "abcdef"
    x, y = np.array([A[i] for i in items], float), np.array([B[i] for i in items], float)
    assert q.r == pytest.approx(np.corrcoef(x, y)[0, 1])
    # by hand: deviations (1,0,-1,0,0,0) and (1,0,0,0,-1,0) from a mean of 2: r = 1 / 2
    assert q.r == pytest.approx(0.5)
    composite = (x + y) / 2
    security = np.array([3, 2.5, 1, 2, 1.5, 2])
    assert q.composite_scores["security"] == pytest.approx(np.corrcoef(composite, security)[0, 1])
    (open_sort,) = unfinished.qsorts
    assert math.isnan(open_sort.r)
    assert "AB's sort places 2 of 6 items" in open_sort.r.reason
    (pooled,) = report.pooled.qsorts
    assert pooled.observations == 1
    assert pooled.r == pytest.approx(0.5)
    text = report_text(report)
    assert "q-sort mini" in text
    assert "AB's sort places 2 of 6 items" in text
    data = json.loads(json.dumps(report_data(report)))
    assert data["observations"][0]["qsorts"][0]["r"] == pytest.approx(0.5)
    assert data["observations"][1]["qsorts"][0]["r"] is None
    book = load_workbook(write_workbook(report, tmp_path / "agreement.xlsx"))
    rows = list(book["Q-sorts"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Part", "Reference", "Other", "Q-sort", "r")
    assert rows[1][4] == pytest.approx(0.5)


def test_the_pooled_r_is_the_fisher_z_mean() -> None:
    assert fisher_mean([0.5, 0.5]) == pytest.approx(0.5)
    expected = math.tanh((math.atanh(0.2) + math.atanh(0.8)) / 2)
    assert fisher_mean([0.2, 0.8]) == pytest.approx(expected)
    assert fisher_mean([1.0, 0.0]) < 1.0
