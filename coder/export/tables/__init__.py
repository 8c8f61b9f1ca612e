"""The export tables, as pandas DataFrames, over a project (or over read-only pass records).

>>> from coder.project import Project
>>> from coder.export import tables
>>> with Project.open("study.attune") as project:
...     summary = tables.summary(project, tables.Filters(status="done"))

Each function takes a :class:`~coder.project.Project` and optional :class:`Filters` (master
passes are left out unless ``include_master``); the ``*_frame`` functions take records instead:

- :func:`events` — one row per event: pass, behaviour and subject (codes and names), kind,
  onset/offset/duration in seconds and frames, clock times (when the observation's recording
  start is known), ``open``, modifiers (as text and one ``mod_<behaviour>`` column per
  behaviour that has modifiers), comment.
- :func:`ratings` — one row per rating: scale, segment (name, start, end), value, anchor text.
- :func:`summary` — per pass × segment (session, intervals, episodes) × behaviour: count, bouts,
  total, mean and SD of duration, proportion of time, rate per minute, latency, open, split.
- :func:`contingency` — per pass × contingency: cues, followed, proportion, latencies, the
  time-based 2×2 table and Yule's Q.
- :func:`wide` — one row per observation × coder with short SPSS names (:class:`WideTable`:
  the frame, the variable map, value labels).
- :func:`qsort_scores` and :func:`qsort_agreement` — per pass, a Q-sort's correlation with each
  criterion sort; per observation, two observers' r across items and their composite's scores.
- :func:`consistency` — per participant seen at two or more visits, every figure's mean, SD and
  range across them.
- :func:`codebook` and :func:`about` — what the codes mean; what the export holds.

:func:`build_tables` makes all of them at once, as the workbook's sheets (the Q-sort tables
only when a scheme declares a Q-sort, Consistency only when it has rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from coder.export.tables.figures import contingency_frame, summary_frame
from coder.export.tables.instruments import INSTRUMENT_SHEETS, instrument_sheets
from coder.export.tables.long import events_frame, ratings_frame
from coder.export.tables.meta import about_frame, codebook_frame, schemes_of
from coder.export.tables.names import legal_name
from coder.export.tables.select import ExportError, Filters, select_passes, split_list
from coder.export.tables.wide import WideTable, wide_table
from coder.instruments import consistency_frame, qsort_agreement_frame, qsort_scores_frame

if TYPE_CHECKING:
    from coder.project import Project

#: Reports what is being done: (message, fraction done from 0 to 1).
Progress = Callable[[str, float], None]


def events(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """One row per event of the chosen passes (see :func:`events_frame`)."""
    return events_frame(select_passes(project, filters))


def ratings(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """One row per rating of the chosen passes (see :func:`ratings_frame`)."""
    return ratings_frame(select_passes(project, filters))


def summary(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """Summary figures of the chosen passes (see :func:`summary_frame`)."""
    return summary_frame(select_passes(project, filters))


def contingency(
    project: Project, filters: Filters | None = None, unit_s: float | None = None
) -> pd.DataFrame:
    """Contingencies of the chosen passes, 2×2 over frames or ``unit_s`` units."""
    return contingency_frame(select_passes(project, filters), unit_s)


def wide(
    project: Project, filters: Filters | None = None, unit_s: float | None = None
) -> WideTable:
    """The wide table of the chosen passes (see :func:`wide_table`)."""
    return wide_table(select_passes(project, filters), unit_s)


def qsort_scores(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """Each chosen pass's r with each criterion sort of its Q-sorts (the QSort sheet)."""
    return qsort_scores_frame(select_passes(project, filters))


def qsort_agreement(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """Two observers' agreement on each Q-sort of each observation (the QSortAgreement sheet)."""
    return qsort_agreement_frame(select_passes(project, filters))


def consistency(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """Every figure of each participant across visits, over the chosen passes (the Consistency
    sheet; a visit counts its master pass when the filters include it)."""
    return consistency_frame(select_passes(project, filters))


def codebook(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """The codebook of the scheme versions the chosen passes use (the current one if none)."""
    schemes = schemes_of(select_passes(project, filters)) or [project.scheme]
    return codebook_frame(schemes)


def about(project: Project, filters: Filters | None = None) -> pd.DataFrame:
    """Version, export time, project, filters and scheme versions of an export."""
    filters = filters or Filters()
    records = select_passes(project, filters)
    return about_frame(str(project.path), records, filters, tables=instrument_sheets(records))


@dataclass(frozen=True)
class ExportTables:
    """Every table of an export, by sheet name in sheet order, with the wide table's labels."""

    sheets: dict[str, pd.DataFrame]
    wide: WideTable
    passes: int = 0


def build_tables(
    project: Project,
    filters: Filters | None = None,
    unit_s: float | None = None,
    progress: Progress | None = None,
) -> ExportTables:
    """All tables of an export: Events, Ratings, Summary, Contingency, Wide, Variables, the
    instrument tables that apply (QSort, QSortAgreement, Consistency), Codebook, About.
    ``progress`` hears of each step."""
    filters = filters or Filters()
    report = progress or (lambda _message, _fraction: None)
    report("reading the coding passes", 0.0)
    records = select_passes(project, filters)
    report(f"events of {len(records)} passes", 0.1)
    sheets = {"Events": events_frame(records)}
    report("ratings", 0.2)
    sheets["Ratings"] = ratings_frame(records)
    report("summaries", 0.25)
    sheets["Summary"] = summary_frame(records)
    report("contingencies", 0.3)
    sheets["Contingency"] = contingency_frame(records, unit_s)
    wide_part = wide_table(records, unit_s)
    sheets["Wide"] = wide_part.frame
    sheets["Variables"] = wide_part.variables
    report("Q-sorts and consistency across visits", 0.32)
    instruments = instrument_sheets(records)
    sheets.update(instruments)
    sheets["Codebook"] = codebook_frame(schemes_of(records) or [project.scheme])
    sheets["About"] = about_frame(str(project.path), records, filters, unit_s, tables=instruments)
    report("tables ready", 0.35)
    return ExportTables(sheets, wide_part, len(records))


__all__ = [
    "INSTRUMENT_SHEETS",
    "ExportError",
    "ExportTables",
    "Filters",
    "Progress",
    "WideTable",
    "about",
    "about_frame",
    "build_tables",
    "codebook",
    "codebook_frame",
    "consistency",
    "consistency_frame",
    "contingency",
    "contingency_frame",
    "events",
    "events_frame",
    "instrument_sheets",
    "legal_name",
    "qsort_agreement",
    "qsort_agreement_frame",
    "qsort_scores",
    "qsort_scores_frame",
    "ratings",
    "ratings_frame",
    "select_passes",
    "split_list",
    "summary",
    "summary_frame",
    "wide",
    "wide_table",
]
