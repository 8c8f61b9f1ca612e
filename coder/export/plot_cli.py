"""``attune plot PROJECT --pass ID --out FILE`` (a pass's timeline), ``--budget`` (the study's
time budget) or ``--visits`` (consistency of care across visits: each whole-session figure over
each participant's visits), the last two over the passes the filters choose; PNG, SVG or PDF by
the suffix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coder.export.plots import save_figure, time_budget_figure, timeline_figure
from coder.export.tables import Filters, select_passes, split_list
from coder.export.tables.select import ExportError
from coder.instruments.plot import visits_figure


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``attune plot``."""
    parser.add_argument(
        "project", metavar="PROJECT", help="the project file (*.attune) or a lab server's address"
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--pass", dest="coding", type=int, metavar="ID", help="a coding pass id")
    what.add_argument("--budget", action="store_true", help="the time budget of the study")
    what.add_argument(
        "--visits",
        action="store_true",
        help="consistency of care: each rating, rate and score across each participant's visits",
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="a .png, .svg or .pdf file")
    parser.add_argument("--coders", nargs="+", metavar="INITIALS", help="with --budget or --visits")
    parser.add_argument(
        "--status", choices=("done", "in_progress"), help="with --budget or --visits"
    )
    parser.add_argument(
        "--include-master",
        action="store_true",
        help="with --budget or --visits: master passes too (a visit then counts its master's)",
    )
    parser.add_argument("--force", action="store_true", help="replace a file that exists")


def run(args: argparse.Namespace) -> int:
    """Carry out ``attune plot``; returns the exit status."""
    from coder.project import Project, ProjectError
    from coder.store.factory import is_server

    project_path: Path | str = args.project
    if not is_server(args.project):
        project_path = Path(args.project)
        if not project_path.is_file():
            return _fail(f"{project_path}: no such project file")
    try:
        with Project.open(project_path) as project:
            if args.coding is not None:
                known = {info.id for info in project.passes()}
                if args.coding not in known:
                    ids = ", ".join(str(i) for i in sorted(known)) or "none"
                    return _fail(f"{project_path}: no coding pass {args.coding} (passes: {ids})")
                figure = timeline_figure(project.load_pass(args.coding))
            else:
                filters = Filters(
                    coders=split_list(args.coders),
                    status=args.status,
                    include_master=args.include_master,
                )
                records = select_passes(project, filters)
                if args.visits:
                    try:
                        figure = visits_figure(records)
                    except ValueError as exc:
                        return _fail(f"{project_path}: {exc}")
                else:
                    figure = time_budget_figure(records)
            path = save_figure(figure, Path(args.out), args.force)
    except (ExportError, ProjectError) as exc:
        return _fail(" ".join(str(exc).split()))
    except OSError as exc:
        return _fail(f"attune plot: {exc.filename or args.out}: {exc.strerror or exc}")
    print(path, flush=True)
    return 0


def _fail(message: str) -> int:
    print(message, file=sys.stderr, flush=True)
    return 2
