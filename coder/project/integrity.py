"""Integrity checks of a project: what the file and the coded data should never contain.

:func:`check` returns one readable line per problem (an empty list for a sound project). It
looks at the storage itself (SQLite's integrity check, foreign keys, rows that point nowhere)
and at every coding pass: events and episodes outside the video, ends before starts, open
states or running episodes in a pass marked done, overlapping states (within a code or an
exclusive group) and episodes; and, against the pass's scheme, codes, kinds and modifiers it
does not have, and ratings off their scale or of segments the scale is not rated on. Each line
names the observation, the coder and the record.

:func:`scheme_problems` is the part that depends on the scheme: a pass fits a scheme when it
finds nothing (see :meth:`coder.project.project.Project.start_coding`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from coder.coding.computed import computed_rating
from coder.coding.segments import rating_segments
from coder.model import (
    CodingInfo,
    CodingStatus,
    Episode,
    Event,
    Media,
    Observation,
    Rating,
    Stamp,
)
from coder.scheme import Scheme
from coder.store.base import Store, StoreError
from coder.timefmt import format_short


def check(store: Store) -> list[str]:
    """Every problem found in the project held by ``store``."""
    problems = list(store.storage_problems())

    def unplaced(exc: StoreError) -> str:  # the file is named once, in the summary
        return str(exc).removeprefix(f"{store.location}: ")

    try:
        observations = {o.id: o for o in store.observations()}
        codings = store.codings()
    except StoreError as exc:
        return [*problems, unplaced(exc)]
    for observation in observations.values():
        for medium in observation.media:
            try:
                store.timebase(medium.id or 0)
            except StoreError as exc:
                problems.append(f"observation {observation.name!r}: {unplaced(exc)}")
    for info in codings:
        obs = observations.get(info.observation_id)
        if obs is None:
            continue  # reported by the storage check (a coding that points nowhere)
        where = f"observation {obs.name!r}, coder {info.coder.initials}"
        try:
            events = store.load_events(info.id)
            episodes = store.load_episodes(info.id)
            ratings = store.load_ratings(info.id)
        except StoreError as exc:
            problems.append(f"{where}: {unplaced(exc)}")
            continue
        found = pass_problems(events, episodes, obs, info)
        try:
            scheme = store.scheme(info.scheme_id)
        except StoreError as exc:
            found.append(unplaced(exc))
        else:
            duration = obs.media[0].duration_us if obs.media else None
            found.extend(scheme_problems(scheme, events, ratings, episodes, duration))
        problems.extend(f"{where}: {p}" for p in found)
    return problems


def describe(event: Event) -> str:
    """``event 12 (cry at frame 250, 0:10.000)``: how problem lines name an event."""
    return (
        f"event {event.id} ({event.behaviour} at frame {event.onset.frame}, "
        f"{format_short(event.onset.us)})"
    )


def describe_episode(episode: Episode) -> str:
    """``episode play (frames 10–40)``, or ``(from frame 10)`` while it runs."""
    if episode.end is None:
        return f"episode {episode.code} (from frame {episode.start.frame})"
    return f"episode {episode.code} (frames {episode.start.frame}–{episode.end.frame})"


# ---------------------------------------------------------------- whatever the scheme
def pass_problems(
    events: list[Event], episodes: list[Episode], obs: Observation, info: CodingInfo
) -> list[str]:
    """Problems of one pass's events and episodes that need no scheme to see."""
    problems: list[str] = []
    first = obs.media[0] if obs.media else None
    done = info.status is CodingStatus.DONE
    for event in events:
        found = _outside(event.onset.frame, event.onset.us, event.offset, first, "onset")
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
        problems.extend(f"{describe(event)}: {p}" for p in found)
    for episode in episodes:
        found = _outside(episode.start.frame, episode.start.us, episode.end, first, "start")
        if episode.end is not None and episode.end.frame <= episode.start.frame:
            found.append("it does not end after it starts")
        problems.extend(f"{describe_episode(episode)}: {p}" for p in found)
        if done and episode.is_open:
            problems.append(f"{describe_episode(episode)} is still running in a pass marked done")
    problems.extend(_episode_overlaps(episodes))
    return problems


def _outside(frame: int, us: int, end: Stamp | None, media: Media | None, name: str) -> list[str]:
    """Whether a span from (``frame``, ``us``) to ``end`` (a Stamp or None) leaves the video."""
    if media is None:
        return []
    frames, duration = media.frame_count, media.duration_us
    video = f"the video has {frames} frames, {format_short(duration)}"
    found = []
    if not (0 <= frame < frames and 0 <= us < duration):
        found.append(f"the {name} lies outside the video ({video})")
    if end is not None and not (0 <= end.frame <= frames and 0 <= end.us <= duration):
        if name == "onset":
            found.append(
                f"the offset (frame {end.frame}, {format_short(end.us)}) lies outside the video "
                f"({video})"
            )
        else:
            found.append(f"it ends outside the video ({video})")
    return found


def _episode_overlaps(episodes: list[Episode]) -> list[str]:
    """Episodes that overlap, with a running one counted at its start (as the session does)."""
    problems = []
    running = [e for e in episodes if e.is_open]
    for later in running[1:]:
        problems.append(f"{describe_episode(later)} runs together with {running[0].code}")
    spans = sorted(episodes, key=lambda e: e.start.frame)
    latest: Episode | None = None
    latest_end = -math.inf
    for episode in spans:
        if latest is not None and episode.start.frame < latest_end:
            problems.append(f"{describe_episode(episode)} overlaps {describe_episode(latest)}")
        end = episode.end.frame if episode.end else episode.start.frame + 1
        if end > latest_end:
            latest, latest_end = episode, end
    return problems


# ---------------------------------------------------------------- against the scheme
def scheme_problems(
    scheme: Scheme,
    events: Iterable[Event],
    ratings: Iterable[Rating],
    episodes: Iterable[Episode],
    duration_us: int | None,
) -> list[str]:
    """What of a pass's data ``scheme`` cannot hold: behaviours, kinds and modifiers it lacks,
    states it would have overlap, ratings off its scales or of segments a scale is not rated
    on (checked when ``duration_us`` is known), and episodes it does not define."""
    events = list(events)
    problems: list[str] = []
    for event in events:
        found = []
        if not scheme.has_behaviour(event.behaviour):
            found.append(
                f"{event.behaviour!r} is not a behaviour of the pass's scheme "
                f"{scheme.name!r} (version {scheme.version})"
            )
        else:
            behaviour = scheme.behaviour(event.behaviour)
            if behaviour.is_state != event.is_state:
                kind = "state" if event.is_state else "point"
                found.append(f"stored as a {kind}, but the scheme says otherwise")
            for modifier in event.modifiers:
                if modifier not in behaviour.modifiers:
                    allowed = ", ".join(behaviour.modifiers) or "none"
                    found.append(f"{modifier!r} is not a modifier of {event.behaviour} ({allowed})")
        problems.extend(f"{describe(event)}: {p}" for p in found)
    problems.extend(_state_overlaps(events, scheme))
    problems.extend(_rating_problems(ratings, scheme, duration_us))
    defined = {e.code for e in scheme.segments.episodes}
    for episode in episodes:
        if episode.code not in defined:
            problems.append(
                f"{describe_episode(episode)}: {episode.code!r} is not an episode of the scheme"
            )
    return problems


def _lane(event: Event, scheme: Scheme) -> str | None:
    """The states ``event`` may not overlap: its exclusive group, or its own code."""
    if not event.is_state or not scheme.has_behaviour(event.behaviour):
        return None
    group = scheme.behaviour(event.behaviour).group
    if group is not None and scheme.group(group).exclusive:
        return f"exclusive group {group}"
    return f"code {event.behaviour}"


def _state_overlaps(events: list[Event], scheme: Scheme) -> list[str]:
    """States on at once within a lane. As in the session, an open state is checked at its
    onset only (its end is not known yet), and two states of a lane are never open together."""
    lanes: dict[str, list[Event]] = {}
    for event in events:
        lane = _lane(event, scheme)
        if lane is not None:
            lanes.setdefault(lane, []).append(event)
    problems = []
    for lane, members in lanes.items():
        kind = f"in {lane}" if lane.startswith("exclusive") else "of the same code"
        members.sort(key=lambda e: (e.onset.frame, e.id or 0))
        open_states = [e for e in members if e.is_open]
        for later in open_states[1:]:
            problems.append(
                f"{describe(later)}: is open together with {describe(open_states[0])} ({kind})"
            )
        latest: Event | None = None
        latest_end = -math.inf
        for event in members:
            if latest is not None and event.onset.frame < latest_end:
                problems.append(
                    f"{describe(event)}: overlaps {describe(latest)} ({kind}; both on at frame "
                    f"{event.onset.frame})"
                )
            end = event.onset.frame + 1 if event.offset is None else event.offset.frame
            if end > latest_end:
                latest, latest_end = event, end
    return problems


def _rating_problems(
    ratings: Iterable[Rating], scheme: Scheme, duration_us: int | None
) -> list[str]:
    """Ratings of scales the scheme lacks, off their scale, or of segments not rated, and
    computed scales that do not add up."""
    ratings = list(ratings)
    problems = []
    rated_on: dict[str, set[str]] = {}
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
        if duration_us is not None:
            if scale.code not in rated_on:
                segments = rating_segments(scheme, scale, duration_us, {})
                rated_on[scale.code] = {s.code for s in segments}
            if rating.segment not in rated_on[scale.code]:
                problems.append(f"{where}: {scale.code} is not rated on {rating.segment}")
    problems.extend(_computed_problems(ratings, scheme))
    return problems


def _computed_problems(ratings: Iterable[Rating], scheme: Scheme) -> list[str]:
    """Computed scales whose stored value is not what their components give."""
    by_key = {(r.scale, r.segment): r for r in ratings}
    problems = []
    for (code, segment), stored in by_key.items():
        if not scheme.has_scale(code) or not scheme.scale(code).is_computed:
            continue
        scale = scheme.scale(code)
        expected = computed_rating(scale, segment, by_key)
        where = f"rating {code} of segment {segment}"
        if expected is None:
            missing = [c for c in scale.of if (c, segment) not in by_key]
            problems.append(f"{where}: computed from {', '.join(missing)}, which are not rated")
        elif abs(expected.value - stored.value) > 1e-9:
            problems.append(
                f"{where}: {stored.value:g} is stored, but its components give {expected.value:g}"
            )
    return problems
