"""Tidy CSV: one UTF-8 file per table (``events.csv``, ``summary.csv`` …), for R and pandas.

Missing values are empty fields; seconds keep full precision; text is written as it is. Rows
end in CR LF (RFC 4180): then a text holding a line break, even a lone CR, is quoted, so no
reader splits a row in two.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def csv_name(sheet: str) -> str:
    """The file name of a table: ``Events`` → ``events.csv``."""
    return f"{sheet.lower()}.csv"


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write one table to ``path`` (UTF-8, CR LF line ends, a header row, no index)."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
