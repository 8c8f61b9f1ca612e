"""A project on a PostgreSQL lab server (implements :class:`coder.store.base.Store`).

``postgresql://kl@lab-server/infant_study`` names a database; the project's tables are in
its schema ``attune`` (:mod:`~coder.store.postgres.ddl`). The semantics are the project
file's, write for write; what a server adds is in :mod:`~coder.store.postgres.ddl` (roles,
row-level security, versions of shared records, notifications).

Shared records use optimistic concurrency: the store remembers the version of each setting
and medium it read, and a change made from an older version than the server's is refused
with a :class:`~coder.store.postgres.connection.ConflictError` naming what changed, who
changed it and when. A record this store never read is written as given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg

from coder import __version__
from coder.model import Coder, CodingInfo, CodingStatus, Media, Observation
from coder.scheme import Scheme, SchemeError, scheme_from_dict
from coder.store.base import StoreError
from coder.store.postgres import ddl
from coder.store.postgres.connection import ConflictError, now_text
from coder.store.postgres.passes import PassTables
from coder.store.postgres.watch import SharedWatch
from coder.store.rows import (
    CODING_QUERY,
    MEDIA_COLUMNS,
    coding_from_row,
    media_from_row,
    media_values,
    timebase_blob,
    timebase_from_row,
)
from coder.timebase import TimeBase

_MEDIA_FIELDS = MEDIA_COLUMNS.removeprefix("id, ")


class PostgresStore(PassTables):
    """A project in a database of a lab server."""

    # ------------------------------------------------------------ opening
    @classmethod
    def create(
        cls, url: str, setup: Callable[[PostgresStore], None] | None = None
    ) -> PostgresStore:
        """Make a new project in the (existing) database ``url`` names, refused when one is
        there; the tables and ``setup`` are committed as one transaction."""
        store = cls(url)
        try:
            with store.transaction():
                store._exec("SELECT pg_advisory_xact_lock(hashtext('attune.migrate'))")
                if store._version() is not None:
                    raise StoreError(
                        f"{store.location}: a project already exists there; not overwritten"
                    )
                store._migrate(0)
                store.set_meta("created_at", now_text())
                store.set_meta("created_by", f"Attune {__version__}")
                if setup is not None:
                    setup(store)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, read_only: bool = False) -> PostgresStore:
        """Open the project in ``url``'s database; an older one is migrated forward (in one
        transaction) unless ``migrate`` is false or it is opened ``read_only``."""
        store = cls(url, read_only=read_only)
        try:
            version = store.inspect()
            if version < ddl.SCHEMA_VERSION:
                if read_only or not migrate:
                    raise StoreError(
                        f"{store.location}: the project's format {version} needs upgrading; "
                        "open it once for writing as its owner"
                    )
                with store.transaction():
                    store._exec("SELECT pg_advisory_xact_lock(hashtext('attune.migrate'))")
                    current = store._version() or 0
                    store._migrate(current)
                    store.set_meta("migrated_from", str(current))
        except BaseException:
            store.close()
            raise
        return store

    def inspect(self) -> int:
        """The project's schema version; refuses (StoreError) a database without a project
        or with one from a newer Attune. Reads only."""
        version = self._version()
        if version is None:
            raise StoreError(
                f"{self.location}: no Attune project in this database; make one with "
                "`attune server init URL --scheme SCHEME`"
            )
        if version > ddl.SCHEMA_VERSION:
            raise StoreError(
                f"{self.location}: made by a newer Attune (format {version}; this version "
                f"reads up to {ddl.SCHEMA_VERSION}); update Attune to open it"
            )
        return version

    def _version(self) -> int | None:
        found = self._rows("SELECT to_regclass(%s)", (f"{ddl.SCHEMA}.meta",))
        if found[0][0] is None:
            return None
        rows = self._rows(
            "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')"
        )
        values = dict(rows)
        if values.get("application") != ddl.APPLICATION:
            raise StoreError(f"{self.location}: the schema {ddl.SCHEMA} is not an Attune project")
        return int(values.get("schema_version", "0"))

    def _migrate(self, start: int) -> None:
        for step in ddl.MIGRATIONS[start:]:
            for statement in step:
                self._write(statement)
        self._write(f"SET search_path = {ddl.SCHEMA}")
        for key, value in (
            ("application", ddl.APPLICATION),
            ("schema_version", str(ddl.SCHEMA_VERSION)),
        ):
            self._write(
                "INSERT INTO meta (key, value, changed_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value, now_text()),
            )

    # ------------------------------------------------------------ codings and coders
    def set_status(self, coding_id: int, status: CodingStatus) -> None:
        self._pass_write(
            coding_id,
            "UPDATE coding SET status = %s WHERE id = %s",
            (CodingStatus(status).value, coding_id),
        )

    def coding(self, coding_id: int) -> CodingInfo:
        found = self._codings("WHERE coding.id = %s", (coding_id,))
        if not found:
            raise StoreError(f"{self.location}: there is no coding pass {coding_id}")
        return found[0]

    def codings(self, observation_id: int | None = None) -> list[CodingInfo]:
        if observation_id is None:
            return self._codings("ORDER BY coding.observation, coding.id")
        return self._codings("WHERE coding.observation = %s ORDER BY coding.id", (observation_id,))

    def find_coding(self, observation_id: int, coder_id: int) -> CodingInfo | None:
        where = "WHERE coding.observation = %s AND coding.coder = %s"
        found = self._codings(where, (observation_id, coder_id))
        return found[0] if found else None

    def _codings(self, tail: str, params: Sequence[Any] = ()) -> list[CodingInfo]:
        rows = self._rows(f"{CODING_QUERY} {tail}", params)
        return self._decode(rows, coding_from_row, "coding pass {}")

    def create_coding(self, observation_id: int, coder_id: int, scheme_id: int) -> CodingInfo:
        now = now_text()
        with self.transaction():
            if self.find_coding(observation_id, coder_id) is not None:
                raise StoreError(
                    f"{self.location}: coder {coder_id} already has a pass over observation "
                    f"{observation_id}"
                )
            rows = self._write(
                "INSERT INTO coding (observation, coder, scheme, status, started_at, updated_at) "
                "VALUES (%s,%s,%s,%s,%s,%s) RETURNING id",
                (observation_id, coder_id, scheme_id, CodingStatus.IN_PROGRESS.value, now, now),
            ).fetchall()
            return self.coding(int(rows[0][0]))

    def set_coding_scheme(self, coding_id: int, scheme_id: int) -> None:
        self._pass_write(
            coding_id, "UPDATE coding SET scheme = %s WHERE id = %s", (scheme_id, coding_id)
        )

    def set_master(self, coding_id: int, is_master: bool) -> None:
        with self.transaction():
            info = self.coding(coding_id)
            if is_master:
                self._write(
                    "UPDATE coding SET is_master = 0 WHERE observation = %s AND id <> %s",
                    (info.observation_id, coding_id),
                )
            cur = self._write(
                "UPDATE coding SET is_master = %s WHERE id = %s", (int(is_master), coding_id)
            )
            if cur.rowcount != 1:
                raise StoreError(
                    f"{self.location}: the role {self.role()} may not mark pass {coding_id} "
                    "(a lab lead marks master passes)"
                )

    def ensure_coder(self, initials: str, name: str = "") -> Coder:
        initials = initials.strip()
        if not initials:
            raise ValueError("a coder needs initials")
        with self.transaction():
            rows = self._rows("SELECT id, name FROM coder WHERE initials = %s", (initials,))
            if rows:
                coder_id, stored = rows[0]
                if name and name != stored:
                    self._write("UPDATE coder SET name = %s WHERE id = %s", (name, coder_id))
                    stored = name
                return Coder(initials, stored, coder_id)
            made = self._write(
                "INSERT INTO coder (initials, name) VALUES (%s, %s) RETURNING id", (initials, name)
            ).fetchall()
            return Coder(initials, name, int(made[0][0]))

    def coders(self) -> list[Coder]:
        rows = self._rows("SELECT id, initials, name FROM coder ORDER BY initials")
        return [Coder(r[1], r[2], r[0]) for r in rows]

    def own_coder(self) -> Coder | None:
        """The coder this connection's role codes as (None for a lead or an unmapped role)."""
        rows = self._rows("SELECT id, initials, name FROM coder WHERE role = current_user")
        return Coder(rows[0][1], rows[0][2], rows[0][0]) if rows else None

    def watch_shared(self) -> SharedWatch:
        """A listener for changes other coders make to shared records (LISTEN/NOTIFY)."""
        return SharedWatch(self.url)

    def meta_items(self) -> dict[str, str]:
        """Every metadata key and value (settings included)."""
        return {r[0]: r[1] for r in self._rows("SELECT key, value FROM meta ORDER BY key")}

    # ------------------------------------------------------------ metadata (shared)
    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value, version FROM meta WHERE key = %s", (key,))
        self._seen[("meta", key)] = rows[0][1] if rows else None
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a setting; refused (ConflictError) when it changed since this store read it."""
        mark = ("meta", key)
        with self.transaction():
            now = now_text()
            if mark not in self._seen and mark not in self._pending:
                cur = self._write(
                    "INSERT INTO meta (key, value, changed_at) VALUES (%s, %s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                    "version = meta.version + 1, changed_by = current_user, "
                    "changed_at = excluded.changed_at RETURNING version",
                    (key, value, now),
                )
            else:
                seen = self._pending.get(mark, self._seen.get(mark))
                if seen is None:
                    cur = self._write(
                        "INSERT INTO meta (key, value, changed_at) VALUES (%s, %s, %s) "
                        "ON CONFLICT (key) DO NOTHING RETURNING version",
                        (key, value, now),
                    )
                else:
                    cur = self._write(
                        "UPDATE meta SET value = %s, version = version + 1, "
                        "changed_by = current_user, changed_at = %s "
                        "WHERE key = %s AND version = %s RETURNING version",
                        (value, now, key, seen),
                    )
            rows = cur.fetchall()
            if not rows:
                raise self._conflict("meta", "key", key, f"the setting {key!r}")
            self._pending[mark] = int(rows[0][0])

    def _conflict(self, table: str, column: str, key: object, what: str) -> ConflictError:
        rows = self._rows(f"SELECT changed_by, changed_at FROM {table} WHERE {column} = %s", (key,))
        who, when = rows[0] if rows else ("someone", "")
        self._seen.pop((table, str(key)), None)  # the next read sees the new version
        at = f" at {when}" if when else ""
        return ConflictError(
            f"{self.location}: {what} was changed by {who}{at} since it was read here; "
            "your change was not saved — look at the new value and make it again"
        )

    # ------------------------------------------------------------ schemes
    def add_scheme(self, scheme: Scheme) -> int:
        digest = scheme.content_hash
        with self.transaction():
            rows = self._rows("SELECT id FROM scheme WHERE content_hash = %s", (digest,))
            if rows:
                return int(rows[0][0])
            text = json.dumps(scheme.to_dict(), sort_keys=True, ensure_ascii=False)
            made = self._write(
                "INSERT INTO scheme (name, version, content_hash, json, created_at) "
                "VALUES (%s,%s,%s,%s,%s) RETURNING id",
                (scheme.name, scheme.version, digest, text, now_text()),
            ).fetchall()
            scheme_id = int(made[0][0])
        self._schemes[scheme_id] = scheme
        return scheme_id

    def scheme(self, scheme_id: int) -> Scheme:
        cached = self._schemes.get(scheme_id)
        if cached is not None:
            return cached
        rows = self._rows("SELECT json::text FROM scheme WHERE id = %s", (scheme_id,))
        if not rows:
            raise StoreError(f"{self.location}: there is no stored scheme {scheme_id}")
        try:
            scheme = scheme_from_dict(
                json.loads(rows[0][0]),
                source=f"{self.location} (scheme {scheme_id})",
                reserved_keys=(),
            )
        except (SchemeError, ValueError) as exc:
            raise StoreError(
                f"{self.location}: stored scheme {scheme_id} is unusable: {exc}"
            ) from exc
        self._schemes[scheme_id] = scheme
        return scheme

    def scheme_ids(self) -> list[int]:
        return [r[0] for r in self._rows("SELECT id FROM scheme ORDER BY id")]

    # ------------------------------------------------------------ observations and media
    def add_observation(
        self,
        name: str,
        media: Sequence[Media],
        timebases: Sequence[TimeBase | None],
        participant: str = "",
        visit: str = "",
        date: str = "",
        notes: str = "",
    ) -> Observation:
        if len(timebases) != len(media):
            raise ValueError("one time base (or None) per medium is needed")
        with self.transaction():
            now = now_text()
            made = self._write(
                "INSERT INTO observation (name, participant, visit, date, notes, created_at, "
                "changed_at) VALUES (%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                (name, participant, visit, date, notes, now, now),
            ).fetchall()
            observation_id = int(made[0][0])
            for position, (medium, timebase) in enumerate(zip(media, timebases, strict=True)):
                values = media_values(medium, observation_id, position)[1:]
                self._write(
                    f"INSERT INTO media ({_MEDIA_FIELDS}, timebase, changed_at) "
                    "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                    (*values, timebase_blob(timebase), now),
                )
            return self.observation(observation_id)

    def observations(self) -> list[Observation]:
        rows = self._rows(
            "SELECT id, name, participant, visit, date, notes FROM observation ORDER BY id"
        )
        media: dict[int, list[Media]] = {}
        for r in self._rows(
            f"SELECT {MEDIA_COLUMNS}, version FROM media ORDER BY observation, position"
        ):
            media.setdefault(r[1], []).append(self._medium(r))
        return [_observation(r, media.get(r[0], ())) for r in rows]

    def observation(self, observation_id: int) -> Observation:
        rows = self._rows(
            "SELECT id, name, participant, visit, date, notes FROM observation WHERE id = %s",
            (observation_id,),
        )
        if not rows:
            raise StoreError(f"{self.location}: there is no observation {observation_id}")
        media = self._rows(
            f"SELECT {MEDIA_COLUMNS}, version FROM media WHERE observation = %s ORDER BY position",
            (observation_id,),
        )
        return _observation(rows[0], [self._medium(m) for m in media])

    def _medium(self, row: Any) -> Media:
        self._seen[("media", str(row[0]))] = row[-1]
        return self._decode([row[:-1]], media_from_row, "medium {}")[0]

    def update_media(self, media: Media) -> None:
        """Relink or re-sync a medium; refused (ConflictError) when another coder changed it
        since this store read it."""
        if media.id is None:
            raise ValueError("a medium without an id cannot be updated")
        mark = ("media", str(media.id))
        seen = self._seen.get(mark)
        with self.transaction():
            guard, params = ("", ()) if seen is None else (" AND version = %s", (seen,))
            rows = self._write(
                "UPDATE media SET path = %s, fingerprint = %s, size = %s, offset_us = %s, "
                "version = version + 1, changed_by = current_user, changed_at = %s "
                f"WHERE id = %s{guard} RETURNING version",
                (media.path, media.fingerprint, media.size_bytes, media.offset_us, now_text(),
                 media.id, *params),
            ).fetchall()  # fmt: skip
            if not rows:
                if not self._rows("SELECT 1 FROM media WHERE id = %s", (media.id,)):
                    raise StoreError(f"{self.location}: there is no medium {media.id}")
                raise self._conflict("media", "id", media.id, f"the medium {media.path!r}")
            self._pending[mark] = int(rows[0][0])

    def timebase(self, media_id: int) -> TimeBase | None:
        rows = self._rows("SELECT timebase FROM media WHERE id = %s", (media_id,))
        if not rows:
            raise StoreError(f"{self.location}: there is no medium {media_id}")
        return self._decode(rows, timebase_from_row, f"the frame times of medium {media_id}")[0]

    # ------------------------------------------------------------ checks
    def storage_problems(self) -> Iterator[str]:
        """Observations without media, a current scheme not stored, a server that does not
        make commits durable."""
        problems: list[str] = []
        try:
            for obs_id, name in self._rows(
                "SELECT id, name FROM observation WHERE id NOT IN (SELECT observation FROM media)"
            ):
                problems.append(f"observation {name!r} (id {obs_id}) has no media")
            current = self.get_meta("current_scheme")
            stored = (
                current is not None
                and current.isdigit()
                and bool(self._rows("SELECT 1 FROM scheme WHERE id = %s", (int(current),)))
            )
            if not stored:
                problems.append(f"the project's current scheme ({current}) is not stored")
            if self._rows("SHOW fsync")[0][0] == "off":
                problems.append("the server runs with fsync off: a crash can lose committed work")
        except psycopg.Error as exc:
            problems.append(f"the server cannot be checked: {exc}")
        yield from problems


def _observation(row: Sequence[Any], media: Sequence[Media]) -> Observation:
    return Observation(row[0], row[1], row[2], row[3], row[4], row[5], tuple(media))
