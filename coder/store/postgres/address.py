"""A lab server's address: what Attune shows of it, and how it connects.

Credentials follow libpq's conventions and stay with libpq: ``PGPASSWORD``, the password file
(``~/.pgpass`` or ``PGPASSFILE``), a service file entry (``postgresql:///?service=lab``),
client certificates. Attune never stores a password and never shows one: :func:`display`
is the address with any password taken out, and it is what every message names. ``sslmode``
and every other libpq parameter in the URL are passed on as given.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from coder import __version__
from coder.store.base import StoreError

#: Connection defaults for an interactive coder, unless the URL sets them: told at once when
#: the server cannot be reached (seconds), and not left waiting on a dead link (ms).
DEFAULTS: dict[str, Any] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 2,
    "tcp_user_timeout": 10_000,
    "application_name": f"Attune {__version__}",
}


def parse(url: str) -> dict[str, Any]:
    """The URL's libpq parameters; a malformed URL raises StoreError (without the password)."""
    try:
        return dict(conninfo_to_dict(url))
    except Exception as exc:  # psycopg.ProgrammingError; the message may quote the URL
        raise StoreError(f"{display(url)}: not a usable server address") from exc


def display(url: str) -> str:
    """``url`` with any password removed: ``postgresql://kl@lab.example:5432/study``."""
    try:
        params = dict(conninfo_to_dict(url))
    except Exception:
        scheme, _, rest = url.partition("://")
        rest = rest.rsplit("@", 1)[-1] if "@" in rest else rest
        return f"{scheme}://{rest.split('?', 1)[0]}"
    user = str(params.get("user") or "")
    host = str(params.get("host") or "")
    port = str(params.get("port") or "")
    query = [f"service={params['service']}"] if "service" in params else []
    if host.startswith("/"):  # a Unix socket's folder
        query.append(f"host={host}")
        host = ""
    netloc = (f"{user}@" if user else "") + host + (f":{port}" if port else "")
    path = str(params.get("dbname") or "")
    tail = f"?{'&'.join(query)}" if query else ""
    return f"postgresql://{netloc}/{path}{tail}"


def conninfo(url: str, **overrides: Any) -> str:
    """What psycopg connects with: the URL's parameters over :data:`DEFAULTS`."""
    given = parse(url)
    merged = {k: v for k, v in DEFAULTS.items() if k not in given}
    merged.update(overrides)
    return make_conninfo(url, **merged)


def database(url: str) -> str:
    """The database the URL names (libpq's default is the user's name)."""
    params = parse(url)
    return str(params.get("dbname") or params.get("user") or "")


def with_database(url: str, name: str) -> str:
    """The same server and user with another database, as a URL (other parameters kept)."""
    params = parse(url)
    params["dbname"] = name
    user = params.pop("user", None)
    password = params.pop("password", None)
    host = params.pop("host", "")
    port = params.pop("port", None)
    params.pop("dbname")
    netloc = ""
    if user:
        netloc = quote(str(user), safe="") + (
            f":{quote(str(password), safe='')}" if password else ""
        )
        netloc += "@"
    if host and not str(host).startswith("/"):
        netloc += str(host)
    else:
        params["host"] = host
        params = {k: v for k, v in params.items() if v}
    netloc += f":{port}" if port else ""
    query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in params.items())
    return f"postgresql://{netloc}/{quote(name, safe='')}" + (f"?{query}" if query else "")
