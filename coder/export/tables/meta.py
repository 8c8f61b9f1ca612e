"""The tables that describe an export: the codebook of the schemes, and About."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from coder import __version__
from coder.analysis import PassLike
from coder.export.tables.instruments import DESCRIPTIONS
from coder.export.tables.select import Filters
from coder.scheme import QSort, Scheme

CODEBOOK_COLUMNS = ("scheme", "scheme_version", "section", "code", "name", "details", "description")
ABOUT_COLUMNS = ("item", "value")


def schemes_of(records: Sequence[PassLike]) -> list[Scheme]:
    """The distinct scheme versions of ``records``, in order of first use."""
    seen: dict[str, Scheme] = {}
    for record in records:
        seen.setdefault(record.scheme.content_hash, record.scheme)
    return list(seen.values())


def codebook_frame(schemes: Sequence[Scheme]) -> pd.DataFrame:
    """One row per subject, group, behaviour, modifier, scale, anchor, segment rule, episode,
    contingency, Q-sort, Q-sort item and criterion sort of each scheme version."""
    rows: list[tuple[Any, ...]] = []
    for scheme in schemes:

        def add(section: str, code: str, name: str, details: str, text: str = "") -> None:
            rows.append((scheme.name, scheme.version, section, code, name, details, text))  # noqa: B023

        for subject in scheme.subjects:
            add("subject", subject.code, subject.name, "", subject.description)
        for group in scheme.groups:
            add("group", group.code, group.name, "exclusive" if group.exclusive else "")
        for b in scheme.behaviours:
            parts = [b.kind, f"key {b.key}"]
            parts += [f"subject {b.subject}"] if b.subject else []
            parts += [f"group {b.group}"] if b.group else []
            add("behaviour", b.code, b.name, "; ".join(parts), b.description)
            for modifier in b.modifiers:
                add("modifier", b.code, modifier, f"modifier of {b.code}")
        for s in scheme.scales:
            details = (
                f"{s.kind} {s.min:g} to {s.max:g} in steps of {s.step:g}; "
                f"rated on {', '.join(s.rated_on)}"
            )
            if s.is_computed:
                details += f"; computed: the {s.compute or 'sum'} of {', '.join(s.of)}"
            add("scale", s.code, s.name, details, s.description)
            for point, text in sorted(s.anchors.items()):
                add("anchor", s.code, f"{float(point):g}", f"value {float(point):g}", text)
        if scheme.segments.interval_s:
            add("segments", "intervals", "Fixed intervals", f"{scheme.segments.interval_s:g} s")
        for episode in scheme.segments.episodes:
            nominal = f"nominal {episode.nominal_s:g} s" if episode.nominal_s else ""
            add("episode", episode.code, episode.name, nominal, episode.description)
        for c in scheme.contingencies:
            details = (
                f"given {'|'.join(c.given)}; target {'|'.join(c.target)}; window {c.window_s:g} s"
            )
            add("contingency", c.code, c.name, details, c.description)
        for qsort in scheme.qsorts:
            for row in qsort_rows(qsort):
                add(*row)
    return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS))


def qsort_rows(qsort: QSort) -> list[tuple[str, str, str, str, str]]:
    """Codebook rows (section, code, name, details, description) of one Q-sort: the sort, each
    item (coded by the rating scale that holds its pile) and each criterion sort."""
    counts = ", ".join(str(n) for n in qsort.distribution)
    rows = [
        (
            "qsort", qsort.code, qsort.name,
            f"{len(qsort.items)} items into {qsort.piles} piles of {counts} items, from 1 "
            f"(most unlike) to {qsort.piles} (most like)",
            qsort.description,
        )
    ]  # fmt: skip
    for item in qsort.items:
        details = (
            f"item {item.id} of {qsort.code}: its pile is the rating {qsort.scale_code(item.id)}, "
            f"its rough pile (1 unlike, 2 neither, 3 like) {qsort.rough_code(item.id)}"
        )
        rows.append(("qsort item", qsort.scale_code(item.id), item.text or item.id, details, ""))
    for criterion in qsort.criteria:
        piles = "; ".join(f"{i} {float(criterion.sort[i]):g}" for i in qsort.item_ids)
        details = f"criterion sort of {qsort.code}, item and pile: {piles}"
        rows.append(("criterion", criterion.code, criterion.name, details, criterion.description))
    return rows


def about_frame(
    project_path: str,
    records: Sequence[PassLike],
    filters: Filters,
    unit_s: float | None = None,
    now: dt.datetime | None = None,
    tables: Iterable[str] = (),
) -> pd.DataFrame:
    """Attune's version, the export time, the project, the filters, the passes and the scheme
    versions (with content hashes) the export holds, and the rules behind its figures;
    ``tables`` names the instrument tables the export holds, each explained in a row."""
    when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    rows: list[tuple[str, str]] = [
        ("Attune version", __version__),
        ("exported at", when),
        ("project", project_path),
        *((f"filter: {name}", text) for name, text in filters.describe()),
        ("passes", str(len(records))),
        ("observations", str(len({r.observation.id for r in records}))),
    ]
    for scheme in schemes_of(records):
        rows.append(
            ("scheme", f"{scheme.name} version {scheme.version} sha256 {scheme.content_hash}")
        )
    unit = "frames of the first video" if unit_s is None else f"units of {unit_s:g} s"
    rows += [
        ("times", "seconds of media time from the first video; frames index that video"),
        (
            "clock time",
            "onset_clock/offset_clock: the recording's start (the observation's "
            "date with a time of day) plus the media time; empty without one",
        ),
        ("states", "on from the onset frame up to, not including, the offset frame"),
        ("open states", "counted to the end of the media and flagged (column open)"),
        ("segments", "a state crossing a segment boundary is split by time"),
        ("contingency window", "from the cue's onset for window_s seconds (end excluded)"),
        ("contingency 2x2 units", unit),
        ("SD", "sample SD (n - 1); empty below two bouts"),
    ]
    if any(record.scheme.qsorts for record in records):
        rows.append(
            (
                "Q-sort placements",
                "rating <qsort>.<item> is the item's pile (1 most unlike to the last, most "
                "like); <qsort>.rough.<item> its rough pile (1 unlike, 2 neither, 3 like) "
                "while it is in no pile; the Codebook lists the items",
            )
        )
    rows += [(f"table {name}", DESCRIPTIONS[name]) for name in tables if name in DESCRIPTIONS]
    return pd.DataFrame(rows, columns=list(ABOUT_COLUMNS))
