"""ELAN files (``.eaf``, format 3.0), one per coding pass, in a folder.

Tiers (``tiers="group"``): one per exclusive behaviour group (its states never overlap, as ELAN
requires of a tier), and one per other behaviour (states of one code never overlap either;
points are annotations of one frame), each with the behaviour's subject as participant, the
coder as annotator and a controlled vocabulary of its codes (the names as descriptions). With
``tiers="subject"`` each subject has one tier (``infant``) and, where its events overlap, more
(``infant 2`` …), all with the vocabulary of the subject's codes. Modifiers go
on a symbolically associated tier under their event's tier; ratings on one tier per scale and
kind of segment (``attune-rating:sens:session``), comments on an associated tier of the
type ``attune-comment``, each a segment's span valued
``segment=value``. Media are linked by absolute and relative URL. ELAN counts milliseconds:
each boundary is written as the first millisecond inside its frame, so frames come back
exactly. The scheme, observation and coder are header properties, read back by
:mod:`coder.interop.eaf_read`.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from coder.interop.eaf_read import COMMENT_TYPE, PROPERTY, RATING_TIER
from coder.interop.errors import InteropError
from coder.interop.files import refuse_open_states, write_atomic
from coder.model import Event
from coder.project.records import PassRecord
from coder.scheme import Scheme

if TYPE_CHECKING:
    from coder.project import Project

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def eaf_name(record: PassRecord) -> str:
    return _UNSAFE.sub("_", f"{record.observation.name}_{record.coder}") + ".eaf"


def eaf_targets(folder: Path, records: Sequence[PassRecord]) -> list[Path]:
    return [folder / eaf_name(r) for r in records]


def _ms(us: int) -> int:
    return math.ceil(us / 1000)


#: How the events of a pass are laid out in tiers.
TIER_LAYOUTS = ("group", "subject")
#: The subject tier of behaviours without a subject (no subject code has a space).
NO_SUBJECT_TIER = "no subject"


def tier_of(scheme: Scheme, code: str) -> str:
    """The tier a behaviour's events go on: its exclusive group's, or its own."""
    behaviour = scheme.behaviour(code)
    if behaviour.is_state and behaviour.group and scheme.group(behaviour.group).exclusive:
        return behaviour.group
    return code


class _Doc:
    def __init__(self) -> None:
        self.slots: dict[int, str] = {}
        self.count = 0

    def slot(self, ms: int) -> str:
        if ms not in self.slots:
            self.slots[ms] = f"ts{len(self.slots) + 1}"
        return self.slots[ms]

    def next_id(self) -> str:
        self.count += 1
        return f"a{self.count}"


@dataclass
class _Tier:
    """A tier to write: its vocabulary (a CV id), participant, and events with their ids."""

    vocabulary: str
    subject: str
    items: list[tuple[Event, str]] = field(default_factory=list)


def _end_us(record: PassRecord, event: Event) -> int:
    """Where ``event`` ends in the file: its offset, or a point's one frame."""
    if event.offset is not None:
        return event.offset.us
    tb, frame = record.timebase, event.onset.frame
    return tb.end_us(frame) if frame < tb.frame_count else tb.duration_us


def _layout(
    record: PassRecord, doc: _Doc, tiers: str
) -> tuple[dict[str, _Tier], dict[str, list[str]]]:
    """The tiers of ``record`` and the vocabularies (CV id → codes) they use."""
    scheme = record.scheme
    result: dict[str, _Tier] = {}
    vocabularies: dict[str, list[str]] = {}
    if tiers == "group":
        for b in scheme.behaviours:
            tier = tier_of(scheme, b.code)
            result.setdefault(tier, _Tier(tier, b.subject))
            vocabularies.setdefault(tier, []).append(b.code)
        for event in record.events:
            result[tier_of(scheme, event.behaviour)].items.append((event, doc.next_id()))
        return result, vocabularies
    for b in scheme.behaviours:
        name = b.subject or NO_SUBJECT_TIER
        vocabularies.setdefault(name, []).append(b.code)
        result.setdefault(name, _Tier(name, b.subject))
    lanes: dict[str, list[int]] = {}  # subject tier → the end of the last annotation of each
    for event in sorted(record.events, key=lambda e: e.onset.us):
        name = scheme.behaviour(event.behaviour).subject or NO_SUBJECT_TIER
        ends = lanes.setdefault(name, [])
        start_ms, end_ms = _ms(event.onset.us), _ms(_end_us(record, event))
        lane = next((n for n, end in enumerate(ends) if end <= start_ms), len(ends))
        if lane == len(ends):
            ends.append(end_ms)
        ends[lane] = end_ms
        tier = name if lane == 0 else f"{name} {lane + 1}"
        result.setdefault(tier, _Tier(name, result[name].subject))
        result[tier].items.append((event, doc.next_id()))
    return result, vocabularies


def eaf_text(project: Project, record: PassRecord, tiers: str = "group") -> str:
    """The ELAN document of one pass, its tiers laid out as ``tiers`` says (see above)."""
    if tiers not in TIER_LAYOUTS:
        raise ValueError(f"tiers={tiers!r}: use one of {', '.join(TIER_LAYOUTS)}")
    scheme = record.scheme
    doc = _Doc()
    layout, vocabularies = _layout(record, doc, tiers)
    body: list[str] = []
    for tier, made in layout.items():
        items, subject = made.items, made.subject
        members = [scheme.behaviour(code) for code in vocabularies[made.vocabulary]]
        body.append(
            f" <TIER LINGUISTIC_TYPE_REF={quoteattr(tier)} TIER_ID={quoteattr(tier)}"
            f" PARTICIPANT={quoteattr(subject)} ANNOTATOR={quoteattr(record.coder)}>"
        )
        for event, ident in items:
            start = event.onset
            end_us = _end_us(record, event)
            body.append(
                f'  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="{ident}" '
                f'TIME_SLOT_REF1="{doc.slot(_ms(start.us))}" '
                f'TIME_SLOT_REF2="{doc.slot(_ms(end_us))}">'
                f"<ANNOTATION_VALUE>{escape(event.behaviour)}</ANNOTATION_VALUE>"
                "</ALIGNABLE_ANNOTATION></ANNOTATION>"
            )
        body.append(" </TIER>")
        with_modifiers = [(e, i) for e, i in items if e.modifiers]
        if any(b.modifiers for b in members):
            body.append(
                f' <TIER LINGUISTIC_TYPE_REF="modifiers" PARENT_REF={quoteattr(tier)}'
                f" TIER_ID={quoteattr(tier + '-modifiers')} PARTICIPANT={quoteattr(subject)}"
                f" ANNOTATOR={quoteattr(record.coder)}>"
            )
            for event, ident in with_modifiers:
                body.append(
                    f'  <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="{doc.next_id()}" '
                    f'ANNOTATION_REF="{ident}"><ANNOTATION_VALUE>'
                    f"{escape('|'.join(event.modifiers))}</ANNOTATION_VALUE>"
                    "</REF_ANNOTATION></ANNOTATION>"
                )
            body.append(" </TIER>")
        with_comments = [(e, i) for e, i in items if e.comment]
        if with_comments:
            body.append(
                f' <TIER LINGUISTIC_TYPE_REF="{COMMENT_TYPE}" PARENT_REF={quoteattr(tier)}'
                f" TIER_ID={quoteattr(tier + '-comments')} PARTICIPANT={quoteattr(subject)}"
                f" ANNOTATOR={quoteattr(record.coder)}>"
            )
            for event, ident in with_comments:
                body.append(
                    f'  <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="{doc.next_id()}" '
                    f'ANNOTATION_REF="{ident}"><ANNOTATION_VALUE>{escape(event.comment)}'
                    "</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>"
                )
            body.append(" </TIER>")
    body.extend(_rating_tiers(record, doc))
    header = _header(project, record, doc)
    slots = [
        f'  <TIME_SLOT TIME_SLOT_ID="{ident}" TIME_VALUE="{ms}"/>'
        for ms, ident in sorted(doc.slots.items())
    ]
    types = [
        f' <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID={quoteattr(t)}'
        f' TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF={quoteattr(made.vocabulary)}/>'
        for t, made in layout.items()
    ]
    types.append(
        ' <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false"'
        ' LINGUISTIC_TYPE_ID="modifiers" TIME_ALIGNABLE="false"/>'
    )
    types.append(
        ' <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false"'
        f' LINGUISTIC_TYPE_ID="{COMMENT_TYPE}" TIME_ALIGNABLE="false"/>'
    )
    types.append(
        ' <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="rating"'
        ' TIME_ALIGNABLE="true"/>'
    )
    cvs = []
    for cv, codes in vocabularies.items():
        cvs.append(f" <CONTROLLED_VOCABULARY CV_ID={quoteattr(cv)}>")
        cvs.append(f'  <DESCRIPTION LANG_REF="und">{escape(cv)}</DESCRIPTION>')
        for b in (scheme.behaviour(code) for code in codes):
            cvs.append(
                f"  <CV_ENTRY_ML CVE_ID={quoteattr('cve_' + b.code)}><CVE_VALUE"
                f' DESCRIPTION={quoteattr(b.name)} LANG_REF="und">{escape(b.code)}'
                "</CVE_VALUE></CV_ENTRY_ML>"
            )
        cvs.append(" </CONTROLLED_VOCABULARY>")
    date = datetime.now(UTC).replace(microsecond=0).isoformat()
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<ANNOTATION_DOCUMENT AUTHOR="Attune" DATE="{date}" FORMAT="3.0" VERSION="3.0"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            ' xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">',
            *header, " <TIME_ORDER>", *slots, " </TIME_ORDER>", *body, *types,
            ' <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00130975-001" LANG_ID="und"'
            ' LANG_LABEL="undetermined (und)"/>',
            ' <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation"'
            ' STEREOTYPE="Symbolic_Association"/>',
            *cvs, "</ANNOTATION_DOCUMENT>", "",
        ]
    )  # fmt: skip


def _header(project: Project, record: PassRecord, doc: _Doc) -> list[str]:
    lines = [' <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">']
    for medium in record.observation.media:
        where = project.media_path(medium)
        relative = os.path.relpath(where, project.path.resolve().parent)
        mime = "video/mp4" if where.suffix.lower() in (".mp4", ".m4v", ".mov") else "video/*"
        lines.append(
            f"  <MEDIA_DESCRIPTOR MEDIA_URL={quoteattr(where.as_uri())} MIME_TYPE={quoteattr(mime)}"
            f" RELATIVE_MEDIA_URL={quoteattr('./' + Path(relative).as_posix())}/>"
        )
    props = {
        "lastUsedAnnotationId": str(doc.count),
        PROPERTY + "observation": record.observation.name,
        PROPERTY + "coder": record.coder,
        PROPERTY + "participant": record.observation.participant,
        PROPERTY + "scheme": json.dumps(record.scheme.to_dict(), sort_keys=True),
    }
    for name, value in props.items():
        lines.append(f"  <PROPERTY NAME={quoteattr(name)}>{escape(value)}</PROPERTY>")
    lines.append(" </HEADER>")
    return lines


def _rating_tiers(record: PassRecord, doc: _Doc) -> list[str]:
    lines: list[str] = []
    scheme = record.scheme
    for scale in scheme.scales:
        segments = {s.code: s for s in record.segments(scale.code)}
        by_kind: dict[str, list[str]] = {}
        for rating in record.ratings:
            if rating.scale != scale.code or rating.segment not in segments:
                continue
            seg = segments[rating.segment]
            kind = "session" if seg.code == "session" else (
                "intervals" if seg.code.startswith("interval_") else "episodes"
            )  # fmt: skip
            end = seg.end_us if seg.end_us is not None else record.duration_us
            by_kind.setdefault(kind, []).append(
                f'  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="{doc.next_id()}" '
                f'TIME_SLOT_REF1="{doc.slot(_ms(seg.start_us))}" '
                f'TIME_SLOT_REF2="{doc.slot(_ms(end))}"><ANNOTATION_VALUE>'
                f"{escape(rating.segment)}={rating.value:g}</ANNOTATION_VALUE>"
                "</ALIGNABLE_ANNOTATION></ANNOTATION>"
            )
        for kind, items in by_kind.items():
            tier = f"{RATING_TIER}{scale.code}:{kind}"
            lines.append(
                f' <TIER LINGUISTIC_TYPE_REF="rating" TIER_ID={quoteattr(tier)}'
                f" ANNOTATOR={quoteattr(record.coder)}>"
            )
            lines.extend(items)
            lines.append(" </TIER>")
    return lines


def write_eaf(
    project: Project, records: Sequence[PassRecord], folder: Path, tiers: str = "group"
) -> list[Path]:
    """One ``.eaf`` per pass in ``folder`` (made when absent); ``tiers`` is ``"group"`` (a
    tier per exclusive group or behaviour) or ``"subject"`` (a tier per subject)."""
    if tiers not in TIER_LAYOUTS:
        raise InteropError(str(folder), f"tiers {tiers!r}: use one of {', '.join(TIER_LAYOUTS)}")
    if not records:
        raise InteropError(str(folder), "no coding passes to export")
    if folder.exists() and not folder.is_dir():
        raise InteropError(str(folder), "a file of that name exists; --eaf needs a folder")
    refuse_open_states(records, str(folder))
    names = [eaf_name(r) for r in records]
    if len(set(names)) != len(names):
        raise InteropError(str(folder), "two passes would share one file name")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for record, name in zip(records, names, strict=True):
        text = eaf_text(project, record, tiers)
        written.append(write_atomic(folder / name, functools.partial(_write_text, text=text)))
    return written


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
