"""``attune agreement PROJECT --coders A [B] ...``: the inter-rater report from the command line.

Plugged into ``attune`` by :mod:`coder.cli`, which calls :func:`add_arguments` and :func:`run`.
The project is opened read-only. Exit status 0 with the report (whatever its verdict), 2 with
one line on stderr for a user error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coder.agreement.durations import parse_duration
from coder.agreement.output import report_data, report_text
from coder.agreement.selection import project_report
from coder.agreement.workbook import write_workbook
from coder.project import Project, ProjectError
from coder.store.factory import is_server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "project", help="the project file (.attune) or a lab server's postgresql:// address"
    )
    parser.add_argument(
        "--coders",
        nargs="+",
        metavar="INITIALS",
        help="two coders to compare, or one to compare with the master pass "
        "(default: every coder against the master pass)",
    )
    parser.add_argument(
        "--master", metavar="INITIALS", help="the reference coder (default: the marked master pass)"
    )
    parser.add_argument(
        "--observations", nargs="+", metavar="ID", help="observations by name or id (default: all)"
    )
    parser.add_argument(
        "--unit", default="1s", help="time unit: 1s (default), 500ms, 1f for one frame, or seconds"
    )
    parser.add_argument(
        "--tolerance", default="2s", help="onset tolerance for event alignment (default 2s)"
    )
    parser.add_argument("--xlsx", type=Path, metavar="FILE", help="also write an Excel workbook")
    parser.add_argument("--force", action="store_true", help="replace an existing workbook")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")


def run(args: argparse.Namespace) -> int:
    try:
        unit = parse_duration(args.unit, "--unit")
        tolerance = parse_duration(args.tolerance, "--tolerance")
        if args.xlsx is not None and args.xlsx.exists() and not args.force:
            raise FileExistsError(f"{args.xlsx}: already exists (use --force to replace it)")
        location: Path | str = args.project
        if not is_server(args.project):
            location = Path(args.project)
            if not location.exists():
                raise FileNotFoundError(f"{location}: no such project file")
        with Project.open(location, read_only=True) as project:
            report = project_report(
                project,
                args.coders,
                master=args.master,
                observations=args.observations,
                unit=unit,
                tolerance=tolerance,
            )
        if args.xlsx is not None:
            write_workbook(report, args.xlsx, force=args.force)
    except (ValueError, ProjectError, OSError) as exc:
        text = " ".join(str(exc).split())
        print(f"attune agreement: {text}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report_data(report), indent=1, ensure_ascii=False, allow_nan=False))
    else:
        print(report_text(report))
    if args.xlsx is not None:
        print(f"wrote {args.xlsx}", file=sys.stderr if args.json else sys.stdout)
    return 0
