"""Tidy CSV: one UTF-8 file per table (``events.csv``, ``summary.csv`` …), for R and pandas.

Missing values are empty fields; seconds keep full precision; text is written as it is.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def csv_name(sheet: str) -> str:
    """The file name of a table: ``Events`` → ``events.csv``."""
    return f"{sheet.lower()}.csv"


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write one table to ``path`` (UTF-8, ``\\n`` line ends, a header row, no index)."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
