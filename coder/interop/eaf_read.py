"""ELAN annotation documents (``.eaf``) as one coding pass, parsed safely.

Time-aligned tiers become behaviour groups: a tier with a controlled vocabulary gets one
behaviour per entry (its annotations never overlap, so the group is exclusive), a free-text
tier is one behaviour whose annotations keep their value as the comment. Annotations become
state events; the tier's participant becomes the subject; media descriptors the observation's
media. Dependent tiers keep their parent: the values of a symbolically associated (or
subdivided) tier are modifiers of the parent's event, an included-in tier's annotations are
events of their own group whose comment names the parent annotation they lie in. External
controlled vocabularies (``.ecv``) are read when the file is beside the EAF and reported when
not. A file Attune wrote carries its scheme (a header ``PROPERTY``), so points, names and
ratings come back. Every problem names its XML line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlparse

from coder.interop.errors import InteropError
from coder.interop.model import Interchange, MediaRef, PassData, TimedEvent, TimedRating
from coder.interop.safexml import Node, parse_xml
from coder.interop.schemebuild import SchemeBuilder
from coder.scheme import Scheme, SchemeError, scheme_from_dict

PROPERTY = "attune:"
RATING_TIER = "attune-rating:"
ALIGNED = ("Included_In", "Time_Subdivision")
REFERRING = ("Symbolic_Association", "Symbolic_Subdivision")
NO_PARTICIPANT = "unspecified"
#: The linguistic type of an associated tier that holds its parent's comments (not modifiers).
COMMENT_TYPE = "attune-comment"


@dataclass(frozen=True, slots=True)
class _Annotation:
    id: str
    start_us: int | None
    end_us: int | None
    value: str
    ref: str  # the parent annotation of a referring annotation
    line: int


@dataclass(frozen=True, slots=True)
class _Tier:
    id: str
    type: str
    participant: str
    annotator: str
    parent: str
    annotations: tuple[_Annotation, ...]
    line: int


def read_eaf(path: str | Path) -> Interchange:
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InteropError(source, f"cannot read the file ({exc.strerror or exc})") from None
    root = parse_xml(raw, source)
    if root.tag != "ANNOTATION_DOCUMENT":
        raise InteropError(source, f"line {root.line}: not an ELAN file (<{root.tag}>)")
    problems: list[str] = []
    notes: list[str] = []
    header = root.find("HEADER")
    if header is None:
        raise InteropError(source, f"line {root.line}: HEADER missing")
    units = header.attrs.get("TIME_UNITS", "milliseconds")
    if units != "milliseconds":
        problems.append(f"line {header.line}: TIME_UNITS {units!r}: only milliseconds are read")
    props = {p.attrs.get("NAME", ""): p.text for p in header.all("PROPERTY")}
    media, origin = _media(header, path, notes)
    slots = _slots(root, problems)
    types = {t.attrs.get("LINGUISTIC_TYPE_ID", ""): t for t in root.all("LINGUISTIC_TYPE")}
    vocabularies = _vocabularies(root, path, problems, notes)
    tiers = [_tier(t, slots, origin, problems) for t in root.all("TIER")]
    if problems:
        raise InteropError(source, problems)
    scheme = _embedded(props, notes)
    builder = None if scheme is not None else SchemeBuilder(path.stem, source)
    events: list[TimedEvent] = []
    ratings: list[TimedRating] = []
    by_id = {t.id: t for t in tiers}
    annotation_events: dict[str, int] = {}
    for tier in tiers:
        ltype = types.get(tier.type)
        constraint = ltype.attrs.get("CONSTRAINTS", "") if ltype is not None else ""
        if ltype is None:
            problems.append(f"line {tier.line}: tier {tier.id!r}: unknown type {tier.type!r}")
            continue
        if tier.id.startswith(RATING_TIER):
            ratings.extend(_ratings(tier, scheme, problems, notes))
            continue
        if constraint in REFERRING:
            continue  # read below, once their parents' events exist
        cv = vocabularies.get(ltype.attrs.get("CONTROLLED_VOCABULARY_REF", ""))
        notes.extend(
            _tier_events(
                tier, cv, scheme, builder, by_id, events, annotation_events, constraint, problems
            )
        )
    for tier in tiers:
        ltype = types.get(tier.type)
        if ltype is not None and ltype.attrs.get("CONSTRAINTS", "") in REFERRING:
            comments = ltype.attrs.get("LINGUISTIC_TYPE_ID") == COMMENT_TYPE
            _modifiers(tier, events, annotation_events, builder, comments, problems)
    if problems:
        raise InteropError(source, problems)
    if builder is not None:
        scheme = builder.build("Imported from an ELAN file.")
        notes.extend(builder.notes)
    assert scheme is not None
    annotators = {t.annotator for t in tiers if t.annotator}
    coder = props.get(PROPERTY + "coder") or (annotators.pop() if len(annotators) == 1 else "")
    data = PassData(
        observation=props.get(PROPERTY + "observation") or path.stem,
        coder=coder,
        media=tuple(media),
        events=tuple(sorted(events, key=lambda e: e.onset_us)),
        ratings=tuple(ratings),
        participant=props.get(PROPERTY + "participant", ""),
        place=f"{path.name}:{root.line}",
    )
    aliases = {e.source_code: e.code for e in events}
    return Interchange(
        "eaf", path, hashlib.sha256(raw).hexdigest(), scheme, (data,), tuple(notes), aliases
    )


# ------------------------------------------------------------------ document parts
def _media(header: Node, path: Path, notes: list[str]) -> tuple[list[MediaRef], int]:
    media: list[MediaRef] = []
    origin = 0
    for d in header.all("MEDIA_DESCRIPTOR"):
        mime = d.attrs.get("MIME_TYPE", "")
        if mime.startswith("audio") or d.attrs.get("EXTRACTED_FROM"):
            notes.append(f"line {d.line}: {mime or 'extracted'} media left out (sound of a video)")
            continue
        url = d.attrs.get("MEDIA_URL", "")
        relative = d.attrs.get("RELATIVE_MEDIA_URL", "")
        where = _file_of(url)
        if relative:
            beside = (path.parent / _file_of(relative)).resolve()
            if beside.is_file() or not where:
                where = str(beside)
        shift = (
            int(d.attrs.get("TIME_ORIGIN", "0") or 0) * 1000
            if d.attrs.get("TIME_ORIGIN", "0").isdigit()
            else 0
        )
        if not media:
            origin = shift
        elif shift:
            notes.append(f"line {d.line}: the TIME_ORIGIN of a second video is not kept")
        media.append(MediaRef(where))
    return media, origin


def _file_of(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme in ("file", ""):
        text = unquote(parsed.path if parsed.scheme else url)
        return text[1:] if text.startswith("/") and text[2:3] == ":" else text
    return url


def _slots(root: Node, problems: list[str]) -> dict[str, int | None]:
    slots: dict[str, int | None] = {}
    order = root.find("TIME_ORDER")
    for slot in order.all("TIME_SLOT") if order is not None else []:
        ident = slot.attrs.get("TIME_SLOT_ID", "")
        value = slot.attrs.get("TIME_VALUE")
        if value is None:
            slots[ident] = None  # unaligned: placed between its neighbours in a tier
        elif value.strip().isdigit():
            slots[ident] = int(value) * 1000
        else:
            problems.append(
                f"line {slot.line}: TIME_SLOT {ident!r}: TIME_VALUE {value!r} is not a number "
                "of milliseconds"
            )
    return slots


def _vocabularies(
    root: Node, path: Path, problems: list[str], notes: list[str]
) -> dict[str, list[tuple[str, str]]]:
    """CV id → [(value, description)]; external ones read from beside the file."""
    refs = {
        e.attrs.get("EXT_REF_ID", ""): e.attrs.get("VALUE", "") for e in root.all("EXTERNAL_REF")
    }
    result: dict[str, list[tuple[str, str]]] = {}
    external: dict[str, Node] = {}
    for cv in root.all("CONTROLLED_VOCABULARY"):
        ident = cv.attrs.get("CV_ID", "")
        if "EXT_REF" in cv.attrs:
            url = refs.get(cv.attrs["EXT_REF"], "")
            beside = path.parent / Path(_file_of(url)).name
            if not url or not beside.is_file():
                notes.append(
                    f"line {cv.line}: the external vocabulary {ident!r} ({url or 'no address'}) is "
                    f"not beside the file; its entries are taken from the annotations"
                )
                result[ident] = []
                continue
            if str(beside) not in external:
                external[str(beside)] = parse_xml(beside.read_bytes(), str(beside))
            found = [
                c for c in external[str(beside)].all("CONTROLLED_VOCABULARY")
                if c.attrs.get("CV_ID") == ident
            ]  # fmt: skip
            if not found:
                problems.append(f"line {cv.line}: {beside.name} has no vocabulary {ident!r}")
                continue
            cv = found[0]
        entries = []
        for entry in cv.all("CV_ENTRY_ML"):
            value = entry.find("CVE_VALUE")
            if value is not None and value.text:
                entries.append((value.text, value.attrs.get("DESCRIPTION", "")))
        for entry in cv.all("CV_ENTRY"):  # the older form
            if entry.text:
                entries.append((entry.text, entry.attrs.get("DESCRIPTION", "")))
        result[ident] = entries
    return result


def _tier(node: Node, slots: Mapping[str, int | None], origin: int, problems: list[str]) -> _Tier:
    ident = node.attrs.get("TIER_ID", "")
    annotations = []
    for wrapper in node.all("ANNOTATION"):
        for child in wrapper.children:
            value_node = child.find("ANNOTATION_VALUE")
            value = value_node.text if value_node is not None else ""
            ann_id = child.attrs.get("ANNOTATION_ID", "")
            if child.tag == "ALIGNABLE_ANNOTATION":
                times = []
                for ref in ("TIME_SLOT_REF1", "TIME_SLOT_REF2"):
                    slot = child.attrs.get(ref, "")
                    if slot not in slots:
                        problems.append(
                            f"line {child.line}: {ann_id}: {ref} {slot!r} is no time slot"
                        )
                    times.append(slots.get(slot))
                start, end = (None if t is None else t + origin for t in times)
                annotations.append(_Annotation(ann_id, start, end, value, "", child.line))
            elif child.tag == "REF_ANNOTATION":
                ref = child.attrs.get("ANNOTATION_REF", "")
                annotations.append(_Annotation(ann_id, None, None, value, ref, child.line))
    return _Tier(
        ident, node.attrs.get("LINGUISTIC_TYPE_REF", ""), node.attrs.get("PARTICIPANT", ""),
        node.attrs.get("ANNOTATOR", ""), node.attrs.get("PARENT_REF", ""),
        _place_unaligned(tuple(annotations)), node.line,
    )  # fmt: skip


def _place_unaligned(annotations: tuple[_Annotation, ...]) -> tuple[_Annotation, ...]:
    """Unaligned boundaries (subdivisions) placed evenly between the aligned ones around them."""
    bounds = [b for a in annotations if not a.ref for b in (a.start_us, a.end_us)]
    if None not in bounds or not bounds:
        return annotations
    filled = list(bounds)
    n = 0
    while n < len(filled):
        if filled[n] is None:
            m = n
            while m < len(filled) and filled[m] is None:
                m += 1
            before = filled[n - 1] if n > 0 else None
            after = filled[m] if m < len(filled) else None
            if before is None or after is None:
                return annotations  # nothing to place it by; refused later with its line
            step = (after - before) / (m - n + 1)
            for k in range(n, m):
                filled[k] = round(before + step * (k - n + 1))
            n = m
        n += 1
    result, k = [], 0
    for a in annotations:
        if a.ref:
            result.append(a)
            continue
        result.append(_Annotation(a.id, filled[k], filled[k + 1], a.value, a.ref, a.line))
        k += 2
    return tuple(result)


def _embedded(props: Mapping[str, str], notes: list[str]) -> Scheme | None:
    text = props.get(PROPERTY + "scheme")
    if not text:
        return None
    try:
        return scheme_from_dict(json.loads(text), source="attune:scheme")
    except (ValueError, SchemeError) as exc:
        notes.append(f"Attune's scheme in the file is not usable ({exc}); read the tiers")
        return None


def _tier_events(
    tier: _Tier,
    cv: list[tuple[str, str]] | None,
    scheme: Scheme | None,
    builder: SchemeBuilder | None,
    tiers: Mapping[str, _Tier],
    events: list[TimedEvent],
    annotation_events: dict[str, int],
    constraint: str,
    problems: list[str],
) -> list[str]:
    notes: list[str] = []
    subject = ""
    group = ""
    if builder is not None:
        participants = {t.participant for t in tiers.values()}
        if any(participants):
            subject = builder.subject(tier.participant or NO_PARTICIPANT)
        group = builder.group(tier.id, exclusive=cv is not None, name=tier.id)
        for value, description in cv or ():
            builder.behaviour(value, kind="state", subject=subject, group=group,
                              key=value[:1], name=value, description=description)  # fmt: skip
    parent = tiers.get(tier.parent) if constraint in ALIGNED else None
    for a in tier.annotations:
        place = f"line {a.line}"
        if a.start_us is None or a.end_us is None:
            problems.append(f"{place}: annotation {a.id} of tier {tier.id!r} has no time")
            continue
        if a.end_us <= a.start_us:
            problems.append(f"{place}: annotation {a.id} of tier {tier.id!r} ends before it starts")
            continue
        comment = ""
        if scheme is not None:
            code = a.value
            if not scheme.has_behaviour(code):
                problems.append(f"{place}: {code!r} is not a behaviour of the file's scheme")
                continue
            is_state = scheme.behaviour(code).is_state
        else:
            assert builder is not None
            is_state = True
            if cv is not None:
                source_code = a.value
            else:
                source_code = tier.id
                comment = a.value
            if cv and a.value not in {v for v, _d in cv}:
                notes.append(f"{place}: {a.value!r} is not in the vocabulary of tier {tier.id!r}")
            code = builder.behaviour(source_code, kind="state", subject=subject, group=group,
                                     key=source_code[:1], name=source_code)  # fmt: skip
        if parent is not None:
            host = next(
                (p for p in parent.annotations if p.start_us is not None and p.end_us is not None
                 and p.start_us <= a.start_us and a.end_us <= p.end_us), None,
            )  # fmt: skip
            if host is None:
                problems.append(
                    f"{place}: annotation {a.id} of tier {tier.id!r} lies in no annotation of "
                    f"its parent tier {parent.id!r}"
                )
                continue
            comment = f"{comment}; " if comment else ""
            comment += f"in {parent.id}: {host.value}"
        annotation_events[a.id] = len(events)
        events.append(
            TimedEvent(
                code, a.start_us, a.end_us if is_state else None, is_state, (), comment,
                a.value if cv is not None or scheme is not None else tier.id, place,
            )
        )  # fmt: skip
    return notes


def _modifiers(
    tier: _Tier,
    events: list[TimedEvent],
    annotation_events: Mapping[str, int],
    builder: SchemeBuilder | None,
    comments: bool,
    problems: list[str],
) -> None:
    """Values of an associated tier as modifiers (or comments) of their parents' events."""
    for a in tier.annotations:
        n = annotation_events.get(a.ref)
        if n is None:
            problems.append(
                f"line {a.line}: annotation {a.id} of tier {tier.id!r} refers to {a.ref!r}, "
                "which is no event's annotation"
            )
            continue
        event = events[n]
        if comments:
            events[n] = replace(event, comment=a.value)
            continue
        values = tuple(v.strip() for v in a.value.split("|") if v.strip())
        events[n] = replace(event, modifiers=tuple(dict.fromkeys((*event.modifiers, *values))))
        if builder is not None:
            for value in values:
                builder.add_modifier(event.code, value)


def _ratings(
    tier: _Tier, scheme: Scheme | None, problems: list[str], notes: list[str]
) -> list[TimedRating]:
    scale = tier.id[len(RATING_TIER) :].split(":")[0]
    if scheme is None or not scheme.has_scale(scale):
        notes.append(f"line {tier.line}: ratings of {scale!r} left out (no such scale)")
        return []
    result = []
    for a in tier.annotations:
        segment, _sep, value = a.value.rpartition("=")
        try:
            result.append(TimedRating(scale, segment.strip(), float(value), f"line {a.line}"))
        except ValueError:
            problems.append(f"line {a.line}: rating {a.value!r} is not segment=value")
    return result
