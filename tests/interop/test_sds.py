"""The GSEQ SDS file of the demo, read back by a parser of the timed-event SDIS grammar.

The grammar checked (from the notes on BORIS's SDIS export and Bakeman & Quera's SDIS)::

    file        = { comment } declaration { session }
    comment     = "%" text end-of-line
    declaration = "Timed" [ "<" unit ">" ] { code | "(" code code { code } ")" } ";"
    session     = [ "<" label ">" ] "," time { code "," time [ "-" time ] } "," time "/"
    code        = letter { letter | digit | "_" }
    time        = digits [ "." digits ]
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import pytest

from coder.demo.project import make_demo_project
from coder.interop import write_sds
from coder.project import Project

_TOKEN = re.compile(r"\s*(<[^<>]*>|[(),;/\-]|[A-Za-z][A-Za-z0-9_]*|\d+(?:\.\d+)?)")
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass
class Sds:
    unit: str
    codes: list[str]
    sets: list[list[str]]
    sessions: dict[str, tuple[float, float, list[tuple[str, float, float | None]]]] = field(
        default_factory=dict
    )


def tokens(text: str) -> list[str]:
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    found, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = _TOKEN.match(text, at)
        assert match is not None, f"unexpected text at {at}: {text[at : at + 20]!r}"
        found.append(match.group(1))
        at = match.end()
    return found


def parse(text: str) -> Sds:
    items = tokens(text)
    pos = 0

    def take(expected: str | None = None) -> str:
        nonlocal pos
        assert pos < len(items), f"the file ends early (expected {expected})"
        item = items[pos]
        pos += 1
        if expected is not None:
            assert item == expected, f"expected {expected!r}, got {item!r} (token {pos})"
        return item

    def time() -> float:
        item = take()
        assert re.fullmatch(r"\d+(\.\d+)?", item), f"not a time: {item!r}"
        return float(item)

    take("Timed")
    unit = take()[1:-1] if items[pos].startswith("<") else ""
    codes: list[str] = []
    sets: list[list[str]] = []
    while items[pos] != ";":
        if items[pos] == "(":
            take("(")
            members = []
            while items[pos] != ")":
                members.append(take())
            take(")")
            assert len(members) >= 2, "a set has at least two codes"
            sets.append(members)
            codes.extend(members)
        else:
            codes.append(take())
    take(";")
    assert all(_CODE.fullmatch(c) for c in codes)
    assert len(set(codes)) == len(codes), "a code is declared twice"
    sds = Sds(unit, codes, sets)
    while pos < len(items):
        label = take()[1:-1] if items[pos].startswith("<") else f"session {len(sds.sessions) + 1}"
        take(",")
        start = time()
        events: list[tuple[str, float, float | None]] = []
        while items[pos] != ",":
            code = take()
            assert code in codes, f"{code!r} is not declared"
            take(",")
            onset = time()
            offset = None
            if items[pos] == "-":
                take("-")
                offset = time()
                assert offset > onset, f"{code} ends before it starts"
            events.append((code, onset, offset))
        take(",")
        end = time()
        take("/")
        assert label not in sds.sessions
        sds.sessions[label] = (start, end, events)
    return sds


@pytest.fixture(scope="module")
def demo_sds(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    path = make_demo_project(folder, seconds=4.0, size=(160, 90), fps=25)
    with Project.open(path) as project:
        obs = project.observations[0]
        a = project.start_coding(obs, "AB")
        for code, frame in [("gaze_caregiver", 3), ("gaze_away", 20), ("gaze_object", 41)]:
            a.toggle(code, frame)
        a.toggle("gaze_object", 70)
        a.toggle("affect_positive", 0)
        a.toggle("affect_neutral", 50)
        a.toggle("affect_neutral", 100)  # to the end
        a.point("cry", 12, modifiers=["strong"])
        a.toggle("cg_touch", 10)
        a.toggle("cg_touch", 99)
        b = project.start_coding(obs, "CD")
        b.toggle("gaze_away", 0)
        b.point("reach", 30)
        b.stop("gaze_away", 100)
    with Project.open(path, read_only=True) as project:
        records = project.load_passes(project.passes())
        write_sds(project, records, folder / "demo.sds")
    return (folder / "demo.sds").read_text(encoding="utf-8")


def test_demo_sds_follows_the_timed_event_grammar(demo_sds: str) -> None:
    sds = parse(demo_sds)
    assert sds.unit == "seconds"
    assert sorted(sds.sessions) == ["Demo home visit AB", "Demo home visit CD"]
    start, end, events = sds.sessions["Demo home visit AB"]
    assert (start, end) == (0.0, 4.0)
    assert ("gaze_caregiver", 0.12, 0.8) in events
    assert ("cry", 0.48, 0.481) in events  # a point lasts one millisecond
    assert ("cg_touch", 0.4, 4.0) in events  # stopped on the last frame: with the media


def test_exclusive_groups_are_declared_as_sets_that_tile_each_session(demo_sds: str) -> None:
    sds = parse(demo_sds)
    assert ["gaze_caregiver", "gaze_object", "gaze_away", "infant_gaze_none"] in sds.sets
    assert [
        "affect_positive",
        "affect_neutral",
        "affect_negative",
        "infant_affect_none",
    ] in sds.sets
    for start, end, events in sds.sessions.values():
        for members in sds.sets:
            spans = sorted((on, off) for code, on, off in events if code in members)
            assert spans[0][0] == start
            for (_on, off), (next_on, _off) in itertools.pairwise(spans):
                assert off == next_on, "a set's codes neither overlap nor leave a gap"
            assert spans[-1][1] == end
