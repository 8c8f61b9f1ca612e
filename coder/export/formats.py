"""The export formats, as a table that other modules can add to, and the export job itself.

A :class:`Format` names its command-line flag and a writer ``write(context, target) ->
written paths``. :data:`FORMATS` holds ``xlsx``, ``csv`` and ``sav``, and the interchange
formats of :mod:`coder.interop` (``boris``, ``eaf``, ``sds``); :func:`register` adds one.
:func:`export` checks every target first (nothing is overwritten unless ``force``), builds the
tables once, and writes each target under a temporary name that is moved into place when complete.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from coder.export import csvdir, sav, xlsx
from coder.export.files import atomic_files, refuse_existing
from coder.export.tables import INSTRUMENT_SHEETS, ExportTables, Filters, Progress, build_tables
from coder.export.tables.select import ExportError, select_passes
from coder.interop import InteropError, write_boris, write_eaf, write_sds
from coder.interop.eaf_write import eaf_targets

if TYPE_CHECKING:
    from coder.project import PassRecord, Project


@dataclass(frozen=True)
class ExportContext:
    """What a writer needs: the project, the filters, and the tables (built on first use)."""

    project: Project
    filters: Filters = field(default_factory=Filters)
    force: bool = False
    unit_s: float | None = None
    progress: Progress = field(default=lambda _message, _fraction: None)

    @functools.cached_property
    def tables(self) -> ExportTables:
        return build_tables(self.project, self.filters, self.unit_s, self.progress)


Writer = Callable[[ExportContext, Path], list[Path]]


@dataclass(frozen=True, slots=True)
class Format:
    """One export format: ``name`` (``xlsx``), the flag's metavar, a help line, the writer,
    and the paths a target will create (for the overwrite check before any work)."""

    name: str
    metavar: str
    help: str
    write: Writer
    targets: Callable[[Path], list[Path]] = lambda path: [path]


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    """Add ``fmt`` to :data:`FORMATS` (a name already taken is an error)."""
    if fmt.name in FORMATS:
        raise ExportError(f"export format {fmt.name!r} is already registered")
    FORMATS[fmt.name] = fmt


def export(context: ExportContext, targets: Mapping[str, Path | str]) -> list[Path]:
    """Write ``targets`` (format name → file or folder) for ``context``; returns what was
    written. Every target is checked before anything is built."""
    chosen = []
    for name, target in targets.items():
        if name not in FORMATS:
            raise ExportError(f"unknown export format {name!r} (known: {', '.join(FORMATS)})")
        chosen.append((FORMATS[name], Path(target)))
    for fmt, target in chosen:
        refuse_existing(fmt.targets(target), context.force)
    written: list[Path] = []
    for fmt, target in chosen:
        written.extend(fmt.write(context, target))
    context.progress("done", 1.0)
    return written


# ------------------------------------------------------------------ the three table formats
def _write_xlsx(context: ExportContext, path: Path) -> list[Path]:
    tables = context.tables
    total = sum(len(frame) for frame in tables.sheets.values()) or 1
    done_before: dict[str, int] = {}
    offset = 0
    for name, frame in tables.sheets.items():
        done_before[name] = offset
        offset += len(frame)

    def rows(sheet: str, done: int, _in_sheet: int) -> None:
        share = (done_before[sheet] + done) / total
        context.progress(f"writing {path.name}: sheet {sheet}", 0.4 + 0.55 * share)

    seconds = {"Wide": _wide_seconds(tables)}
    with atomic_files([path], context.force) as (partial,):
        xlsx.write_workbook(partial, tables.sheets, seconds, rows)
    return [path]


def _wide_seconds(tables: ExportTables) -> list[str]:
    variables = tables.wide.variables
    timed = variables[variables["statistic"].astype(str).str.endswith("_s")]
    return [str(v) for v in timed["variable"]]


def _csv_targets(folder: Path) -> list[Path]:
    """Every file a CSV export may write (the instrument tables' too, so that an older
    ``qsort.csv`` is never silently left beside new tables without being asked about)."""
    return [folder / csvdir.csv_name(name) for name in (*SHEETS, *INSTRUMENT_SHEETS)]


def _write_csv(context: ExportContext, folder: Path) -> list[Path]:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: a file of that name exists; --csv needs a folder")
    tables = context.tables
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / csvdir.csv_name(name) for name in tables.sheets]
    try:
        with atomic_files(paths, context.force) as partials:
            for partial, frame in zip(partials, tables.sheets.values(), strict=True):
                csvdir.write_csv(partial, frame)
                context.progress(f"writing {partial.name}", 0.9)
    except BaseException:
        if created and not any(folder.iterdir()):
            folder.rmdir()  # a failed export leaves no folder it made either
        raise
    return paths


def _write_sav(context: ExportContext, path: Path) -> list[Path]:
    tables = context.tables
    targets = sav.sav_paths(path)
    variables = tables.wide.variables
    wide_labels = dict(zip(variables["variable"], variables["label"], strict=True))
    with atomic_files(list(targets.values()), context.force) as partials:
        for partial, (name, _target) in zip(partials, targets.items(), strict=True):
            frame = tables.sheets[name]
            if name == "Wide":
                sav.write_sav(partial, frame, wide_labels, tables.wide.value_labels)
            else:
                sav.write_sav(partial, frame, sav.LABELS, _code_labels(frame))
            context.progress(f"writing {path.name}: {name}", 0.9)
    return list(targets.values())


def _code_labels(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Codes labelled by their names (behaviour → behaviour_name …) where both columns exist."""
    labels = {}
    for code in ("behaviour", "subject", "scale", "contingency", "segment"):
        name = f"{code}_name"
        if code in frame.columns and name in frame.columns:
            pairs = frame[[code, name]].drop_duplicates(code)
            labels[code] = {str(c): str(n) for c, n in zip(pairs[code], pairs[name], strict=True)}
    return labels


#: The sheets of every export; the instrument tables (``INSTRUMENT_SHEETS``) come before
#: Codebook when they apply.
SHEETS = ("Events", "Ratings", "Summary", "Contingency", "Wide", "Variables", "Codebook", "About")

register(Format("xlsx", "FILE", "one workbook with every table as a sheet", _write_xlsx))
register(Format("csv", "DIR", "one UTF-8 CSV file per table in DIR", _write_csv, _csv_targets))
register(
    Format(
        "sav",
        "FILE",
        "SPSS: the wide table in FILE, the long tables beside it (FILE_events.sav …)",
        _write_sav,
        lambda path: list(sav.sav_paths(path).values()),
    )
)


# ------------------------------------------------------------------ other tools' formats
InteropWriter = Callable[["Project", Sequence["PassRecord"], Path], list[Path]]


def _interop(write: InteropWriter, eaf: bool = False) -> Writer:
    """A writer of :mod:`coder.interop` over the passes the filters choose."""

    def run(context: ExportContext, target: Path) -> list[Path]:
        records = select_passes(context.project, context.filters)
        if eaf:  # the folder's file names are known once the passes are
            refuse_existing(eaf_targets(target, records), context.force)
        context.progress(f"writing {target.name}", 0.5)
        try:
            return write(context.project, records, target)
        except InteropError as exc:
            raise ExportError(str(exc)) from exc

    return run


register(
    Format("boris", "FILE", "a BORIS project: the ethogram, one observation per pass",
           _interop(write_boris))
)  # fmt: skip
register(
    Format("eaf", "DIR", "one ELAN file per pass in DIR (tiers per group, vocabularies)",
           _interop(write_eaf, eaf=True), lambda folder: [])
)  # fmt: skip
register(Format("sds", "FILE", "GSEQ timed-event SDS: one session per pass", _interop(write_sds)))
