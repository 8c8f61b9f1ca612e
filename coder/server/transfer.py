"""Copying a whole project from one store to another (a file to a server and back).

Everything is copied through the :class:`~coder.store.base.Store` protocol: schemes,
settings, observations with their media and frame times, coders, and every pass with its
events, ratings, episodes, status and master mark. Records get the target's ids (a scheme's
id in the settings is mapped); times of creation are the copy's. The target is written in
one transaction: a copy that fails leaves nothing behind.
"""

from __future__ import annotations

from coder.model import CodingStatus
from coder.store.base import Store
from coder.store.postgres.items import meta_items

#: Metadata that belongs to the store itself, never copied.
OWN_KEYS = frozenset({"application", "schema_version", "created_at", "created_by", "migrated_from"})


def copy_project(source: Store, target: Store) -> dict[str, int]:
    """Copy everything of ``source`` into the empty ``target``; returns counts by kind."""
    counts = {"observations": 0, "passes": 0, "events": 0, "ratings": 0, "episodes": 0}
    with target.transaction():
        schemes = {sid: target.add_scheme(source.scheme(sid)) for sid in source.scheme_ids()}
        for key, value in meta_items(source).items():
            if key in OWN_KEYS:
                continue
            if key == "current_scheme" and value.isdigit() and int(value) in schemes:
                value = str(schemes[int(value)])
            target.set_meta(key, value)
        observations: dict[int, int] = {}
        for obs in source.observations():
            timebases = [source.timebase(m.id) if m.id is not None else None for m in obs.media]
            made = target.add_observation(
                obs.name, obs.media, timebases, obs.participant, obs.visit, obs.date, obs.notes
            )
            observations[obs.id] = made.id
            counts["observations"] += 1
        coders = {c.id: target.ensure_coder(c.initials, c.name).id or 0 for c in source.coders()}
        events = source.events_by_pass()
        ratings = source.ratings_by_pass()
        episodes = source.episodes_by_pass()
        for info in source.codings():
            made_pass = target.create_coding(
                observations[info.observation_id],
                coders[info.coder.id],
                schemes[info.scheme_id],
            )
            new = made_pass.id
            mine = [e.with_id(None) for e in events.get(info.id, [])]
            if mine:
                target.insert_events(new, mine)
            for rating in ratings.get(info.id, []):
                target.put_rating(new, rating)
            for episode in episodes.get(info.id, []):
                target.put_episode(new, episode)
            if info.status is not CodingStatus.IN_PROGRESS:
                target.set_status(new, info.status)
            if info.is_master:
                target.set_master(new, True)
            counts["passes"] += 1
            counts["events"] += len(mine)
            counts["ratings"] += len(ratings.get(info.id, []))
            counts["episodes"] += len(episodes.get(info.id, []))
    return counts
