"""The ``attune`` command: headless subcommands from the core, the app for everything else."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def open_app(project: Path | None) -> int:
    """Start the window on ``project`` (or on the bundled demo)."""
    from ui.app import run_app

    return run_app(project)


def main(argv: Sequence[str] | None = None) -> int:
    from coder.cli import main as cli_main

    return cli_main(list(sys.argv[1:] if argv is None else argv), open_app=open_app)
