"""Excel workbooks: one sheet per table, each a filterable Excel table.

Header row bold and frozen, columns sized to their contents, seconds shown as ``0.000``, filter
buttons on every header. Text is always written as text: a value starting with ``=`` (or
``+ - @``, tab, CR) is never a formula, so a comment cannot run in the analyst's Excel. A
workbook's XML reads a CR (alone or before LF) as LF, and cannot hold other control characters
(each becomes U+FFFD); the CSV and SPSS files keep text exactly. Written with openpyxl's
streaming writer.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

SECONDS_FORMAT = "0.000"
MAX_WIDTH = 60
_SAMPLE = 500
_RISKY = ("=", "+", "-", "@", "\t", "\r")

#: Reports rows written: (sheet, rows done, rows in the sheet).
RowProgress = Callable[[str, int, int], None]


def column_values(series: pd.Series) -> list[Any]:
    """A column as plain Python values, with ``None`` for every missing value."""
    values: list[Any] = series.astype(object).where(series.notna(), None).tolist()
    return values


def write_workbook(
    path: Path,
    sheets: Mapping[str, pd.DataFrame],
    seconds: Mapping[str, Sequence[str]] | None = None,
    progress: RowProgress | None = None,
) -> None:
    """Write ``sheets`` (name → frame, in order) to the workbook ``path``.

    ``seconds`` names, per sheet, the columns shown with three decimals (by default every
    column whose name ends in ``_s``).
    """
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        chosen = (seconds or {}).get(name)
        timed = (
            set(chosen) if chosen is not None else {c for c in frame.columns if c.endswith("_s")}
        )
        _write_sheet(book, name, frame, timed, progress)
    book.save(path)


def _write_sheet(
    book: Workbook,
    name: str,
    frame: pd.DataFrame,
    timed: set[str],
    progress: RowProgress | None,
) -> None:
    sheet = book.create_sheet(title=name[:31])
    headers = [str(c) for c in frame.columns]
    columns = [column_values(frame[c]) for c in frame.columns]
    for index, (header, values) in enumerate(zip(headers, columns, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(header, values)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_clean(header))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    timed_at = [i for i, h in enumerate(headers) if h in timed]
    text_at = [
        i for i, c in enumerate(frame.columns) if not pd.api.types.is_numeric_dtype(frame[c])
    ]
    total = len(frame)
    for number, row in enumerate(zip(*columns, strict=True), start=1):
        cells: list[Any] = list(row)
        for i in text_at:
            value = cells[i]
            if isinstance(value, str) and (
                value.startswith(_RISKY) or ILLEGAL_CHARACTERS_RE.search(value)
            ):
                cell = WriteOnlyCell(sheet, value=_clean(value))
                cell.data_type = "s"
                cells[i] = cell
        for i in timed_at:
            if cells[i] is not None:
                cell = WriteOnlyCell(sheet, value=cells[i])
                cell.number_format = SECONDS_FORMAT
                cells[i] = cell
        sheet.append(cells)
        if progress is not None and number % 10_000 == 0:
            progress(name, number, total)
    if headers:
        last = get_column_letter(len(headers))
        table = Table(displayName=_table_name(name), ref=f"A1:{last}{max(total, 1) + 1}")
        table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
        table.autoFilter = AutoFilter(ref=table.ref)  # the filter buttons on the header
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        with warnings.catch_warnings():  # the streaming writer warns even with columns given
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
            sheet.add_table(table)


def _clean(text: str) -> str:
    """Text without the control characters a workbook cannot hold (each becomes U+FFFD)."""
    return str(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))


def _width(header: str, values: Sequence[Any]) -> float:
    sample = list(values[:_SAMPLE])
    longest = max((len(_shown(v)) for v in sample), default=0)
    return float(min(MAX_WIDTH, max(len(header) + 2, longest + 2, 6)))


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _table_name(sheet: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", sheet) or "Table"
