"""``attune export PROJECT --xlsx FILE | --csv DIR | --sav FILE [filters] [--force]``.

One flag per format of :data:`coder.export.formats.FORMATS` (formats registered later get a
flag too); several formats can be written in one run. Progress goes to stderr on long exports;
a user error prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from coder.export.formats import FORMATS, ExportContext, export
from coder.export.tables import Filters, split_list
from coder.export.tables.select import ExportError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``attune export``."""
    parser.add_argument(
        "project", metavar="PROJECT", help="the project file (*.attune) or a lab server's address"
    )
    formats = parser.add_argument_group("formats (at least one)")
    for fmt in FORMATS.values():
        formats.add_argument(
            f"--{fmt.name}", metavar=fmt.metavar, dest=f"format_{fmt.name}", help=fmt.help
        )
    chosen = parser.add_argument_group("which passes")
    chosen.add_argument(
        "--observations", nargs="+", metavar="OBS", help="observation ids or names (default: all)"
    )
    chosen.add_argument("--coders", nargs="+", metavar="INITIALS", help="coders (default: all)")
    chosen.add_argument(
        "--status", choices=("done", "in_progress"), help="only passes with this status"
    )
    chosen.add_argument(
        "--include-master", action="store_true", help="also export master (reference) passes"
    )
    parser.add_argument(
        "--unit", type=float, metavar="SECONDS", help="time unit of contingency 2x2 tables "
        "(default: one video frame)",
    )  # fmt: skip
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    """Carry out ``attune export``; returns the exit status."""
    from coder.project import Project, ProjectError

    targets = {
        name: Path(value)
        for name in FORMATS
        if (value := getattr(args, f"format_{name}", None)) is not None
    }
    if not targets:
        flags = " | ".join(f"--{f.name} {f.metavar}" for f in FORMATS.values())
        return _fail(f"attune export: say what to write ({flags})")
    from coder.store.factory import is_server

    project_path: Path | str = args.project
    if not is_server(args.project):
        project_path = Path(args.project)
        if not project_path.is_file():
            return _fail(f"{project_path}: no such project file")
    if args.unit is not None and not args.unit > 0:
        return _fail(f"attune export: --unit {args.unit:g}: the unit must be positive")
    filters = Filters(
        observations=split_list(args.observations),
        coders=split_list(args.coders),
        status=args.status,
        include_master=args.include_master,
    )
    progress = _Progress(enabled=not args.quiet)
    try:
        with Project.open(project_path) as project:
            context = ExportContext(project, filters, args.force, args.unit, progress)
            written = export(context, targets)
            passes = context.tables.passes
    except (ExportError, ProjectError) as exc:
        return _fail(" ".join(str(exc).split()))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"attune export: {where}{exc.strerror or exc}")
    progress.finish()
    for path in written:
        print(path, flush=True)
    print(f"exported {passes} coding passes to {len(written)} files", file=sys.stderr, flush=True)
    return 0


def _fail(message: str) -> int:
    print(message, file=sys.stderr, flush=True)
    return 2


class _Progress:
    """Progress lines on stderr, at most one a second and only after the first second."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = self.started
        self.shown = False

    def __call__(self, message: str, fraction: float) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < 1.0 or now - self.last < 1.0:
            return
        self.last, self.shown = now, True
        print(f"  {fraction:4.0%}  {message}", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.shown:
            print("  100%  done", file=sys.stderr, flush=True)
