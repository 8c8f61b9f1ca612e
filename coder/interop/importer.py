"""Applying an imported file to a project: all checked first, then one batch per pass.

:func:`import_file` reads a BORIS, ELAN or tidy file (:func:`read_file`), maps its codes onto the
project's scheme (an explicit map, or the same codes; anything else is refused with the list of
what does not map) or creates the project with the scheme the file brings, finds the videos
(or stores provisional ones, see :mod:`coder.interop.media_refs`), turns exact times into
stamps and checks every pass with the rules of a batch — all before the first write. Then each
pass is one :meth:`~coder.coding.session.Session.apply_batch`: one transaction, one undo step.
A file imported before (by content) is refused, not doubled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from coder.coding import Batch, BatchError
from coder.coding.batch import plan_batch
from coder.coding.event_index import EventIndex
from coder.interop.errors import InteropError
from coder.interop.media_refs import (
    Provisional,
    locate,
    provisional,
)
from coder.interop.model import Interchange, MediaRef, PassData, TidyOptions
from coder.media.source import MediaInfo
from coder.model import Event, Media, Observation, Rating, Stamp
from coder.project import Project, ProjectError
from coder.project.media_files import portable_path
from coder.project.records import media_timebases
from coder.scheme import Scheme
from coder.timebase import TimeBase

Found = Media | Provisional | MediaInfo

#: Project setting: content hashes of imported files (JSON: digest → file and time).
IMPORTS_SETTING = "interop.imports"
FORMATS = ("boris", "eaf", "csv", "xlsx")
#: How far past the end of the media a stop may lie and count as the end (ELAN's whole
#: milliseconds round the media's end up).
END_SLACK_US = 1000


@dataclass(frozen=True)
class ImportResult:
    project: Path
    created: bool
    passes: int
    events: int
    ratings: int
    provisional: tuple[str, ...]
    notes: tuple[str, ...]


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".boris", ".boris.gz")):
        return "boris"
    if name.endswith(".eaf"):
        return "eaf"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    raise InteropError(str(path), "cannot tell the format from the name; give --format")


def read_file(
    path: str | Path, fmt: str | None = None, tidy: TidyOptions | None = None
) -> Interchange:
    """Read and check ``path`` in format ``fmt`` (from its name when None)."""
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "boris":
        from coder.interop.boris_read import read_boris

        return read_boris(path)
    if fmt == "eaf":
        from coder.interop.eaf_read import read_eaf

        return read_eaf(path)
    if fmt in ("csv", "xlsx"):
        from coder.interop.tidy import read_tidy

        return read_tidy(path, fmt, tidy or TidyOptions())
    raise InteropError(str(path), f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


@dataclass
class _Planned:
    data: PassData
    coder: str
    observation: Observation | None
    media: list[Found]
    found: list[Path | None]
    batch: Batch


def import_file(
    path: str | Path,
    into: str | Path,
    *,
    coder: str | None = None,
    mapping: Mapping[str, str] | None = None,
    fmt: str | None = None,
    tidy: TidyOptions | None = None,
    probe: Callable[[Path], MediaInfo] | None = None,
) -> ImportResult:
    """Import ``path`` into the project ``into`` (created when absent); see the module text.

    ``coder`` records every pass under these initials (needed when the file names none);
    ``mapping`` maps the file's codes to the project's. Raises :class:`InteropError` with
    every problem, and then nothing is written.
    """
    path, into = Path(path), Path(into)
    data = read_file(path, fmt, tidy)
    source = str(path)
    creating = not into.exists()
    if creating and mapping:
        raise InteropError(
            source, f"{into} does not exist yet: a map is only for a project's scheme"
        )
    project = None if creating else _open(into)
    try:
        if project is not None:
            _refuse_twice(project, data)
            scheme = project.scheme
            data = _map_codes(data, scheme, mapping or {})
        else:
            if data.scheme is None:
                raise InteropError(source, "the file brings no scheme; import it into a project")
            scheme = data.scheme
        plans = _plan(project, scheme, data, coder, probe)
        if project is None:
            project = _create(into, scheme)
        return _write(project, scheme, data, plans, creating)
    finally:
        if project is not None:
            project.close()


def _open(into: Path) -> Project:
    try:
        return Project.open(into)
    except ProjectError as exc:
        raise InteropError(str(into), str(exc)) from None


def _create(into: Path, scheme: Scheme) -> Project:
    try:
        return Project.create(into, scheme)
    except ProjectError as exc:
        raise InteropError(str(into), str(exc)) from None


def _imports(project: Project) -> dict[str, dict[str, str]]:
    text = project.setting(IMPORTS_SETTING)
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _refuse_twice(project: Project, data: Interchange) -> None:
    before = _imports(project).get(data.digest)
    if before is not None:
        raise InteropError(
            str(data.source),
            f"this file was already imported into {project.path} on {before.get('at', '?')} "
            f"(from {before.get('file', '?')}); not imported twice",
        )


# ------------------------------------------------------------------ codes
def _map_codes(data: Interchange, scheme: Scheme, mapping: Mapping[str, str]) -> Interchange:
    """The file's events under the project's codes; a refusal lists every code that does not map."""
    unmapped: dict[str, str] = {}
    wrong: list[str] = []
    for wanted in sorted(set(mapping.values())):
        if not scheme.has_behaviour(wanted) and not scheme.has_scale(wanted):
            wrong.append(f"the map names {wanted!r}, which is not a code of {scheme.name!r}")

    def target_of(code: str, source_code: str) -> str | None:
        for key in (source_code, code):
            if key in mapping:
                return mapping[key]
        return code if scheme.has_behaviour(code) else None

    passes = []
    for item in data.passes:
        events = []
        for event in item.events:
            target = target_of(event.code, event.source_code or event.code)
            if target is None:
                unmapped.setdefault(event.source_code or event.code, event.place)
                continue
            events.append(replace(event, code=target))
        ratings = []
        for rating in item.ratings:
            scale = mapping.get(rating.scale, rating.scale)
            if not scheme.has_scale(scale):
                unmapped.setdefault(rating.scale, rating.place)
                continue
            ratings.append(replace(rating, scale=scale))
        passes.append(replace(item, events=tuple(events), ratings=tuple(ratings)))
    if unmapped or wrong:
        listed = ", ".join(f"{code!r} (first at {place})" for code, place in unmapped.items())
        problems = [*wrong]
        if unmapped:
            problems.append(
                f"these codes do not map onto the project's scheme {scheme.name!r}: {listed}; "
                "give a map file (--map: their code → our code)"
            )
        raise InteropError(str(data.source), problems)
    return replace(data, passes=tuple(passes))


# ------------------------------------------------------------------ planning (no writes)
def _plan(
    project: Project | None,
    scheme: Scheme,
    data: Interchange,
    coder: str | None,
    probe: Callable[[Path], MediaInfo] | None,
) -> list[_Planned]:
    problems: list[str] = []
    plans: list[_Planned] = []
    existing = {o.name: o for o in project.observations} if project is not None else {}
    seen: dict[tuple[str, str], str] = {}
    for item in data.passes:
        who = (coder or item.coder).strip()
        if not who:
            problems.append(f"{item.place}: the file does not say who coded it; give --coder ID")
            continue
        key = (item.observation, who)
        if key in seen:
            problems.append(f"{item.place}: a second pass of {who} over {item.observation!r}")
            continue
        seen[key] = item.place
        observation = existing.get(item.observation)
        if observation is not None and project is not None:
            timebase = media_timebases(project.store, observation)[0]
            found: list[Path | None] = []
            media: list[Found] = list(observation.media)
            done = [c for c in project.codings(observation) if c.coder.initials == who]
            counts = project.event_counts()
            if done and counts.get(done[0].id, 0):
                problems.append(
                    f"{item.place}: {who} has already coded {item.observation!r} in the "
                    f"project ({counts[done[0].id]} events); not doubled"
                )
                continue
        else:
            media, found, timebase = _media_for(data, item, probe, problems)
        before = len(problems)
        batch, places = _batch(item, timebase, problems)
        try:
            plan_batch(scheme, timebase, EventIndex(()), {}, {}, batch)
        except BatchError as exc:
            problems.extend(_placed(item, places, p) for p in exc.problems)
            continue
        if len(problems) > before:
            continue
        plans.append(_Planned(item, who, observation, media, found, batch))
    if problems:
        raise InteropError(str(data.source), problems)
    return plans


def _media_for(
    data: Interchange,
    item: PassData,
    probe: Callable[[Path], MediaInfo] | None,
    problems: list[str],
) -> tuple[list[Found], list[Path | None], TimeBase]:
    last = max([e.offset_us or e.onset_us for e in item.events] + [0])
    refs = item.media or ()
    media: list[Found] = []
    found: list[Path | None] = []
    timebases: list[TimeBase] = []
    from coder import media as media_module

    for position, ref in enumerate(refs):
        where = locate(ref, data.source)
        if where is not None:
            try:
                info = (probe or media_module.probe)(where)
            except media_module.MediaError as exc:
                problems.append(f"{item.place}: {where}: not a readable video ({exc})")
                where = None
            else:
                found.append(where)
                media.append(info)
                timebases.append(info.timebase)
                continue
        made = provisional(ref, position, last)
        found.append(None)
        media.append(made)
        timebases.append(made.timebase)
    if not refs:
        made = provisional(MediaRef(""), 0, last)
        media, found, timebases = [made], [None], [made.timebase]
    return media, found, timebases[0]


_EVENT_N = re.compile(r"^event (\d+) ")


def _placed(item: PassData, places: Sequence[str], problem: str) -> str:
    """A batch problem with the place of its event in the file (``event 3 (…)`` → its path)."""
    match = _EVENT_N.match(problem)
    if match and 0 < int(match.group(1)) <= len(places):
        place = places[int(match.group(1)) - 1]
        return f"{place}: observation {item.observation!r}: {problem}"
    return f"{item.place}: observation {item.observation!r}: {problem}"


def _batch(item: PassData, timebase: TimeBase, problems: list[str]) -> tuple[Batch, list[str]]:
    """The batch of ``item``'s events that lie in the video, and each one's place in the file;
    events past the end go to ``problems``."""
    events: list[Event] = []
    places: list[str] = []
    end = timebase.duration_us
    for event in item.events:
        onset = _stamp(timebase, event.onset_us)
        if event.onset_us >= end:
            problems.append(
                f"{event.place}: observation {item.observation!r}: "
                f"{event.source_code or event.code} at {event.onset_us / 1e6:g} s is after "
                f"the end of the video ({end / 1e6:g} s)"
            )
            continue
        if event.offset_us is not None and event.offset_us > end + END_SLACK_US:
            problems.append(
                f"{event.place}: observation {item.observation!r}: "
                f"{event.source_code or event.code} stops at {event.offset_us / 1e6:g} s, "
                f"after the end of the video ({end / 1e6:g} s)"
            )
            continue
        offset = None if event.offset_us is None else _stamp(timebase, event.offset_us)
        events.append(
            Event(event.code, "", onset, offset, event.is_state, event.modifiers, event.comment)
        )
        places.append(event.place)
    ratings = [Rating(r.scale, r.segment, r.value) for r in item.ratings]
    return Batch(events=events, ratings=ratings), places


def _stamp(timebase: TimeBase, us: int) -> Stamp:
    if us >= timebase.duration_us:
        return Stamp(timebase.frame_count, timebase.duration_us)
    return Stamp(timebase.index_at(us), us)


# ------------------------------------------------------------------ writing
def _write(
    project: Project, scheme: Scheme, data: Interchange, plans: Sequence[_Planned], created: bool
) -> ImportResult:
    pending: set[int] = set()
    missing: list[str] = []
    events = ratings = 0
    label = f"Import {data.source.name}"
    try:
        for plan in plans:
            observation = plan.observation or _add_observation(project, plan, pending, missing)
            session = project.start_coding(observation, plan.coder)
            events += len(session.apply_batch(plan.batch, label=label))
            ratings += len(plan.batch.ratings)
        if pending:
            project.set_provisional_media(project.provisional_media() | pending)
        record = _imports(project)
        record[data.digest] = {"file": str(data.source), "at": datetime.now(UTC).isoformat()}
        project.set_setting(IMPORTS_SETTING, json.dumps(record, sort_keys=True))
    except (ProjectError, BatchError, OSError) as exc:
        if created:
            _remove(project)
        raise InteropError(str(data.source), f"the import stopped while writing: {exc}") from exc
    return ImportResult(
        project.path, created, len(plans), events, ratings, tuple(missing), data.notes
    )


def _add_observation(
    project: Project, plan: _Planned, pending: set[int], missing: list[str]
) -> Observation:
    from coder.media import fingerprint as fingerprints

    item = plan.data
    records: list[Media] = []
    timebases: list[TimeBase | None] = []
    offsets = [ref.offset_us for ref in item.media] or [0]
    for position, (made, where) in enumerate(zip(plan.media, plan.found, strict=True)):
        offset = offsets[position]
        if isinstance(made, Provisional):
            records.append(made.media)
            timebases.append(made.timebase)
            missing.append(made.media.path)
            continue
        assert not isinstance(made, Media)
        assert where is not None
        records.append(
            Media(
                path=portable_path(project.path.resolve().parent, where),
                fingerprint=fingerprints.fingerprint(where),
                size_bytes=where.stat().st_size,
                duration_us=made.duration_us,
                frame_count=made.frame_count,
                fps=made.fps,
                width=made.width,
                height=made.height,
                has_audio=made.has_audio,
                variable_frame_rate=made.variable_frame_rate,
                offset_us=offset,
                position=position,
            )
        )
        timebases.append(made.timebase)
    observation = project.store.add_observation(
        item.observation, records, timebases, participant=item.participant, date=item.date,
        notes=item.notes,
    )  # fmt: skip
    for record, made in zip(observation.media, plan.media, strict=True):
        if isinstance(made, Provisional) and record.id is not None:
            pending.add(record.id)
    return observation


def _remove(project: Project) -> None:
    path = project.path
    project.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
