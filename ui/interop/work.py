"""What File → Import… does, as functions of core objects (run on a worker thread).

:func:`check_file` reads and checks the whole file without writing anything and says what it
holds (or lists every problem with its place); :func:`run_import` imports it with
:func:`coder.interop.import_file`. Both return an :class:`ImportOutcome` the dialog shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coder.interop import InteropError, TidyOptions, import_file, read_file, read_map
from coder.interop.importer import detect_format
from coder.jobs import Progress

#: How the dialog names each format it reads.
FORMAT_LABELS = {
    "boris": "BORIS project",
    "eaf": "ELAN file",
    "csv": "events table (CSV)",
    "xlsx": "events table (Excel)",
}
#: The file chooser's filter of files it can import.
FILE_FILTER = (
    "Files Attune imports (*.boris *.boris.gz *.eaf *.csv *.tsv *.txt *.xlsx *.xlsm);;"
    "BORIS projects (*.boris *.boris.gz);;ELAN files (*.eaf);;"
    "Events tables (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)"
)


@dataclass(frozen=True)
class ImportRequest:
    """One import as the dialog asks it: the file, the project (created when absent), the
    coder's initials (blank: the file's own), a map file, the format and the table options."""

    source: Path
    into: Path
    coder: str = ""
    map_file: Path | None = None
    fmt: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    time_unit: str = "s"
    fps: float | None = None

    def tidy(self) -> TidyOptions:
        return TidyOptions(dict(self.columns), self.time_unit, self.fps)


@dataclass(frozen=True)
class ImportOutcome:
    """What a check or an import found: ``problems`` (each with its place) when refused,
    else a summary and the notes for the user; ``project`` is set once written."""

    summary: str = ""
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    project: Path | None = None
    created: bool = False

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def format_of(path: Path) -> str | None:
    """The format ``path``'s name says, or None when it says none."""
    try:
        return detect_format(path)
    except InteropError:
        return None


def _refused(exc: InteropError) -> ImportOutcome:
    return ImportOutcome(summary=f"{exc.source}: not imported", problems=tuple(exc.problems))


def check_file(request: ImportRequest) -> ImportOutcome:
    """Read and check the whole file (and the map file), writing nothing."""
    try:
        if request.map_file is not None:
            read_map(request.map_file)
        data = read_file(request.source, request.fmt, request.tidy())
    except InteropError as exc:
        return _refused(exc)
    events = sum(len(p.events) for p in data.passes)
    ratings = sum(len(p.ratings) for p in data.passes)
    observations = len({p.observation for p in data.passes})
    label = FORMAT_LABELS.get(data.kind, data.kind)
    lines = [
        f"{label} {data.source.name}: {observations} observations, {len(data.passes)} coding "
        f"passes, {events} events, {ratings} ratings."
    ]
    if data.scheme is not None:
        lines.append(
            f"It brings the scheme {data.scheme.name!r} ({len(data.scheme.behaviours)} "
            f"behaviours, {len(data.scheme.groups)} groups, {len(data.scheme.subjects)} subjects)."
        )
    if request.into.exists():
        lines.append(
            f"Its codes are matched to the scheme of {request.into.name} when it is imported."
        )
    return ImportOutcome(summary="\n".join(lines), notes=data.notes)


def run_import(request: ImportRequest, progress: Progress) -> ImportOutcome:
    """Import the file (all or nothing); ``progress`` may raise ``JobCancelled`` before the
    first write, never after."""
    progress(0, 1, f"reading {request.source.name}")
    try:
        mapping = read_map(request.map_file) if request.map_file is not None else None
        result = import_file(
            request.source,
            request.into,
            coder=request.coder.strip() or None,
            mapping=mapping,
            fmt=request.fmt,
            tidy=request.tidy(),
        )
    except InteropError as exc:
        return _refused(exc)
    progress(1, 1, "done")
    verb = "Created" if result.created else "Imported into"
    lines = [
        f"{verb} {result.project.name}: {result.passes} coding passes, {result.events} events, "
        f"{result.ratings} ratings."
    ]
    notes = list(result.notes)
    if result.provisional:
        notes.append(
            f"{len(result.provisional)} videos not found ({', '.join(result.provisional)}): the "
            "events keep their exact times; their frames are provisional until the videos are "
            "linked."
        )
    return ImportOutcome("\n".join(lines), (), tuple(notes), result.project, result.created)


def describe(outcome: ImportOutcome) -> str:
    """The outcome as the dialog's text: the summary, then each problem or note on its line."""
    lines = [outcome.summary]
    if outcome.problems:
        lines.append("")
        lines.extend(f"• {problem}" for problem in outcome.problems)
    if outcome.notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"• {note}" for note in outcome.notes)
    return "\n".join(lines)
