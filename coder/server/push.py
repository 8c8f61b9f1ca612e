"""``attune push FILE URL``: upload a project file to a new project on a lab server."""

from __future__ import annotations

import argparse

from coder.server import setup


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the project file (*.attune)")
    parser.add_argument("url", metavar="URL", help="postgresql://user@host/database")


def run(args: argparse.Namespace) -> int:
    from coder.store.postgres.address import display

    counts = setup.push(args.file, args.url)
    print(f"pushed {args.file} to {display(args.url)}: {_summary(counts)}")
    return 0


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())
