"""``attune merge PROJECT KL.attune [--onto-project-scheme]``."""

from __future__ import annotations

import argparse

from coder.sharing.merge import merge


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT", help="the project (file or server URL)")
    parser.add_argument("package", metavar="PACKAGE", help="a coder's package (attune handout)")
    parser.add_argument(
        "--onto-project-scheme",
        action="store_true",
        help="map passes coded with another scheme version onto the project's, each record "
        "checked by its rules",
    )


def run(args: argparse.Namespace) -> int:
    report = merge(args.project, args.package, onto_project_scheme=args.onto_project_scheme)
    for label, names in (
        ("merged", report.merged),
        ("already in the project", report.already),
        ("unchanged in the package (the project's kept)", report.kept),
    ):
        if names:
            print(f"{label}: {', '.join(names)}")
    if not (report.merged or report.already or report.kept):
        print("the package holds no passes")
    return 0
