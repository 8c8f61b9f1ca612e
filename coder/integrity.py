"""Integrity checks of a project: what the file and the coded data should never contain.

:func:`check` returns one readable line per problem (an empty list for a sound project). It
looks at the storage itself (SQLite's integrity check, foreign keys, rows that point nowhere)
and at every coding pass: events outside the video, offsets before onsets, open states in a
pass marked done, overlapping states in an exclusive group, codes the pass's scheme does not
have, and ratings off their scale. Each line names the observation, the coder and the event.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from coder.model import CodingInfo, CodingStatus, Event, Media, Observation, Rating
from coder.scheme import Scheme
from coder.store.base import StoreError
from coder.timefmt import format_short

if TYPE_CHECKING:
    from coder.project import Project


def check(project: Project) -> list[str]:
    """Every problem found in ``project``."""
    store = project.store
    problems = list(store.storage_problems())
    observations = {o.id: o for o in store.observations()}
    for info in store.codings():
        obs = observations.get(info.observation_id)
        if obs is None:
            continue  # reported by the storage check (a coding that points nowhere)
        where = f"observation {obs.name!r}, coder {info.coder.initials}"
        scheme: Scheme | None
        try:
            scheme = store.scheme(info.scheme_id)
        except StoreError as exc:
            problems.append(f"{where}: {exc}")
            scheme = None
        events = store.load_events(info.id)
        problems.extend(f"{where}: {p}" for p in event_problems(events, obs, info, scheme))
        if scheme is not None:
            ratings = store.load_ratings(info.id)
            problems.extend(f"{where}: {p}" for p in rating_problems(ratings, scheme))
    return problems


def describe(event: Event) -> str:
    """``event 12 (cry at frame 250, 0:10.000)``: how problem lines name an event."""
    return (
        f"event {event.id} ({event.behaviour} at frame {event.onset.frame}, "
        f"{format_short(event.onset.us)})"
    )


def event_problems(
    events: list[Event], obs: Observation, info: CodingInfo, scheme: Scheme | None
) -> list[str]:
    """Problems of the events of one pass (without the observation/coder prefix)."""
    problems: list[str] = []
    first = obs.media[0] if obs.media else None
    done = info.status is CodingStatus.DONE
    for event in events:
        found = _outside(event, first) if first is not None else []
        offset = event.offset
        if offset is not None and not event.is_state:
            found.append("a point event has an offset")
        elif offset is not None and (
            offset.frame <= event.onset.frame or offset.us <= event.onset.us
        ):
            found.append(
                f"its offset (frame {offset.frame}, {format_short(offset.us)}) "
                "is not after its onset"
            )
        if done and event.is_open:
            found.append("the state is still open in a pass marked done")
        if scheme is not None:
            if not scheme.has_behaviour(event.behaviour):
                found.append(
                    f"{event.behaviour!r} is not a behaviour of the pass's scheme "
                    f"{scheme.name!r} (version {scheme.version})"
                )
            elif scheme.behaviour(event.behaviour).is_state != event.is_state:
                kind = "state" if event.is_state else "point"
                found.append(f"stored as a {kind}, but the scheme says otherwise")
        if found:
            name = describe(event)
            problems.extend(f"{name}: {p}" for p in found)
    if scheme is not None:
        problems.extend(_overlaps(events, scheme))
    return problems


def _outside(event: Event, media: Media) -> list[str]:
    frames, duration = media.frame_count, media.duration_us
    onset, offset = event.onset, event.offset
    bad_onset = not (0 <= onset.frame < frames and 0 <= onset.us < duration)
    bad_offset = offset is not None and not (
        0 <= offset.frame <= frames and 0 <= offset.us <= duration
    )
    if not (bad_onset or bad_offset):
        return []
    video = f"the video has {frames} frames, {format_short(duration)}"
    found = []
    if bad_onset:
        found.append(f"the onset lies outside the video ({video})")
    if offset is not None and bad_offset:
        found.append(
            f"the offset (frame {offset.frame}, {format_short(offset.us)}) lies outside the video "
            f"({video})"
        )
    return found


def _overlaps(events: list[Event], scheme: Scheme) -> list[str]:
    """States that are on at once: the same behaviour twice, or partners of an exclusive group."""
    lanes: dict[str, list[Event]] = {}
    for event in events:
        if not event.is_state or not scheme.has_behaviour(event.behaviour):
            continue
        group = scheme.behaviour(event.behaviour).group
        exclusive = group is not None and scheme.group(group).exclusive
        lane = f"group {group}" if exclusive else f"behaviour {event.behaviour}"
        lanes.setdefault(lane, []).append(event)
    problems = []
    for lane, members in lanes.items():
        members.sort(key=lambda e: (e.onset.frame, e.id or 0))
        latest: Event | None = None
        latest_end = -math.inf
        for event in members:
            if latest is not None and event.onset.frame < latest_end:
                kind = "in exclusive " + lane if lane.startswith("group") else "of the same code"
                problems.append(
                    f"{describe(event)}: overlaps {describe(latest)} ({kind}; both on at frame "
                    f"{event.onset.frame})"
                )
            end = math.inf if event.offset is None else event.offset.frame
            if end > latest_end:
                latest, latest_end = event, end
    return problems


def rating_problems(ratings: list[Rating], scheme: Scheme) -> list[str]:
    """Ratings of scales the scheme lacks, or with values off their scale."""
    problems = []
    for rating in ratings:
        where = f"rating {rating.scale} of segment {rating.segment}"
        if not scheme.has_scale(rating.scale):
            problems.append(f"{where}: {rating.scale!r} is not a scale of the scheme")
            continue
        scale = scheme.scale(rating.scale)
        if not scale.accepts(rating.value):
            problems.append(
                f"{where}: {rating.value:g} is off the scale ({scale.min:g}–{scale.max:g} "
                f"in steps of {scale.step:g})"
            )
    return problems
