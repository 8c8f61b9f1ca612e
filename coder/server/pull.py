"""``attune pull URL FILE``: archive a lab server's project to a new project file."""

from __future__ import annotations

import argparse

from coder.server import setup
from coder.server.push import _summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="postgresql://user@host/database")
    parser.add_argument("file", metavar="FILE", help="the new project file (*.attune)")


def run(args: argparse.Namespace) -> int:
    from coder.store.postgres.address import display

    counts = setup.pull(args.url, args.file)
    print(f"pulled {display(args.url)} into {args.file}: {_summary(counts)}")
    return 0
