"""The records of coding passes on a lab server: events, ratings and episodes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from coder.model import Episode, Event, Rating
from coder.store.base import StoreError
from coder.store.postgres.connection import PgConnection
from coder.store.rows import (
    EPISODE_COLUMNS,
    RATING_COLUMNS,
    episode_from_row,
    event_from_row,
    event_values,
    rating_from_row,
)

R = TypeVar("R")

#: The file's event columns, with the JSON modifiers read back as text.
EVENT_COLUMNS = (
    "id, behaviour, subject, is_state, onset_us, onset_frame, offset_us, offset_frame, "
    "modifiers::text, comment"
)
_EVENT_FIELDS = (
    "coding, behaviour, subject, is_state, onset_us, onset_frame, offset_us, offset_frame, "
    "modifiers, comment"
)


class PassTables(PgConnection):
    """Reads and writes of one pass's records (and of all passes' records at once)."""

    # ------------------------------------------------------------ events
    def insert_event(self, coding_id: int, event: Event) -> int:
        values = (coding_id, *event_values(event))
        if event.id is None:
            cur = self._pass_write(
                coding_id,
                f"INSERT INTO event ({_EVENT_FIELDS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
                "RETURNING id",
                values,
            )
            row = cur.fetchone()
            if row is None:
                raise StoreError(f"{self._where}: the server gave the new event no id")
            return int(row[0])
        self._pass_write(
            coding_id,
            f"INSERT INTO event (id, {_EVENT_FIELDS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (event.id, *values),
        )
        return event.id

    def insert_events(self, coding_id: int, events: Sequence[Event]) -> list[int]:
        """Store many new events in one statement; returns their ids in order.

        New ids are drawn from the table's sequence (never reused, ascending), inside the
        write transaction.
        """
        with self.transaction():
            self._touch(coding_id)
            if len(events) == 1 and events[0].id is None:  # one round trip, not two
                cur = self._write(
                    f"INSERT INTO event ({_EVENT_FIELDS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
                    "RETURNING id",
                    (coding_id, *event_values(events[0])),
                )
                return [int(row[0]) for row in cur.fetchall()]
            wanted = sum(e.id is None for e in events)
            fresh = iter(
                sorted(
                    int(r[0])
                    for r in self._rows(
                        "SELECT nextval(pg_get_serial_sequence('attune.event', 'id')) "
                        "FROM generate_series(1, %s)",
                        (wanted,),
                    )
                )
                if wanted
                else []
            )
            ids = [next(fresh) if e.id is None else e.id for e in events]
            self._write_many(
                f"INSERT INTO event (id, {_EVENT_FIELDS}) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [(i, coding_id, *event_values(e)) for i, e in zip(ids, events, strict=True)],
            )
            return ids

    def update_event(self, coding_id: int, event: Event) -> None:
        if event.id is None:
            raise ValueError("an event without an id cannot be updated")
        cur = self._pass_write(
            coding_id,
            "UPDATE event SET behaviour = %s, subject = %s, is_state = %s, onset_us = %s, "
            "onset_frame = %s, offset_us = %s, offset_frame = %s, modifiers = %s, comment = %s "
            "WHERE id = %s AND coding = %s",
            (*event_values(event), event.id, coding_id),
        )
        if cur.rowcount != 1:
            raise StoreError(f"{self._where}: coding {coding_id} has no event {event.id}")

    def delete_event(self, coding_id: int, event_id: int) -> None:
        cur = self._pass_write(
            coding_id, "DELETE FROM event WHERE id = %s AND coding = %s", (event_id, coding_id)
        )
        if cur.rowcount != 1:
            raise StoreError(f"{self._where}: coding {coding_id} has no event {event_id}")

    def load_events(self, coding_id: int) -> list[Event]:
        rows = self._rows(
            f"SELECT {EVENT_COLUMNS} FROM event WHERE coding = %s ORDER BY onset_us, id",
            (coding_id,),
        )
        return self._decode(rows, event_from_row, f"event {{}} of coding pass {coding_id}")

    def events_by_pass(self, coding_ids: Collection[int] | None = None) -> dict[int, list[Event]]:
        """The events of many passes in one query (every pass's when ``coding_ids`` is None)."""
        return self._by_pass(
            f"SELECT coding, {EVENT_COLUMNS} FROM event",
            "ORDER BY coding, onset_us, id",
            coding_ids,
            event_from_row,
            "event {} of coding pass %d",
        )

    def ratings_by_pass(self, coding_ids: Collection[int] | None = None) -> dict[int, list[Rating]]:
        return self._by_pass(
            f"SELECT coding, id, {RATING_COLUMNS} FROM rating",
            "ORDER BY coding, id",
            coding_ids,
            lambda row: rating_from_row(row[1:]),
            "rating {} of coding pass %d",
        )

    def episodes_by_pass(
        self, coding_ids: Collection[int] | None = None
    ) -> dict[int, list[Episode]]:
        return self._by_pass(
            f"SELECT coding, {EPISODE_COLUMNS} FROM episode",
            "ORDER BY coding, start_us, id",
            coding_ids,
            episode_from_row,
            "episode {} of coding pass %d",
        )

    def _by_pass(
        self,
        select: str,
        order: str,
        coding_ids: Collection[int] | None,
        decode: Callable[[Any], R],
        name: str,
    ) -> dict[int, list[R]]:
        if coding_ids is None:
            rows = self._rows(f"{select} {order}")
        else:
            wanted = sorted({int(c) for c in coding_ids})
            if not wanted:
                return {}
            rows = self._rows(f"{select} WHERE coding = ANY(%s) {order}", (wanted,))
        grouped: dict[int, list[Any]] = {}
        for row in rows:
            grouped.setdefault(row[0], []).append(row[1:])
        return {
            coding: self._decode(group, decode, name % coding) for coding, group in grouped.items()
        }

    def event_counts(self) -> dict[int, int]:
        return {
            r[0]: r[1] for r in self._rows("SELECT coding, COUNT(*) FROM event GROUP BY coding")
        }

    # ------------------------------------------------------------ ratings and episodes
    def put_rating(self, coding_id: int, rating: Rating) -> None:
        self._pass_write(
            coding_id,
            "INSERT INTO rating (coding, scale, segment, value, comment) VALUES (%s,%s,%s,%s,%s) "
            "ON CONFLICT (coding, scale, segment) DO UPDATE SET value = excluded.value, "
            "comment = excluded.comment",
            (coding_id, rating.scale, rating.segment, float(rating.value), rating.comment),
        )

    def delete_rating(self, coding_id: int, scale: str, segment: str) -> None:
        self._pass_write(
            coding_id,
            "DELETE FROM rating WHERE coding = %s AND scale = %s AND segment = %s",
            (coding_id, scale, segment),
        )

    def load_ratings(self, coding_id: int) -> list[Rating]:
        rows = self._rows(
            f"SELECT {RATING_COLUMNS} FROM rating WHERE coding = %s ORDER BY id", (coding_id,)
        )
        return self._decode(rows, rating_from_row, f"rating {{}} of coding pass {coding_id}")

    def rating_counts(self) -> dict[int, int]:
        rows = self._rows("SELECT coding, COUNT(*) FROM rating GROUP BY coding")
        return {r[0]: r[1] for r in rows}

    def put_episode(self, coding_id: int, episode: Episode) -> None:
        end = episode.end
        start = (episode.start.us, episode.start.frame)
        self._pass_write(
            coding_id,
            f"INSERT INTO episode (coding, {EPISODE_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s) "
            "ON CONFLICT (coding, code) DO UPDATE SET start_us = excluded.start_us, "
            "start_frame = excluded.start_frame, end_us = excluded.end_us, "
            "end_frame = excluded.end_frame",
            (coding_id, episode.code, *start, *((end.us, end.frame) if end else (None, None))),
        )

    def delete_episode(self, coding_id: int, code: str) -> None:
        self._pass_write(
            coding_id, "DELETE FROM episode WHERE coding = %s AND code = %s", (coding_id, code)
        )

    def load_episodes(self, coding_id: int) -> list[Episode]:
        rows = self._rows(
            f"SELECT {EPISODE_COLUMNS} FROM episode WHERE coding = %s ORDER BY start_us, id",
            (coding_id,),
        )
        return self._decode(rows, episode_from_row, f"episode {{}} of coding pass {coding_id}")
