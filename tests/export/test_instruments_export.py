"""Q-sort scores, two observers' Q-sort agreement and consistency across visits in the export:
read back from the workbook, the CSV files and the SPSS file, value by value as the core gives
them; Q-sort placements as Ratings rows and Wide columns named after their items."""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from coder.export import tables
from coder.export.formats import ExportContext, export
from coder.export.tables import INSTRUMENT_SHEETS
from coder.instruments import consistency_frame, qsort_agreement_frame, qsort_scores_frame
from coder.project import Project
from coder.scheme import BUNDLED_DIR, load_scheme
from tests.export.qsort_study import QSET, SORTS, QStudy, make_qsort_study
from tests.export.study import Study, make_study
from tests.export.test_roundtrip import assert_same_table
from tests.instruments.fixtures import fake_medium


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> QStudy:
    return make_qsort_study(tmp_path_factory.mktemp("qstudy"))


@pytest.fixture(scope="module")
def core(study: QStudy) -> dict[str, pd.DataFrame]:
    """The core's frames over the passes an export takes by default."""
    with Project.open(study.path) as project:
        records = tables.select_passes(project)
    return {
        "QSort": qsort_scores_frame(records),
        "QSortAgreement": qsort_agreement_frame(records),
        "Consistency": consistency_frame(records),
    }


@pytest.fixture(scope="module")
def written(study: QStudy, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    targets = {"xlsx": out / "q.xlsx", "csv": out / "csv", "sav": out / "q.sav"}
    with Project.open(study.path) as project:
        export(ExportContext(project), targets)
    return targets


def test_the_core_frames_hold_what_the_study_was_coded_with(core: dict[str, pd.DataFrame]) -> None:
    scores = core["QSort"]
    assert len(scores) == 5 * 2  # five passes, two criterion sorts
    ab = scores[(scores["observation"] == "P01 v1") & (scores["coder"] == "AB")]
    security = ab[ab["criterion"] == "security"]["r"].item()
    sort = [SORTS["v1"]["AB"][i] for i in QSET.item_ids]
    criterion = [QSET.criterion("security").sort[i] for i in QSET.item_ids]
    assert security == pytest.approx(np.corrcoef(sort, criterion)[0, 1])
    assert security > 0.9  # dealt in the criterion's order
    once = scores[scores["participant"] == "P02"]
    assert list(once["complete"]) == [False, False]
    assert once["r"].isna().all()
    (pair,) = core["QSortAgreement"].groupby(["coder_a", "coder_b"]).size().index
    assert pair == ("AB", "CD")
    visits = core["Consistency"]
    assert set(visits["participant"]) == {"P01"}
    sens = visits[visits["code"] == "sens"].iloc[0]
    # no master pass is exported: the first visit counts AB's 5 and CD's 6 as their mean
    assert (sens["visits"], sens["values"]) == (3, "v1: 5.5; v2: 7; v3: 6")
    assert (sens["mean"], sens["range"]) == (pytest.approx(18.5 / 3), 1.5)
    assert {"rating", "Q-sort score"} <= set(visits["kind"])


def test_the_workbook_has_the_instrument_sheets_formatted_like_every_sheet(
    written: dict[str, Path], core: dict[str, pd.DataFrame]
) -> None:
    book = openpyxl.load_workbook(written["xlsx"])
    assert book.sheetnames == [
        "Events", "Ratings", "Summary", "Contingency", "Wide", "Variables", *INSTRUMENT_SHEETS,
        "Codebook", "About",
    ]  # fmt: skip
    for name in INSTRUMENT_SHEETS:
        sheet, frame = book[name], core[name]
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == list(frame.columns)
        assert all(c.font.bold for c in sheet[1])
        (table,) = sheet.tables.values()
        assert table.ref == f"A1:{openpyxl.utils.get_column_letter(frame.shape[1])}{len(frame) + 1}"
        assert table.autoFilter is not None
        assert table.autoFilter.ref == table.ref
    sheets = pd.read_excel(written["xlsx"], sheet_name=list(INSTRUMENT_SHEETS))
    for name in INSTRUMENT_SHEETS:
        assert_same_table(name, core[name], sheets[name], workbook=True)


def test_the_csv_files_hold_the_instrument_tables_value_by_value(
    written: dict[str, Path], core: dict[str, pd.DataFrame]
) -> None:
    folder = written["csv"]
    for name in INSTRUMENT_SHEETS:
        got = pd.read_csv(folder / f"{name.lower()}.csv", keep_default_na=False, na_values=[""])
        assert_same_table(name, core[name], got)


def test_ratings_name_each_item_and_come_in_item_order(written: dict[str, Path]) -> None:
    ratings = pd.read_csv(written["csv"] / "ratings.csv")
    ab = ratings[(ratings["observation"] == "P01 v1") & (ratings["coder"] == "AB")]
    items = ab[ab["scale"].str.startswith("demo.")]
    assert list(items["scale"]) == [f"demo.{i}" for i in QSET.item_ids]
    assert list(items["value"]) == [SORTS["v1"]["AB"][i] for i in QSET.item_ids]
    q4 = items[items["scale"] == "demo.q4"].iloc[0]
    assert (
        q4["scale_name"] == "Demonstration Q-set q4: Shows toys to the caregiver to share the fun."
    )
    sens = ab[ab["scale"] == "sens"].iloc[0]
    assert (sens["scale_name"], sens["anchor"]) == ("Sensitivity", "mixed")


def test_spss_has_one_variable_per_item_and_per_criterion_score(
    written: dict[str, Path], core: dict[str, pd.DataFrame]
) -> None:
    frame, meta = pyreadstat.read_sav(str(written["sav"]))
    items = [f"demo_{i}" for i in QSET.item_ids]
    assert [c for c in frame.columns if c.startswith("demo_q")] == items
    labels = meta.column_names_to_labels
    assert labels["demo_q4"].startswith("Demonstration Q-set q4: Shows toys")
    assert meta.variable_value_labels["demo_q1"] == {1.0: "most unlike", 5.0: "neither",
                                                      9.0: "most like"}  # fmt: skip
    ab = frame[(frame["observation"] == "P01 v1") & (frame["coder"] == "AB")].iloc[0]
    assert [ab[c] for c in items] == [SORTS["v1"]["AB"][i] for i in QSET.item_ids]
    assert labels["demo_security"] == "Demonstration Q-set: r with Security (demonstration)"
    scores = core["QSort"]
    for row in scores.itertuples():
        got = frame[(frame["observation_id"] == row.observation_id)
                    & (frame["coder"] == row.coder)][f"demo_{row.criterion}"].item()  # fmt: skip
        assert got == row.r or (math.isnan(got) and math.isnan(row.r))


def test_codebook_and_about_explain_the_qsort_and_the_instrument_tables(
    written: dict[str, Path],
) -> None:
    codebook = pd.read_csv(written["csv"] / "codebook.csv", keep_default_na=False)
    sections = codebook.groupby("section").size()
    assert (sections["qsort"], sections["qsort item"], sections["criterion"]) == (1, 18, 2)
    q4 = codebook[codebook["code"] == "demo.q4"].iloc[0]
    assert q4["name"] == "Shows toys to the caregiver to share the fun."
    about = pd.read_csv(written["csv"] / "about.csv", keep_default_na=False)
    items = dict(zip(about["item"], about["value"], strict=True))
    for name in INSTRUMENT_SHEETS:
        assert f"table {name}" in items
    assert "criterion sort" in items["table QSort"]
    assert "composite" in items["table QSortAgreement"]
    assert "SD (n - 1)" in items["table Consistency"]
    assert "<qsort>.<item>" in items["Q-sort placements"]


def test_a_study_without_qsorts_or_repeated_visits_has_no_instrument_tables(
    tmp_path: Path,
) -> None:
    plain: Study = make_study(tmp_path)
    with Project.open(plain.path) as project:
        built = tables.build_tables(project)
        assert tables.consistency(project).empty
    assert not set(INSTRUMENT_SHEETS) & set(built.sheets)
    assert not built.sheets["About"]["item"].str.startswith("table ").any()


def test_ninety_items_with_rough_piles_export_to_spss_and_the_workbook(tmp_path: Path) -> None:
    scheme = load_scheme(BUNDLED_DIR / "attachment_qset.yaml")
    (aqs,) = scheme.qsorts
    with Project.create(tmp_path / "aqs.attune", scheme) as project:
        medium, timebase = fake_medium("aqs.mp4")
        obs = project.store.add_observation("home", [medium], [timebase], participant="C1")
        order = list(aqs.item_ids)
        random.Random(9).shuffle(order)
        piles = [p for p, n in enumerate(aqs.distribution, 1) for _ in range(n)]
        complete = project.start_coding(obs.id, "AB")
        for item, pile in zip(order, piles, strict=True):
            complete.place("aqs", item, pile)
        halfway = project.start_coding(obs.id, "CD")  # rough piles only, for 30 items
        for n, item in enumerate(aqs.item_ids[:30]):
            halfway.place_rough("aqs", item, n % 3 + 1)
        targets = {"xlsx": tmp_path / "aqs.xlsx", "sav": tmp_path / "aqs.sav"}
        export(ExportContext(project), targets)
    frame, meta = pyreadstat.read_sav(str(targets["sav"]))
    names = list(frame.columns)
    assert [n for n in names if n.startswith("aqs_q")] == [f"aqs_q{n}" for n in range(1, 91)]
    assert [n for n in names if n.startswith("aqs_rough")] == [
        f"aqs_rough_q{n}" for n in range(1, 31)
    ]
    assert all(len(n) <= 32 for n in names)
    ab = frame[frame["coder"] == "AB"].iloc[0]
    assert [ab[f"aqs_{i}"] for i in order] == piles
    assert np.isnan(frame[frame["coder"] == "CD"].iloc[0]["aqs_q1"])
    assert meta.column_names_to_labels["aqs_rough_q2"] == "AQS q2 (rough pile) (Whole session)"
    scores = pd.read_excel(targets["xlsx"], sheet_name="QSort")
    assert scores.empty  # the bundled AQS comes without criterion sorts: a lab adds its own
    assert list(scores.columns) == list(qsort_scores_frame([]).columns)
