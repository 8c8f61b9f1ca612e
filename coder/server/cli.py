"""``attune server init URL --scheme SCHEME`` and ``attune server add-coder URL INITIALS``."""

from __future__ import annotations

import argparse
import getpass
import os

from coder.server import setup


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="make a project on a server (and its database)")
    init.add_argument("url", metavar="URL", help="postgresql://user@host/database")
    init.add_argument("--scheme", required=True, help="a scheme file or a bundled scheme name")
    coder = sub.add_parser("add-coder", help="give a coder a login role of their own")
    coder.add_argument("url", metavar="URL")
    coder.add_argument("initials", metavar="INITIALS")
    coder.add_argument("--name", default="", help="the coder's full name")
    coder.add_argument("--role", help="the login role (default: the initials in lower case)")
    coder.add_argument(
        "--password",
        action="store_true",
        help="set the role's password: asked for (or read from ATTUNE_NEW_PASSWORD), sent to "
        "the server only as a SCRAM verifier, never stored",
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "init":
        group = setup.init_server(args.url, args.scheme)
        print(f"made a project at {_shown(args.url)}; coders' group role: {group}")
        print(f"next: attune server add-coder {_shown(args.url)} INITIALS --password")
        return 0
    password = None
    if args.password:
        password = os.environ.get("ATTUNE_NEW_PASSWORD") or getpass.getpass(
            f"password for {args.initials}: "
        )
    coder, role = setup.add_coder(args.url, args.initials, args.name, args.role, password)
    print(f"coder {coder.initials} logs in as role {role} (blind coding is enforced by the server)")
    return 0


def _shown(url: str) -> str:
    from coder.store.postgres.address import display

    return display(url)
