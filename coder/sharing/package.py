"""A coder's hand-out package, for labs without a server: what it holds and how it is made.

A package is an ordinary project file (``KL.attune``) that a coder opens in Attune: the
project's scheme, the observations assigned to them (media referenced where they lie, never
copied) and that coder's own passes over them, none of anyone else's. Its metadata entry
:data:`HANDOUT_KEY` records where each observation came from (with its media fingerprints)
and a digest of each pass as handed out, so that :func:`coder.sharing.merge.merge` can tell
what changed on which side.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coder.model import CodingStatus, Episode, Event, Observation, Rating
from coder.project import Project, ProjectError
from coder.store.base import Store, StoreError
from coder.store.factory import Location, create_store

#: The metadata key of a package's record of its hand-out.
HANDOUT_KEY = "handout"
#: How far above the package's folder a video may sit and still be referenced relatively.
MAX_FOLDERS_UP = 2


def pass_digest(
    events: Iterable[Event],
    ratings: Iterable[Rating],
    episodes: Iterable[Episode],
    status: CodingStatus | str,
) -> str:
    """A digest of a pass's content (ids and times of writing left out)."""
    content = {
        "events": sorted(
            [
                e.behaviour,
                e.subject,
                e.is_state,
                e.onset.frame,
                e.onset.us,
                None if e.offset is None else [e.offset.frame, e.offset.us],
                list(e.modifiers),
                e.comment,
            ]
            for e in events
        ),
        "ratings": sorted([r.scale, r.segment, float(r.value), r.comment] for r in ratings),
        "episodes": sorted(
            [p.code, p.start.frame, p.start.us, None if p.end is None else [p.end.frame, p.end.us]]
            for p in episodes
        ),
        "status": str(CodingStatus(status).value),
    }
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


EMPTY_DIGEST = pass_digest((), (), (), CodingStatus.IN_PROGRESS)


def store_digest(store: Store, coding_id: int) -> str:
    """The digest of the pass ``coding_id`` as ``store`` holds it."""
    return pass_digest(
        store.load_events(coding_id),
        store.load_ratings(coding_id),
        store.load_episodes(coding_id),
        store.coding(coding_id).status,
    )


def choose_observations(project: Project, wanted: Sequence[str]) -> list[Observation]:
    """The observations named by id or by name, in the order given; unknown ones refused."""
    known = project.observations
    chosen: list[Observation] = []
    for item in wanted:
        found = [o for o in known if str(o.id) == item or o.name == item]
        if not found:
            names = ", ".join(f"{o.id} ({o.name})" for o in known) or "none"
            raise ProjectError(f"{project.location}: no observation {item!r} (there are: {names})")
        if found[0] not in chosen:
            chosen.append(found[0])
    if not chosen:
        raise ProjectError(f"{project.location}: name at least one observation to hand out")
    return chosen


def handout(
    location: Location, coder: str, observations: Sequence[str], out: str | Path
) -> dict[str, Any]:
    """Write coder ``coder``'s package for ``observations`` (ids or names) to ``out``.

    The project is only read. Returns the package's hand-out record.
    """
    out = Path(out)
    with Project.open(location, read_only=True) as project:
        store = project.store
        chosen = choose_observations(project, observations)
        who = next((c for c in store.coders() if c.initials == coder), None)
        current = project.scheme_id
        passes = {
            obs.id: store.find_coding(obs.id, who.id or 0) if who is not None else None
            for obs in chosen
        }
        record: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "project": project.location,
            "coder": coder,
            "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "scheme_hash": store.scheme(current).content_hash,
            "observations": [],
            "passes": {},
        }

        def fill(target: Store) -> None:
            schemes = {current: target.add_scheme(store.scheme(current))}
            target.set_meta("current_scheme", str(schemes[current]))
            target.set_meta("blind_coding", "1")
            mine = target.ensure_coder(coder, who.name if who is not None else "")
            for obs in chosen:
                media = [
                    replace(m, path=_relative(project.media_path(m), out.parent.absolute()))
                    for m in obs.media
                ]
                timebases = [store.timebase(m.id) if m.id is not None else None for m in obs.media]
                made = target.add_observation(
                    obs.name, media, timebases, obs.participant, obs.visit, obs.date, obs.notes
                )
                record["observations"].append(
                    {"package": made.id, "source": obs.id,
                     "fingerprints": [m.fingerprint for m in obs.media]}
                )  # fmt: skip
                info = passes[obs.id]
                if info is None:
                    continue
                if info.scheme_id not in schemes:
                    schemes[info.scheme_id] = target.add_scheme(store.scheme(info.scheme_id))
                new = target.create_coding(made.id, mine.id or 0, schemes[info.scheme_id]).id
                events = [e.with_id(None) for e in store.load_events(info.id)]
                if events:
                    target.insert_events(new, events)
                for rating in store.load_ratings(info.id):
                    target.put_rating(new, rating)
                for episode in store.load_episodes(info.id):
                    target.put_episode(new, episode)
                if info.status is not CodingStatus.IN_PROGRESS:
                    target.set_status(new, info.status)
                record["passes"][str(obs.id)] = store_digest(store, info.id)
            target.set_meta(HANDOUT_KEY, json.dumps(record, sort_keys=True))

        try:
            create_store(out, fill).close()
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc
    return record


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to the package's folder when near it, else absolute (``/``)."""
    try:
        relative = Path(os.path.relpath(path, folder))
    except ValueError:  # another drive (Windows)
        return path.as_posix()
    ups = sum(part == ".." for part in relative.parts)
    return relative.as_posix() if ups <= MAX_FOLDERS_UP else path.as_posix()
