"""A BORIS project (``.boris``, format 7.0) of a project's coding passes.

The scheme becomes the ethogram (each behaviour with its key, category = group, one modifier
set of multiple choice, exclusions = the state partners of its exclusive group), subjects keep
their codes as BORIS names, and each pass is one observation named ``observation (coder)``
with its media, START/STOP rows for states and rows for points, each with the frame index
(BORIS 8 and later). Times are the stamps' exact µs as decimal seconds. Rating scales become
numeric independent variables (session ratings their values). What BORIS has no place for —
the scheme itself (names, colours, scales), all ratings, the observation and coder — goes
under ``"attune"``, which BORIS leaves alone, so a file read back gives the same scheme.
A state still open is refused: BORIS has none, and its end would be a guess.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder import __version__
from coder.interop.boris_ethogram import POINT, STATE
from coder.interop.boris_read import ATTUNE_KEY
from coder.interop.errors import InteropError
from coder.interop.files import refuse_open_states, write_atomic
from coder.model import Event
from coder.project.records import PassRecord
from coder.scheme import Scheme

if TYPE_CHECKING:
    from coder.project import Project


def observation_id(record: PassRecord) -> str:
    """The BORIS observation a pass becomes: ``observation (coder)``."""
    return f"{record.observation.name} ({record.coder})"


def export_scheme(project: Project, records: Sequence[PassRecord]) -> Scheme:
    """The scheme the passes were coded with when they share one, else the project's."""
    hashes = {r.scheme.content_hash for r in records}
    return records[0].scheme if len(hashes) == 1 else project.scheme


def boris_project(project: Project, records: Sequence[PassRecord], source: str) -> dict[str, Any]:
    """The BORIS project of ``records`` as JSON data."""
    refuse_open_states(records, source)
    scheme = export_scheme(project, records)
    unknown = sorted(
        {
            f"{e.behaviour} ({observation_id(r)})"
            for r in records
            for e in r.events
            if not scheme.has_behaviour(e.behaviour)
        }
    )
    if unknown:
        raise InteropError(source, f"codes not in the scheme {scheme.name!r}: {', '.join(unknown)}")
    return {
        "project_name": project.path.stem,
        "project_date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "project_description": f"Written by Attune {__version__} from {project.path.name}.",
        "project_format_version": "7.0",
        "time_format": "hh:mm:ss",
        "subjects_conf": {
            str(n): {"key": "", "name": s.code, "description": s.name}
            for n, s in enumerate(scheme.subjects)
        },
        "behaviors_conf": _ethogram(scheme),
        "behavioral_categories": [g.code for g in scheme.groups],
        "behavioral_categories_config": {
            str(n): {"name": g.code, "color": ""} for n, g in enumerate(scheme.groups)
        },
        "independent_variables": {
            str(n): {
                "label": s.code,
                "description": s.name,
                "type": "numeric",
                "default value": "",
                "possible values": "",
            }
            for n, s in enumerate(scheme.scales)
        },
        "coding_map": {},
        "behaviors_coding_map": [],
        "converters": {},
        "observations": {observation_id(r): _observation(project, r) for r in records},
        ATTUNE_KEY: {"scheme": scheme.to_dict(), "written_by": f"Attune {__version__}"},
    }


def _ethogram(scheme: Scheme) -> dict[str, Any]:
    table = {}
    for n, b in enumerate(scheme.behaviours):
        modifiers: Any = ""
        if b.modifiers:
            modifiers = {"0": {"name": "modifiers", "type": 1, "values": list(b.modifiers)}}
        table[str(n)] = {
            "type": STATE if b.is_state else POINT,
            "key": b.key,
            "code": b.code,
            "description": b.description or b.name,
            "color": b.colour,
            "category": b.group or "",
            "modifiers": modifiers,
            "excluded": ",".join(scheme.exclusive_partners(b.code)) if b.is_state else "",
            "coding map": "",
        }
    return table


def _observation(project: Project, record: PassRecord) -> dict[str, Any]:
    obs = record.observation
    paths = [str(project.media_path(m)) for m in obs.media]
    frames = record.timebase.frame_count
    rows: list[tuple[int, int, list[Any]]] = []
    for event in record.events:
        rows.append((event.onset.us, 1, _row(event, event.onset.us, event.onset.frame, frames)))
        if event.offset is not None:
            stop = _row(event, event.offset.us, event.offset.frame, frames)
            rows.append((event.offset.us, 0, stop))  # a STOP before a START at the same time
    rows.sort(key=lambda r: (r[0], r[1]))
    session = {r.scale: r.value for r in record.ratings if r.segment == "session"}
    return {
        "file": {str(n + 1): [p] for n, p in enumerate(paths)},
        "type": "MEDIA",
        "date": obs.date or record.info.started_at or "",
        "description": f"coded by {record.coder} in Attune"
        + (f"; {obs.notes}" if obs.notes else ""),
        "time offset": 0,
        "events": [row for _us, _order, row in rows],
        "observation time interval": [0, 0],
        "independent_variables": session,
        "visualize_spectrogram": False,
        "close_behaviors_between_videos": False,
        "media_info": {
            "length": {p: m.duration_us / 1e6 for p, m in zip(paths, obs.media, strict=True)},
            "fps": {p: m.fps for p, m in zip(paths, obs.media, strict=True)},
            "hasVideo": {p: True for p in paths},
            "hasAudio": {p: m.has_audio for p, m in zip(paths, obs.media, strict=True)},
            "offset": {str(n + 1): m.offset_us / 1e6 for n, m in enumerate(obs.media)},
        },
        ATTUNE_KEY: {
            "observation": obs.name,
            "coder": record.coder,
            "participant": obs.participant,
            "ratings": [[r.scale, r.segment, r.value] for r in record.ratings],
        },
    }


def _row(event: Event, us: int, frame: int, frames: int) -> list[Any]:
    return [
        us / 1e6,  # the shortest decimal of this double is the exact µs
        event.subject,
        event.behaviour,
        ",".join(event.modifiers),
        event.comment,
        min(frame, frames - 1),
    ]


def write_boris(project: Project, records: Sequence[PassRecord], path: Path) -> list[Path]:
    """Write ``records`` as the BORIS project ``path`` (gzipped when it ends in ``.gz``)."""
    if not records:
        raise InteropError(str(path), "no coding passes to export")
    data = boris_project(project, records, str(path))
    text = json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")
    payload = gzip.compress(text) if path.suffix == ".gz" else text
    return [write_atomic(path, lambda partial: _write_bytes(partial, payload))]


def _write_bytes(path: Path, payload: bytes) -> None:
    path.write_bytes(payload)
