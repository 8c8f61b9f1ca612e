"""Tidy event tables (CSV or XLSX): one row per event, the form labs keep legacy codes in.

Columns (headers matched without regard to case; ``TidyOptions.columns`` maps our field names
to other headers): ``observation``, ``coder``, ``code`` (or ``behaviour``/``behavior``),
``onset``, ``offset`` (empty for a point), ``subject``, ``modifiers`` (``|`` between values),
``comment``, ``media``, and ``status`` (START/STOP/POINT rows, as BORIS's tabular export
writes them; a STOP without a START is reported with its row, observation and time). Times
are seconds (a decimal comma is read when the separator is not a comma) or frames
(``time_unit="frames"`` with ``fps``). Attune's own Events table reads back as it is.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coder.interop.errors import InteropError
from coder.interop.jsonplace import seconds_to_us, us_text
from coder.interop.model import Interchange, MediaRef, PassData, TidyOptions, TimedEvent
from coder.interop.schemebuild import SchemeBuilder

HEADERS: dict[str, tuple[str, ...]] = {
    "observation": ("observation", "observation id", "obs", "session"),
    "coder": ("coder", "observer"),
    "code": ("code", "behaviour", "behavior"),
    "onset": ("onset", "onset_s", "start", "time", "start (s)"),
    "offset": ("offset", "offset_s", "stop", "end", "stop (s)"),
    "subject": ("subject",),
    "modifiers": ("modifiers", "modifier"),
    "status": ("status", "behavior type", "behaviour type", "event type"),
    "comment": ("comment",),
    "media": ("media", "media file", "video"),
}


def _rows(path: Path, fmt: str, raw: bytes) -> tuple[list[list[str]], str]:
    if fmt == "xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise InteropError(str(path), f"not a readable workbook ({exc})") from None
        sheet = book.worksheets[0]
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
        return rows, ","
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InteropError(str(path), f"byte {exc.start}: not UTF-8 text") from None
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter)), delimiter


def _columns(header: Sequence[str], options: TidyOptions, source: str, at: str) -> dict[str, int]:
    found = {h.strip().casefold(): n for n, h in enumerate(header)}
    columns: dict[str, int] = {}
    for name, aliases in HEADERS.items():
        wanted = options.columns.get(name)
        if wanted is not None:
            if wanted.strip().casefold() not in found:
                raise InteropError(source, f"{at}: no column {wanted!r} (for {name})")
            columns[name] = found[wanted.strip().casefold()]
            continue
        for alias in aliases:
            if alias in found:
                columns[name] = found[alias]
                break
    missing = [n for n in ("code", "onset") if n not in columns]
    if missing:
        raise InteropError(
            source, f"{at}: no column for {' and '.join(missing)} (headers: {', '.join(header)})"
        )
    return columns


def read_tidy(path: Path, fmt: str, options: TidyOptions) -> Interchange:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InteropError(source, f"cannot read the file ({exc.strerror or exc})") from None
    table, delimiter = _rows(path, fmt, raw)
    # each row keeps its number in the file (blank rows are skipped, not renumbered)
    numbered = [(n, r) for n, r in enumerate(table, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise InteropError(source, "the file is empty")
    header_number, header = numbered[0]
    if options.time_unit not in ("s", "frames"):
        raise InteropError(source, f"time unit {options.time_unit!r}: use s or frames")
    if options.time_unit == "frames" and not options.fps:
        raise InteropError(source, "times in frames need the frame rate (--fps)")
    columns = _columns(header, options, source, f"row {header_number}")
    problems: list[str] = []
    builder = SchemeBuilder(path.stem, source)
    passes: dict[tuple[str, str], list[TimedEvent]] = {}
    media: dict[tuple[str, str], str] = {}
    kinds: dict[str, tuple[bool, str]] = {}
    open_rows: dict[tuple[Any, ...], tuple[int, str, str]] = {}

    def cell(row: Sequence[str], name: str) -> str:
        n = columns.get(name)
        return row[n].strip() if n is not None and n < len(row) else ""

    def time(row: Sequence[str], name: str, at: str) -> int | None:
        text = cell(row, name)
        if delimiter != ",":
            text = text.replace(",", ".")
        if options.time_unit == "frames":
            if not text.isdigit():
                problems.append(f"{at}: {name} {text!r} is not a frame number")
                return None
            assert options.fps
            return round(int(text) * 1e6 / options.fps)
        us = seconds_to_us(text)
        if us is None or us < 0:
            problems.append(f"{at}: {name} {text!r} is not a time in seconds")
        return us

    for number, row in numbered[1:]:
        at = f"row {number}"
        observation = cell(row, "observation") or path.stem
        coder = cell(row, "coder")
        code = cell(row, "code")
        if not code:
            problems.append(f"{at}: no code")
            continue
        onset = time(row, "onset", at)
        status = cell(row, "status").upper()
        has_offset = bool(cell(row, "offset"))
        offset = time(row, "offset", at) if has_offset else None
        if onset is None or (has_offset and offset is None):
            continue
        subject = cell(row, "subject")
        modifiers = tuple(dict.fromkeys(v.strip() for v in cell(row, "modifiers").split("|")
                                        if v.strip() and v.strip() != "None"))  # fmt: skip
        comment = cell(row, "comment")
        key = (observation, coder)
        events = passes.setdefault(key, [])
        if cell(row, "media"):
            media.setdefault(key, cell(row, "media"))
        is_state = status in ("START", "STOP") or (status != "POINT" and offset is not None)
        first = kinds.setdefault(code, (is_state, at))
        if first[0] != is_state:
            kind = "state" if first[0] else "point"
            problems.append(f"{at}: {code!r} is a {kind} in {first[1]} but not here")
            continue
        made = builder.behaviour(
            code, kind="state" if is_state else "point",
            subject=builder.subject(subject) if subject else "", key=code[:1], modifiers=modifiers,
        )  # fmt: skip
        if status in ("START", "STOP"):
            pair = (observation, coder, subject, code, modifiers)
            if status == "START":
                if pair in open_rows:
                    problems.append(f"{at}: observation {observation!r}: {code!r} started again "
                                    f"at {us_text(onset)} s before its STOP")  # fmt: skip
                    continue
                open_rows[pair] = (onset, at, comment)
                continue
            started = open_rows.pop(pair, None)
            if started is None:
                problems.append(
                    f"{at}: observation {observation!r}: STOP of {code!r} at {us_text(onset)} s "
                    "without a START"
                )
                continue
            events.append(
                TimedEvent(made, started[0], onset, True, modifiers, started[2], code, started[1])
            )
            continue
        events.append(TimedEvent(made, onset, offset, is_state, modifiers, comment, code, at))
    for (observation, _coder, _subject, code, _mods), (onset, at, _c) in open_rows.items():
        problems.append(f"{at}: observation {observation!r}: START of {code!r} at "
                        f"{us_text(onset)} s has no STOP")  # fmt: skip
    without = [f"row {n}" for n, r in numbered[1:] if not cell(r, "subject")]
    if builder.has_subjects and without:
        shown = ", ".join(without[:5]) + (
            f" and {len(without) - 5} more" if len(without) > 5 else ""
        )
        problems.append(f"{shown}: no subject, where other rows name one; give every row one")
    if problems:
        raise InteropError(source, problems)
    scheme = builder.build("Imported from an events table.")
    fps = options.fps
    data = tuple(
        PassData(
            observation=obs,
            coder=coder,
            media=(MediaRef(media.get((obs, coder), ""), fps),),
            events=tuple(sorted(events, key=lambda e: e.onset_us)),
            place=f"observation {obs!r}",
        )
        for (obs, coder), events in passes.items()
    )
    aliases = {c: c2 for c in kinds for c2 in builder.codes_of(c)[:1]}
    return Interchange(
        fmt, path, hashlib.sha256(raw).hexdigest(), scheme, data, tuple(builder.notes), aliases
    )
