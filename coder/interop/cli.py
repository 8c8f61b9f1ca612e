"""``attune import FILE --into PROJECT [--coder ID] [--map FILE] [--format …]``.

Reads a BORIS project, an ELAN file or a tidy CSV/XLSX events table, checks all of it and
writes it into PROJECT (created with the file's scheme when absent) in one batch per pass.
Notes (remapped keys, exclusions not kept, videos not found) go to stderr; a refused import
prints one line naming the file and its problems and exits with status 2, writing nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coder.interop.errors import InteropError
from coder.interop.importer import FORMATS, import_file
from coder.interop.mapping import read_map
from coder.interop.model import TidyOptions
from coder.interop.tidy import HEADERS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``attune import``."""
    parser.add_argument("file", metavar="FILE", help="a .boris (.boris.gz), .eaf, .csv or .xlsx")
    parser.add_argument(
        "--into", required=True, metavar="PROJECT",
        help="the project to import into (created with the file's scheme when absent)",
    )  # fmt: skip
    parser.add_argument("--coder", metavar="ID", help="record every pass under these initials")
    parser.add_argument(
        "--map", metavar="FILE", help="YAML or CSV: their code -> our code (existing projects)"
    )
    parser.add_argument("--format", choices=FORMATS, help="the file's format (default: its name)")
    tidy = parser.add_argument_group("tidy tables (csv, xlsx)")
    tidy.add_argument(
        "--columns", nargs="+", metavar="FIELD=HEADER", default=[],
        help=f"which header holds a field ({', '.join(HEADERS)})",
    )  # fmt: skip
    tidy.add_argument("--time-unit", choices=("s", "frames"), default="s", help="default: s")
    tidy.add_argument("--fps", type=float, help="frame rate, for times in frames")


def run(args: argparse.Namespace) -> int:
    """Carry out ``attune import``; returns the exit status."""
    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file")
    columns = {}
    for item in args.columns:
        field, sep, header = item.partition("=")
        if not sep or field not in HEADERS:
            return _fail(f"attune import: --columns {item!r}: use FIELD=HEADER, FIELD one of "
                         f"{', '.join(HEADERS)}")  # fmt: skip
        columns[field] = header
    try:
        mapping = read_map(args.map) if args.map else None
        result = import_file(
            path, Path(args.into), coder=args.coder, mapping=mapping, fmt=args.format,
            tidy=TidyOptions(columns, args.time_unit, args.fps),
        )  # fmt: skip
    except InteropError as exc:
        return _fail(" ".join(str(exc).split()))
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr, flush=True)
    if result.provisional:
        print(
            f"note: {len(result.provisional)} videos not found ({', '.join(result.provisional)}); "
            "events keep their exact times, frames are provisional until the videos are linked",
            file=sys.stderr, flush=True,
        )  # fmt: skip
    verb = "created" if result.created else "imported into"
    print(
        f"{verb} {result.project}: {result.passes} coding passes, {result.events} events, "
        f"{result.ratings} ratings",
        flush=True,
    )
    return 0


def _fail(message: str) -> int:
    print(message, file=sys.stderr, flush=True)
    return 2
