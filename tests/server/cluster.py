"""A throw-away PostgreSQL cluster for the tests: initdb, start, stop (standard library only).

    python3 tests/server/cluster.py start DIR   prints KEY=VALUE lines to export
    python3 tests/server/cluster.py stop DIR

The cluster listens on 127.0.0.1 at a free port and on a Unix socket inside ``DIR``; its
superuser ``attune_admin`` logs in with a password (SCRAM) that sits only in ``DIR/pgpass``,
which ``PGPASSFILE`` points at: the libpq conventions, with no password in any URL. As root
the server runs as the unprivileged ``postgres`` user (``nobody`` when there is none), since
PostgreSQL refuses to run as root. ``fsync`` stays on: a commit is as durable as on a lab's
server.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ADMIN = "attune_admin"


def pg_bin(name: str) -> str | None:
    """The newest installed PostgreSQL's program ``name`` (``initdb``, ``pg_ctl``), or None."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1]
    return shutil.which(name)


def available() -> bool:
    return pg_bin("initdb") is not None and pg_bin("pg_ctl") is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One cluster in ``folder`` (made by :meth:`init`, run by :meth:`start`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).absolute()
        self.data = self.folder / "data"
        self.pgpass = self.folder / "pgpass"
        self.port_file = self.folder / "port"

    # ------------------------------------------------------------ running as someone else
    def _user(self) -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam("postgres")
        except KeyError:
            return pwd.getpwnam("nobody")

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        user = self._user()
        extra = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid}
        return subprocess.run(
            list(cmd),
            check=check,
            capture_output=True,
            text=True,
            cwd=self.folder,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"},
            extra_groups=[] if user is not None else None,
            **extra,  # type: ignore[arg-type]
        )

    @property
    def port(self) -> int:
        return int(self.port_file.read_text())

    @property
    def url(self) -> str:
        """The admin's URL (no password: it is in :attr:`pgpass`)."""
        return f"postgresql://{ADMIN}@127.0.0.1:{self.port}/postgres"

    def env(self) -> dict[str, str]:
        return {"ATTUNE_TEST_POSTGRES": self.url, "PGPASSFILE": str(self.pgpass)}

    # ------------------------------------------------------------ life cycle
    def init(self) -> None:
        initdb = pg_bin("initdb")
        if initdb is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb)")
        self.folder.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(18)
        pwfile = self.folder / "pw"
        pwfile.write_text(password + "\n")
        user = self._user()
        if user is not None:
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            os.chown(pwfile, user.pw_uid, user.pw_gid)
        pwfile.chmod(0o600)
        try:
            self._run(
                initdb, "-D", str(self.data), "-U", ADMIN, f"--pwfile={pwfile}",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"initdb failed: {exc.stderr.strip()}") from exc
        finally:
            pwfile.unlink(missing_ok=True)
        port = free_port()
        self.port_file.write_text(str(port))
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\nmax_connections = 100\n"
                "shared_buffers = 64MB\nlog_min_messages = warning\n"
            )
        self.pgpass.write_text(
            f"127.0.0.1:{port}:*:{ADMIN}:{password}\n{self.folder}:{port}:*:{ADMIN}:{password}\n"
        )
        self.pgpass.chmod(0o600)

    def start(self, timeout: float = 30.0) -> None:
        pg_ctl = pg_bin("pg_ctl")
        assert pg_ctl is not None
        result = self._run(
            pg_ctl, "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
            "-t", str(int(timeout)), "start", check=False,
        )  # fmt: skip
        if result.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the test server did not start: {result.stderr.strip()} {log}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("the test server does not listen")

    def stop(self, mode: str = "fast") -> None:
        pg_ctl = pg_bin("pg_ctl")
        if pg_ctl is None or not (self.data / "postmaster.pid").exists():
            return
        self._run(pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    cluster = Cluster(Path(argv[1]))
    if argv[0] == "stop":
        cluster.remove()
        return 0
    if not available():
        print(
            "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin)", file=sys.stderr
        )
        return 1
    cluster.init()
    cluster.start()
    for key, value in cluster.env().items():
        print(f"{key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
