"""Exports read back with openpyxl, pandas and pyreadstat: every value as coded, to the frame."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from coder.export import tables
from coder.export.formats import ExportContext, export
from coder.export.sav import sav_paths
from coder.project import Project
from tests.export.study import RECORDED, Study, make_study

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
RISKY_STARTS = "=+-@\t\r\n"
RISKY = {  # comments that a spreadsheet would take for a formula, as a workbook gives them back
    "=SUM(A1) not a formula",
    "+1 @home\tgap",
    "@Anna: prüfen",
    "\tTab zuerst\nzweite Zeile",  # XML reads CR LF as LF
    "-nur eine Probe",
    "\nCR zuerst",  # and a lone CR as LF
}


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


def text(column: pd.Series, line_ends: bool = False) -> list[str]:
    values = [str(v) for v in column.astype(object).where(column.notna(), "")]
    return [v.replace("\r\n", "\n").replace("\r", "\n") for v in values] if line_ends else values


def coded_rows(events: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        (o, c, b, int(on), frame_of(off))
        for o, c, b, on, off in events[
            ["observation", "coder", "behaviour", "onset_frame", "offset_frame"]
        ].itertuples(index=False, name=None)
    ]


def assert_same_table(
    name: str, want: pd.DataFrame, got: pd.DataFrame, workbook: bool = False
) -> None:
    """Every column and value of ``want`` in ``got``: numbers exactly, missing as missing, text
    as text. ``workbook``: numbers kept to the 16 digits a workbook holds (times and frames are
    checked exactly elsewhere), CR LF and CR read as LF, as a workbook's XML gives them."""
    if name == "About":  # made a moment apart: all but the export time must agree
        want = want[want["item"] != "exported at"].reset_index(drop=True)
        got = got[got["item"] != "exported at"].reset_index(drop=True)
    assert list(got.columns) == list(want.columns), name
    assert len(got) == len(want), name
    for column in want.columns:
        if pd.api.types.is_numeric_dtype(want[column].dtype):
            a, b = want[column].astype("float64"), got[column].astype("float64")
            rtol = 1e-15 if workbook else 0.0
            assert np.allclose(a, b, rtol=rtol, atol=0.0, equal_nan=True), (name, column)
        else:
            assert text(want[column], workbook) == text(got[column]), (name, column)


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
        assert table.autoFilter is not None  # filter buttons on the header
        assert table.autoFilter.ref == table.ref
    events = book["Events"]
    header = [c.value for c in events[1]]
    for column in ("onset_s", "offset_s", "duration_s"):
        onset = events.cell(row=2, column=header.index(column) + 1)
        assert onset.number_format == "0.000"
    assert events.cell(row=2, column=header.index("onset_frame") + 1).number_format == "General"
    assert events.column_dimensions["A"].width >= len("observation_id")
    comment = header.index("comment") + 1
    assert events.column_dimensions[openpyxl.utils.get_column_letter(comment)].width >= len(
        "=SUM(A1) not a formula"
    )


def test_no_cell_of_the_workbook_is_a_formula(written: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(written["xlsx"])
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = {
        c.value: c.data_type
        for c in cells
        if isinstance(c.value, str) and c.value[0] in RISKY_STARTS
    }
    assert set(risky) == RISKY
    assert set(risky.values()) == {"s"}


def test_workbook_read_back_with_pandas_equals_every_table(
    written: dict[str, Path], expected: tables.ExportTables
) -> None:
    sheets = pd.read_excel(written["xlsx"], sheet_name=None)
    assert list(sheets) == list(expected.sheets)
    for name, frame in expected.sheets.items():
        assert_same_table(name, frame, sheets[name], workbook=True)


def test_workbook_matches_the_coding_to_the_frame(
    written: dict[str, Path], expected: tables.ExportTables, study: Study
) -> None:
    sheets = pd.read_excel(written["xlsx"], sheet_name=None)
    events = sheets["Events"]
    assert coded_rows(events) == CODED
    for column in ("onset_s", "offset_s", "duration_s", "onset_frame", "offset_frame"):
        want = expected.sheets["Events"][column].astype("float64")
        assert np.array_equal(events[column], want, equal_nan=True), column
    phone = events[events["observation"] == "p02_phone"].iloc[0]
    assert phone["onset_s"] == study.vfr_pts[5] / 1e6  # variable frame rate: the frame's own time
    assert phone["offset_s"] == study.vfr_pts[15] / 1e6
    assert set(events["behaviour_name"]) >= {"Weint 😢", "Berührt"}
    assert events["participant"].iloc[0] == "P01 Jörg"
    still_on = events[events["comment"] == "still on"].iloc[0]
    assert (still_on["open"], math.isnan(still_on["offset_s"])) == (1, True)
    assert pd.isna(still_on["offset_clock"])
    mods = events[events["behaviour"] == "cry"][["modifiers", "mod_cry", "mod_touch"]].fillna("")
    assert mods.values.tolist() == [["stark", "stark", ""], ["mild", "mild", ""], ["", "", ""]]
    ratings = sheets["Ratings"]
    sens = ratings[ratings["scale"] == "sens"].iloc[0]
    assert (sens["value"], sens["anchor"], sens["segment_name"]) == (5, "gemischt", "Whole session")
    assert sens["comment"] == "-nur eine Probe"
    play = ratings[ratings["segment"] == "play"].iloc[0]
    assert (play["segment_start_s"], play["segment_end_s"]) == (1.0, 3.0)  # frames 25 and 75


def test_events_carry_clock_times_when_the_recording_start_is_known(
    written: dict[str, Path], study: Study
) -> None:
    events = pd.read_csv(written["csv"] / "events.csv", keep_default_na=False)
    start = dt.datetime.fromisoformat(RECORDED)
    p01 = events[events["observation"] == "p01"]
    for onset_frame, onset_clock in p01[["onset_frame", "onset_clock"]].itertuples(index=False):
        want = start + dt.timedelta(microseconds=onset_frame * 40_000)  # 25 fps from 0
        assert dt.datetime.fromisoformat(onset_clock) == want
    look = p01[p01["behaviour"] == "look_away"].iloc[0]
    assert (look["onset_clock"], look["offset_clock"]) == (
        "2026-03-04T10:15:31.450000",
        "2026-03-04T10:15:32.650000",
    )
    phone = events[events["observation"] == "p02_phone"]
    assert set(phone["onset_clock"]) == set(phone["offset_clock"]) == {""}  # a date alone


def test_csv_files_read_back_with_pandas_equal_the_tables(
    written: dict[str, Path], expected: tables.ExportTables
) -> None:
    for name, frame in expected.sheets.items():
        path = written["csv"] / f"{name.lower()}.csv"
        back = pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""])
        assert_same_table(name, frame, back)
    assert coded_rows(pd.read_csv(written["csv"] / "events.csv")) == CODED


def test_sav_files_read_back_equal_the_tables_with_their_labels(
    written: dict[str, Path], expected: tables.ExportTables
) -> None:
    for name, path in sav_paths(written["sav"]).items():
        back, _meta = pyreadstat.read_sav(str(path))
        want = expected.wide.frame if name == "Wide" else expected.sheets[name]
        assert_same_table(name, want, back)
    wide, meta = pyreadstat.read_sav(str(written["sav"]))
    assert wide["coder"].tolist() == ["AB", "CD", "AB"]  # CD's empty pass has its row
    assert meta.column_names_to_labels["sens"] == "Feinfühligkeit (Whole session)"
    assert meta.variable_value_labels["sens"] == {1.0: "gering", 5.0: "gemischt", 9.0: "hoch"}
    assert meta.column_names_to_labels["touch_dur"] == "Berührt: total duration (s) (Whole session)"
    events, emeta = pyreadstat.read_sav(str(written["sav"].with_name("studie_events.sav")))
    assert coded_rows(events.replace({"offset_frame": {np.nan: None}})) == CODED
    assert emeta.variable_value_labels["behaviour"]["cry"] == "Weint 😢"
    assert emeta.variable_value_labels["subject"]["infant"] == "Säugling"
    assert emeta.column_names_to_labels["onset_s"] == "Onset (s)"
    assert emeta.column_names_to_labels["onset_clock"] == "Onset clock time"
    ratings, rmeta = pyreadstat.read_sav(str(written["sav"].with_name("studie_ratings.sav")))
    assert rmeta.variable_value_labels["scale"] == {"sens": "Feinfühligkeit", "coop": "Kooperation"}
    assert "\rCR zuerst" in ratings["comment"].tolist()  # SPSS keeps the text as it is


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
