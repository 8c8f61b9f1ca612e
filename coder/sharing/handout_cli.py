"""``attune handout PROJECT --coder KL --observations A B --out KL.attune``."""

from __future__ import annotations

import argparse

from coder.sharing.package import handout


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT", help="the project (file or server URL)")
    parser.add_argument("--coder", required=True, metavar="INITIALS")
    parser.add_argument(
        "--observations", required=True, nargs="+", metavar="OBS", help="ids or names"
    )
    parser.add_argument("--out", required=True, metavar="PACKAGE", help="the new package file")


def run(args: argparse.Namespace) -> int:
    record = handout(args.project, args.coder, args.observations, args.out)
    count = len(record["observations"])
    print(
        f"wrote {args.out} for {args.coder}: {count} observation{'s' * (count != 1)}, "
        f"{len(record['passes'])} pass(es) of theirs; media are referenced, not copied"
    )
    return 0
