"""BORIS projects (``.boris``, also gzipped): the ethogram as a scheme, observations as passes.

The format is that of ``project_format_version`` 7.0 (BORIS 7 to 9); an event is
``[time, subject, code, modifiers, comment]``, and BORIS 8 and later append the frame index
(``"NA"`` where unknown). Times are decimal seconds from the start of player 1, read exactly
and kept to the µs. A state's rows alternate START and STOP for one (subject, code, modifiers);
a START left without a STOP is reported with its observation and time, never guessed.

The whole file is checked before anything is returned; every problem is named by its JSON path
(``observations["p01"].events[12][0]``). A project that Attune wrote carries Attune's own scheme
(``"attune"``) so names, colours and rating scales come back; it is used only while it still
matches the ethogram.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coder.interop.boris_ethogram import (
    NO_SUBJECT,
    BorisBehaviour,
    Ethogram,
    ethogram_scheme,
    read_ethogram,
    split_modifiers,
)
from coder.interop.errors import InteropError
from coder.interop.jsonplace import key_text, load_json, seconds_to_us, us_text
from coder.interop.model import Interchange, MediaRef, PassData, TimedEvent, TimedRating
from coder.scheme import Scheme, SchemeError, scheme_from_dict

#: The key under which Attune keeps what BORIS has no place for (BORIS leaves it alone).
ATTUNE_KEY = "attune"


@dataclass(frozen=True, slots=True)
class _Row:
    us: int
    subject: str
    code: str
    modifiers: str
    comment: str
    place: str


@dataclass(frozen=True, slots=True)
class _Obs:
    obs_id: str
    place: str
    rows: tuple[_Row, ...]
    media: tuple[MediaRef, ...]
    date: str
    notes: str
    extra: Mapping[str, Any]


def read_boris(path: str | Path) -> Interchange:
    """Read and check a BORIS project file; an :class:`InteropError` lists every problem."""
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InteropError(source, f"cannot read the file ({exc.strerror or exc})") from None
    data, plain = load_json(raw, source)
    if not isinstance(data, Mapping):
        raise InteropError(source, "not a BORIS project (the JSON is not an object)")
    problems: list[str] = []
    ethogram = read_ethogram(data, problems)
    observations = _observations(data, ethogram, problems)
    if problems:
        raise InteropError(source, problems)
    notes: list[str] = []
    if any(ethogram.subjects.values()):
        notes.append("subjects' keys are not kept: in Attune each behaviour names its subject")
    name = str(data.get("project_name") or path.name.split(".")[0])
    scheme, aliases = _embedded(data, ethogram, notes)
    embedded = scheme is not None
    if scheme is None:
        usage: dict[str, list[str]] = {}
        seen: dict[str, list[str]] = {}
        for obs in observations:
            for row in obs.rows:
                subjects = usage.setdefault(row.code, [])
                if row.subject not in subjects:
                    subjects.append(row.subject)
                values = seen.setdefault(row.code, [])
                behaviour = ethogram.behaviours[row.code]
                values.extend(
                    v for v in split_modifiers(row.modifiers, behaviour) if v not in values
                )
        scheme, aliases, more = ethogram_scheme(ethogram, usage, seen, name, source)
        notes.extend(more)
    passes = [_pass(o, ethogram, scheme, aliases, embedded, problems) for o in observations]
    if problems:
        raise InteropError(source, problems)
    offsets = [o.obs_id for o in observations if o.extra.get("time_offset")]
    if offsets:
        notes.append(f"time offsets taken off the event times of: {', '.join(offsets)}")
    return Interchange(
        kind="boris",
        source=path,
        digest=hashlib.sha256(plain).hexdigest(),
        scheme=scheme,
        passes=tuple(passes),
        notes=tuple(notes),
        aliases=aliases,
    )


# ------------------------------------------------------------------ observations
def _observations(data: Mapping[str, Any], ethogram: Ethogram, problems: list[str]) -> list[_Obs]:
    table = data.get("observations")
    if table is None:
        problems.append("observations: missing")
        return []
    if not isinstance(table, Mapping):
        problems.append("observations: expected an object (observation id → observation)")
        return []
    result = []
    for obs_id, obs in table.items():
        place = f"observations[{key_text(obs_id)}]"
        if not isinstance(obs, Mapping):
            problems.append(f"{place}: expected an object")
            continue
        kind = str(obs.get("type", "MEDIA")).upper()
        if kind == "IMAGES":
            problems.append(f"{place}.type: observations of still images are not supported")
            continue
        offset = seconds_to_us(obs.get("time offset", 0) or 0)
        if offset is None:
            problems.append(f'{place}["time offset"]: {obs.get("time offset")!r} is not a number')
            offset = 0
        rows = _rows(obs, place, ethogram, offset, problems)
        found = obs.get(ATTUNE_KEY)
        extra: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        result.append(
            _Obs(
                str(obs_id), place, rows,
                _media(obs, place, problems) if kind != "LIVE" else (),
                str(obs.get("date", "") or ""), str(obs.get("description", "") or ""),
                {**extra, "time_offset": offset},
            )
        )  # fmt: skip
    return result


def _rows(
    obs: Mapping[str, Any], place: str, ethogram: Ethogram, offset_us: int, problems: list[str]
) -> tuple[_Row, ...]:
    events = obs.get("events")
    if events is None:
        problems.append(f"{place}.events: missing")
        return ()
    if not isinstance(events, list):
        problems.append(f"{place}.events: expected a list of events")
        return ()
    rows = []
    for i, row in enumerate(events):
        at = f"{place}.events[{i}]"
        if not isinstance(row, list) or len(row) < 3:
            problems.append(f"{at}: expected [time, subject, code, modifiers, comment]")
            continue
        us = seconds_to_us(row[0])
        if us is None or isinstance(row[0], str):
            problems.append(f"{at}[0]: {_shown(row[0])} is not a number (a time in seconds)")
            continue
        us -= offset_us
        if us < 0:
            problems.append(f"{at}[0]: {us_text(us + offset_us)} s is before the media start")
            continue
        subject, code = row[1], row[2]
        if not isinstance(subject, str):
            problems.append(f"{at}[1]: expected a subject's name, got {_shown(subject)}")
            continue
        if not isinstance(code, str) or (ethogram.behaviours and code not in ethogram.behaviours):
            problems.append(f"{at}[2]: {_shown(code)} is not a behaviour of the ethogram")
            continue
        if subject and subject not in ethogram.subjects:
            problems.append(f"{at}[1]: {subject!r} is not a subject of the project")
            continue
        modifiers = row[3] if len(row) > 3 and row[3] is not None else ""
        comment = row[4] if len(row) > 4 and row[4] is not None else ""
        if not isinstance(modifiers, str):
            problems.append(f"{at}[3]: expected the modifiers as text, got {_shown(modifiers)}")
            continue
        if len(row) > 5 and not _frame_index(row[5]):
            problems.append(f"{at}[5]: {_shown(row[5])} is not a frame index (a whole number)")
            continue
        rows.append(_Row(us, subject, code, modifiers.strip(), str(comment), at))
    rows.sort(key=lambda r: r.us)  # stable: rows at one time keep their order
    return tuple(rows)


def _frame_index(value: Any) -> bool:
    if value in ("NA", "", None):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _shown(value: Any) -> str:
    text = repr(str(value)) if not isinstance(value, (int, str)) else repr(value)
    return text if len(text) < 40 else text[:37] + "…"


def _media(obs: Mapping[str, Any], place: str, problems: list[str]) -> tuple[MediaRef, ...]:
    files = obs.get("file", {})
    info = obs.get("media_info", {}) if isinstance(obs.get("media_info"), Mapping) else {}
    lengths = info.get("length", {}) if isinstance(info.get("length"), Mapping) else {}
    rates = info.get("fps", {}) if isinstance(info.get("fps"), Mapping) else {}
    offsets = info.get("offset", {}) if isinstance(info.get("offset"), Mapping) else {}
    if isinstance(files, list):
        files = {"1": files}
    if not isinstance(files, Mapping):
        problems.append(f"{place}.file: expected an object of players and their files")
        return ()
    media = []
    for player in sorted(files, key=lambda p: int(p) if str(p).isdigit() else 99):
        paths = files[player]
        if not paths:
            continue
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            problems.append(f"{place}.file[{key_text(player)}]: expected a list of file paths")
            continue
        if len(paths) > 1:
            problems.append(
                f"{place}.file[{key_text(player)}]: {len(paths)} files played one after the "
                "other; Attune needs one video per camera (join them first)"
            )
            continue
        path = paths[0]
        fps = rates.get(path)
        length = seconds_to_us(lengths.get(path)) if path in lengths else None
        offset = seconds_to_us(offsets.get(str(player), 0) or 0) or 0
        media.append(
            MediaRef(
                path,
                float(fps) if fps is not None and _positive(fps) else None,
                length if length and length > 0 else None,
                offset,
            )
        )
    return tuple(media)


def _positive(value: Any) -> bool:
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------ scheme and passes
def _embedded(
    data: Mapping[str, Any], ethogram: Ethogram, notes: list[str]
) -> tuple[Scheme | None, dict[str, str]]:
    """Attune's own scheme kept in the file, while it still matches the ethogram."""
    extra = data.get(ATTUNE_KEY)
    if not isinstance(extra, Mapping) or not isinstance(extra.get("scheme"), Mapping):
        return None, {}
    try:
        scheme = scheme_from_dict(extra["scheme"], source="attune.scheme")
    except SchemeError as exc:
        notes.append(f"Attune's scheme in the file is not usable ({exc}); read the ethogram")
        return None, {}
    ours = {b.code: (b.kind, set(b.modifiers)) for b in scheme.behaviours}
    theirs = {c: (b.kind, set(b.modifier_values)) for c, b in ethogram.behaviours.items()}
    if ours != theirs:
        notes.append("the ethogram was changed after Attune wrote the file; read the ethogram")
        return None, {}
    aliases = {b.code: b.code for b in scheme.behaviours}
    aliases.update({f"{b.code}@{b.subject}": b.code for b in scheme.behaviours})
    return scheme, aliases


def _pass(
    obs: _Obs,
    ethogram: Ethogram,
    scheme: Scheme,
    aliases: Mapping[str, str],
    embedded: bool,
    problems: list[str],
) -> PassData:
    events: list[TimedEvent] = []
    open_rows: dict[tuple[str, str, str], _Row] = {}
    for row in obs.rows:
        behaviour: BorisBehaviour = ethogram.behaviours[row.code]
        code = aliases.get(f"{row.code}@{row.subject}") or aliases.get(
            f"{row.code}@{NO_SUBJECT}", aliases[row.code]
        )
        modifiers = split_modifiers(row.modifiers, behaviour)
        subject = scheme.behaviour(code).subject
        if embedded and subject != row.subject:
            problems.append(f"{row.place}[1]: {row.code} belongs to {subject}, not {row.subject}")
            continue
        if behaviour.kind == "point":
            events.append(
                TimedEvent(code, row.us, None, False, modifiers, row.comment, row.code, row.place)
            )
            continue
        key = (row.subject, row.code, "|".join(sorted(modifiers)))
        start = open_rows.pop(key, None)
        if start is None:
            open_rows[key] = row
            continue
        comment = (
            start.comment
            if not row.comment or row.comment == start.comment
            else (f"{start.comment} / {row.comment}" if start.comment else row.comment)
        )
        events.append(
            TimedEvent(code, start.us, row.us, True, modifiers, comment, row.code, start.place)
        )
    for (subject, code, mods), row in open_rows.items():
        who = f", subject {subject!r}" if subject else ""
        with_mods = f", modifiers {mods!r}" if mods else ""
        problems.append(
            f"{row.place}: observation {obs.obs_id!r}: START of {code!r}{who}{with_mods} at "
            f"{us_text(row.us)} s has no STOP"
        )
    ratings = []
    for n, item in enumerate(obs.extra.get("ratings", []) or []):
        if isinstance(item, list) and len(item) == 3 and scheme.has_scale(str(item[0])):
            at = f"{obs.place}.attune.ratings[{n}]"
            ratings.append(TimedRating(str(item[0]), str(item[1]), float(item[2]), at))
    return PassData(
        observation=str(obs.extra.get("observation") or obs.obs_id),
        coder=str(obs.extra.get("coder") or ""),
        media=obs.media,
        events=tuple(sorted(events, key=lambda e: e.onset_us)),
        ratings=tuple(ratings),
        participant=str(obs.extra.get("participant") or ""),
        date=obs.date,
        notes=obs.notes,
        place=obs.place,
    )
