"""The ``attune`` command: headless subcommands from the core, the app for everything else."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def open_app(project: Path | str | None) -> int:
    """Start the window on ``project`` (a file or a lab server's address; None: the demo)."""
    from ui.app import run_app

    return run_app(project)


def opens_a_file(args: Sequence[str]) -> Path | None:
    """The file ``args`` ask the app to open, when they are just that one existing file.

    A project file opened from a file manager has no terminal to print to, so the window opens
    and says in a dialog what is wrong with a damaged file; subcommands, options and names that
    are no file stay with the command line.
    """
    from coder.cli import SUBCOMMANDS

    if len(args) != 1 or args[0] in SUBCOMMANDS or args[0].startswith("-"):
        return None
    path = Path(args[0])
    return path if path.is_file() else None


def main(argv: Sequence[str] | None = None) -> int:
    from coder.cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    project = opens_a_file(args)
    if project is not None:
        return int(open_app(project) or 0)
    return cli_main(args, open_app=open_app)
