"""GSEQ timed-event data (SDS, in the SDIS language) of a project's coding passes.

The file is, in the shape of BORIS's SDIS export with the scheme's declarations added::

    % comments
    Timed <seconds> (look_m look_away gaze_none) cry touch talk ;
    <p01 AB>
    ,0.000 look_m,0.080-0.400 look_away,0.400-1.200 gaze_none,0.000-0.080 ... cry,0.200-0.201
    ,2.000/

One session per pass (labelled by observation and coder), from its start time to its end
time (the media's duration), events as ``code,onset-offset`` in seconds to the millisecond,
points as events of one millisecond. Each exclusive group of the scheme is declared as a
mutually exclusive and exhaustive set in parentheses; it is made exhaustive by a residual
code (``<group>_none``) that covers the time none of its states is on. Modifiers have no place
in SDS and are left out (said in the header). A state still open is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coder import __version__
from coder.interop.boris_write import export_scheme
from coder.interop.errors import InteropError
from coder.interop.files import refuse_open_states, write_atomic
from coder.project.records import PassRecord
from coder.scheme import Scheme

if TYPE_CHECKING:
    from coder.project import Project

#: Decimals of the seconds written (milliseconds, GSEQ's finest time unit).
DECIMALS = 3
POINT_US = 1000
TOKENS_PER_LINE = 8


def _seconds(us: int) -> str:
    return f"{round(us / 1000) / 1000:.{DECIMALS}f}"


def residual_codes(scheme: Scheme) -> dict[str, str]:
    """Exclusive group → the code that makes its set exhaustive (free of the scheme's codes)."""
    taken = {b.code.casefold() for b in scheme.behaviours}
    result = {}
    for group in scheme.groups:
        if not group.exclusive:
            continue
        code, n = f"{group.code}_none", 2
        while code.casefold() in taken:
            code, n = f"{group.code}_none{n}", n + 1
        taken.add(code.casefold())
        result[group.code] = code
    return result


def declaration(scheme: Scheme) -> str:
    residual = residual_codes(scheme)
    parts = []
    grouped: set[str] = set()
    for group in scheme.groups:
        if group.code not in residual:
            continue
        states = [b.code for b in scheme.behaviours if b.group == group.code and b.is_state]
        if not states:
            continue
        grouped.update(states)
        parts.append("(" + " ".join([*states, residual[group.code]]) + ")")
    parts.extend(b.code for b in scheme.behaviours if b.code not in grouped)
    return "Timed <seconds> " + " ".join(parts) + " ;"


def _label(record: PassRecord) -> str:
    text = f"{record.observation.name} {record.coder}"
    return "".join(c if c not in "<>/;,%" else "_" for c in text)


def session(record: PassRecord, scheme: Scheme) -> list[str]:
    """The lines of one pass's session."""
    residual = residual_codes(scheme)
    end = record.duration_us
    tokens: list[tuple[int, str]] = []
    for event in record.events:
        onset = event.onset.us
        stop = event.offset.us if event.offset is not None else onset + POINT_US
        tokens.append((onset, f"{event.behaviour},{_seconds(onset)}-{_seconds(stop)}"))
    for group, code in residual.items():
        members = {b.code for b in scheme.behaviours if b.group == group and b.is_state}
        spans = sorted(
            (e.onset.us, e.offset.us) for e in record.events
            if e.behaviour in members and e.offset is not None
        )  # fmt: skip
        at = 0
        for start, stop in [*spans, (end, end)]:
            if round(start / 1000) > round(at / 1000):  # a gap of at least one ms
                tokens.append((at, f"{code},{_seconds(at)}-{_seconds(start)}"))
            at = max(at, stop)
    tokens.sort(key=lambda t: t[0])
    lines = [f"<{_label(record)}>"]
    words = [f",{_seconds(0)}", *(t for _at, t in tokens)]
    for n in range(0, len(words), TOKENS_PER_LINE):
        lines.append(" ".join(words[n : n + TOKENS_PER_LINE]))
    lines.append(f",{_seconds(end)}/")
    return lines


def sds_text(project: Project, records: Sequence[PassRecord], source: str) -> str:
    refuse_open_states(records, source)
    scheme = export_scheme(project, records)
    lines = [
        f"% Timed-event SDS for GSEQ, written by Attune {__version__} from {project.path.name}",
        "% one session per coding pass (observation and coder); times in seconds from the",
        "% start of the first video; points as 1 ms events; modifiers are not written",
        declaration(scheme),
        "",
    ]
    for record in records:
        lines.extend(session(record, scheme))
        lines.append("")
    return "\n".join(lines)


def write_sds(project: Project, records: Sequence[PassRecord], path: Path) -> list[Path]:
    if not records:
        raise InteropError(str(path), "no coding passes to export")
    text = sds_text(project, records, str(path))
    return [write_atomic(path, lambda partial: _write_text(partial, text))]


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
