"""Exports read back with openpyxl, pandas and pyreadstat: every value as coded, to the frame."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from coder.export import tables
from coder.export.formats import ExportContext, export
from coder.project import Project
from tests.export.study import Study, make_study

# (observation, coder, behaviour, onset frame, offset frame) as coded in tests/export/study.py
CODED = [
    ("p01", "AB", "look_cg", 10, 30),
    ("p01", "AB", "cry", 20, None),
    ("p01", "AB", "look_away", 30, 60),
    ("p01", "AB", "touch", 45, 55),
    ("p01", "AB", "cry", 70, None),
    ("p01", "AB", "touch", 90, None),
    ("p02_phone", "AB", "touch", 5, 15),
    ("p02_phone", "AB", "cry", 40, None),
]


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    return make_study(tmp_path_factory.mktemp("study"))


@pytest.fixture(scope="module")
def written(study: Study, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    targets = {"xlsx": out / "studie.xlsx", "csv": out / "csv", "sav": out / "studie.sav"}
    with Project.open(study.path) as project:
        export(ExportContext(project), targets)
    return targets


@pytest.fixture(scope="module")
def expected(study: Study) -> tables.ExportTables:
    with Project.open(study.path) as project:
        return tables.build_tables(project)


def frame_of(value: object) -> int | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)  # type: ignore[call-overload]


def text(column: pd.Series) -> list[str]:
    return [str(v) for v in column.astype(object).where(column.notna(), "")]


def coded_rows(events: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        (o, c, b, int(on), frame_of(off))
        for o, c, b, on, off in events[
            ["observation", "coder", "behaviour", "onset_frame", "offset_frame"]
        ].itertuples(index=False, name=None)
    ]


def test_workbook_has_every_sheet_a_frozen_bold_header_tables_and_seconds_format(
    written: dict[str, Path], expected: tables.ExportTables
) -> None:
    book = openpyxl.load_workbook(written["xlsx"])
    assert book.sheetnames == list(expected.sheets)
    for name, frame in expected.sheets.items():
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == list(frame.columns)
        assert all(c.font.bold for c in sheet[1])
        (table,) = sheet.tables.values()
        assert table.ref.endswith(str(max(len(frame), 1) + 1))
        assert [c.name for c in table.tableColumns] == list(frame.columns)
    events = book["Events"]
    header = [c.value for c in events[1]]
    onset = events.cell(row=2, column=header.index("onset_s") + 1)
    assert onset.number_format == "0.000"
    assert events.column_dimensions["A"].width >= len("observation_id")


def test_workbook_text_is_text_even_when_it_looks_like_a_formula(written: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(written["xlsx"])["Events"]
    header = [c.value for c in sheet[1]]
    comments = [row[header.index("comment")] for row in sheet.iter_rows(min_row=2)]
    risky = [c for c in comments if c.value and str(c.value)[0] in "=+-@"]
    assert {c.value for c in risky} == {"=SUM(A1) not a formula", "+1 @home\tgap"}
    assert all(c.data_type == "s" for c in risky)
    ratings = openpyxl.load_workbook(written["xlsx"])["Ratings"]
    values = [c.value for row in ratings.iter_rows(min_row=2) for c in row]
    assert "-nur eine Probe" in values


def test_workbook_read_back_with_pandas_matches_the_coding_to_the_frame(
    written: dict[str, Path], expected: tables.ExportTables, study: Study
) -> None:
    sheets = pd.read_excel(written["xlsx"], sheet_name=None)
    events = sheets["Events"]
    assert coded_rows(events) == CODED
    assert np.array_equal(events["onset_s"], expected.sheets["Events"]["onset_s"])
    phone = events[events["observation"] == "p02_phone"].iloc[0]
    assert phone["onset_s"] == study.vfr_pts[5] / 1e6  # variable frame rate: the frame's own time
    assert phone["offset_s"] == study.vfr_pts[15] / 1e6
    assert set(events["behaviour_name"]) >= {"Weint 😢", "Berührt"}
    assert events["participant"].iloc[0] == "P01 Jörg"
    still_on = events[events["comment"] == "still on"].iloc[0]
    assert (still_on["open"], math.isnan(still_on["offset_s"])) == (1, True)
    mods = events[events["behaviour"] == "cry"][["modifiers", "mod_cry"]].fillna("")
    assert mods.values.tolist() == [["stark", "stark"], ["mild", "mild"], ["", ""]]
    ratings = sheets["Ratings"]
    sens = ratings[ratings["scale"] == "sens"].iloc[0]
    assert (sens["value"], sens["anchor"], sens["segment_name"]) == (5, "gemischt", "Whole session")
    play = ratings[ratings["segment"] == "play"].iloc[0]
    assert (play["segment_start_s"], play["segment_end_s"]) == (1.0, 3.0)  # frames 25 and 75


def test_csv_files_read_back_with_pandas_equal_the_tables(
    written: dict[str, Path], expected: tables.ExportTables
) -> None:
    for name, frame in expected.sheets.items():
        path = written["csv"] / f"{name.lower()}.csv"
        back = pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""])
        if name == "About":  # made a moment apart: all but the export time must agree
            frame = frame[frame["item"] != "exported at"].reset_index(drop=True)
            back = back[back["item"] != "exported at"].reset_index(drop=True)
        assert list(back.columns) == list(frame.columns)
        for column in frame.columns:
            want, got = frame[column], back[column]
            if pd.api.types.is_numeric_dtype(want.dtype):
                assert np.array_equal(
                    want.astype("float64"), got.astype("float64"), equal_nan=True
                ), (name, column)
            else:
                assert text(want) == text(got), (name, column)
    assert coded_rows(pd.read_csv(written["csv"] / "events.csv")) == CODED


def test_sav_files_have_labels_and_the_same_values(
    written: dict[str, Path], expected: tables.ExportTables
) -> None:
    wide, meta = pyreadstat.read_sav(str(written["sav"]))
    want = expected.wide.frame
    assert list(wide.columns) == list(want.columns)
    assert np.array_equal(wide["sens"], want["sens"], equal_nan=True)
    assert np.array_equal(wide["touch_dur"], want["touch_dur"], equal_nan=True)
    assert meta.column_names_to_labels["sens"] == "Feinfühligkeit (Whole session)"
    assert meta.variable_value_labels["sens"] == {1.0: "gering", 5.0: "gemischt", 9.0: "hoch"}
    events, emeta = pyreadstat.read_sav(str(written["sav"].with_name("studie_events.sav")))
    assert coded_rows(events.replace({"offset_frame": {np.nan: None}})) == CODED
    assert emeta.variable_value_labels["behaviour"]["cry"] == "Weint 😢"
    assert emeta.column_names_to_labels["onset_s"] == "Onset (s)"


def test_summary_counts_an_open_state_to_the_end_and_an_empty_pass_has_zero_rows(
    expected: tables.ExportTables,
) -> None:
    summary = expected.sheets["Summary"]
    session = summary[summary["segment"] == "session"].set_index(
        ["observation", "coder", "behaviour"]
    )
    touch = session.loc[("p01", "AB", "touch")]
    assert (touch["count"], touch["open"]) == (2, 1)
    assert touch["total_s"] == pytest.approx(0.4 + 0.4)  # 1.8–2.2 s, and 3.6 s to the end (4 s)
    empty = session.loc[("p01", "CD")]
    assert empty["count"].tolist() == [0, 0, 0, 0]
    look_away = summary[
        (summary["segment"] == "interval_2") & (summary["behaviour"] == "look_away")
    ]
    assert look_away["total_s"].iloc[0] == pytest.approx(0.4)  # 1.2–2.4 s split at 2 s
    assert look_away["split"].iloc[0] == 1


def test_figures_on_a_variable_frame_rate_video_use_each_frames_own_time(
    expected: tables.ExportTables, study: Study
) -> None:
    pts = study.vfr_pts
    summary = expected.sheets["Summary"]
    row = summary[
        (summary["observation"] == "p02_phone")
        & (summary["segment"] == "session")
        & (summary["behaviour"] == "touch")
    ].iloc[0]
    assert row["total_s"] == pytest.approx((pts[15] - pts[5]) / 1e6, abs=1e-12)
    assert row["latency_s"] == pytest.approx(pts[5] / 1e6, abs=1e-12)
    phone = expected.sheets["Contingency"]
    phone = phone[phone["observation"] == "p02_phone"].iloc[0]
    cue = pts[40]
    in_window = sum(1 for f in range(40, len(pts)) if pts[f] < cue + 1_000_000)
    assert (phone["n_given"], phone["n_followed"], phone["a"], phone["b"]) == (1, 0, 0, in_window)
    assert (phone["c"], phone["yule_q"]) == (1, -1.0)  # the touch at frame 5, before the cue
