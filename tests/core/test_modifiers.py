"""Modifiers: how a scheme declares them (keys, required, chosen as a state stops), how they
round-trip through the stored form, and how a pass enforces a required one."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from coder.coding import SessionError
from coder.coding.changes import Change
from coder.coding.modifier_asks import modifier_asks
from coder.scheme import SchemeError, load_scheme
from coder.scheme.parse import parse_scheme_data, parse_scheme_text
from tests.core.session_fixtures import SCHEME, make_session

HEAD = """
name: Test
subjects: [{code: infant}]
behaviours:
"""


def parse(behaviours: str):
    text = textwrap.dedent(HEAD).lstrip("\n") + textwrap.indent(textwrap.dedent(behaviours), "  ")
    return parse_scheme_text(text, source="m.yaml")


def test_a_list_is_chosen_by_digits_at_the_start() -> None:
    (cry,) = parse("- {code: cry, key: c, subject: infant, modifiers: [mild, strong]}").behaviours
    assert cry.modifiers == ("mild", "strong")
    assert [cry.modifier_key(i) for i in range(2)] == ["1", "2"]
    assert cry.modifier_for_key("2") == "strong"
    assert cry.modifier_for_key("3") is None
    assert cry.modifier_asked_at("start")
    assert not cry.modifier_asked_at("stop")
    assert not cry.modifier_required


def test_a_block_gives_keys_a_requirement_and_the_moment() -> None:
    (cry,) = parse(
        """
        - code: cry
          key: c
          subject: infant
          modifiers:
            values: [mild, strong]
            keys: [m, s]
            required: true
            when: stop
        """
    ).behaviours
    assert cry.modifier_keys == ("m", "s")
    assert cry.modifier_for_key("s") == "strong"
    assert cry.modifier_for_key("1") is None
    assert cry.modifier_required
    assert cry.modifier_asked_at("stop")
    assert not cry.modifier_asked_at("start")


def test_a_point_is_asked_when_it_is_logged() -> None:
    (reach,) = parse(
        "- {code: reach, key: r, kind: point, subject: infant, modifiers: [left, right]}"
    ).behaviours
    assert reach.modifier_asked_at("start")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "{values: [mild, strong], keys: [m]}",
            "m.yaml:4: behaviours[1].modifiers.keys: expected one key per modifier (2), got 1",
        ),
        (
            "{values: [mild, strong], keys: [m, m]}",
            "m.yaml:4: behaviours[1].modifiers.keys[2]: 'm' already chooses 'mild'",
        ),
        (
            "{values: [mild], keys: [mm]}",
            "m.yaml:4: behaviours[1].modifiers.keys[1]: expected one character, got the text 'mm'",
        ),
        (
            "{values: [mild], required: yes please}",
            "m.yaml:4: behaviours[1].modifiers.required: expected true or false, "
            "got the text 'yes please'",
        ),
        (
            "{values: [mild], when: later}",
            "m.yaml:4: behaviours[1].modifiers.when: unknown when 'later'; use 'start' or 'stop'",
        ),
        (
            "{keys: [m]}",
            "m.yaml:4: behaviours[1].modifiers.values: missing: list the modifiers, "
            "e.g. values: [mild, strong]",
        ),
        (
            "{values: [mild], wen: stop}",
            "m.yaml:4: behaviours[1].modifiers.wen: unknown field; did you mean 'when'?",
        ),
        (
            "[a, b, c, d, e, f, g, h, i, j]",
            "m.yaml:4: behaviours[1].modifiers: 10 modifiers are more than the digits 1–9 can "
            "choose: give each its key (keys: [...])",
        ),
    ],
)
def test_a_bad_modifier_block_is_refused_with_its_line(block: str, message: str) -> None:
    with pytest.raises(SchemeError) as refused:
        parse(f"- {{code: cry, key: c, subject: infant, modifiers: {block}}}")
    assert str(refused.value) == message


def test_a_point_cannot_be_asked_as_it_stops() -> None:
    with pytest.raises(SchemeError, match="only a state is asked for its modifier as it stops"):
        parse(
            "- {code: r, key: r, kind: point, subject: infant, "
            "modifiers: {values: [a], when: stop}}"
        )


def test_the_stored_form_round_trips_and_plain_lists_keep_their_hash() -> None:
    scheme = load_scheme("responsiveness")
    plain = scheme.to_dict()
    cry = next(b for b in plain["behaviours"] if b["modifiers"])
    assert isinstance(cry["modifiers"], list)  # unchanged shape: stored hashes stay valid
    assert parse_scheme_data(plain) == scheme
    behaviours = tuple(
        replace(b, modifier_keys=("m", "s"), modifier_required=True, modifier_when="stop")
        if b.code == "cry"
        else b
        for b in SCHEME.behaviours
    )
    richer = replace(SCHEME, behaviours=behaviours)
    stored = richer.to_dict()
    assert next(b for b in stored["behaviours"] if b["code"] == "cry")["modifiers"] == {
        "values": ["mild", "strong"],
        "keys": ["m", "s"],
        "required": True,
        "when": "stop",
    }
    assert parse_scheme_data(stored) == richer
    assert richer.content_hash != SCHEME.content_hash


def test_a_required_modifier_refuses_mark_done_until_chosen() -> None:
    behaviours = tuple(
        replace(b, modifier_required=True) if b.code == "cry" else b for b in SCHEME.behaviours
    )
    session, _ = make_session()
    session.scheme = replace(SCHEME, behaviours=behaviours)
    cry = session.start("cry", 10)
    session.stop("cry", 20)
    session.point("reach", 30)  # no modifiers declared: never lacking
    assert session.lacking_modifiers() == [session.event(cry.id or 0)]
    lacking = "a modifier is required but not chosen: Cry at frame 10"
    with pytest.raises(SessionError, match=lacking):
        session.mark_done()
    session.edit_event(cry.id or 0, modifiers=["strong"])
    assert session.lacking_modifiers() == []
    session.mark_done()


def test_a_pass_asks_for_modifiers_as_its_scheme_says() -> None:
    behaviours = tuple(
        replace(b, modifier_when="stop")
        if b.code == "cry"
        else replace(b, modifiers=("left", "right"))
        if b.code in ("reach", "touch")
        else b
        for b in SCHEME.behaviours
    )
    scheme = replace(SCHEME, behaviours=behaviours)
    session, _ = make_session()
    session.scheme = scheme
    changes: list[Change] = []
    session.subscribe(changes.append)

    def asked() -> list[str]:
        return [e.behaviour for e in modifier_asks(scheme, changes[-1])]

    session.start("cry", 10)
    assert asked() == []  # cry asks as it stops
    session.start("touch", 12)
    assert asked() == ["touch"]
    session.stop("cry", 20)
    assert asked() == ["cry"]
    session.point("reach", 25, modifiers=["left"])
    assert asked() == []  # chosen already
    session.point("reach", 26)
    assert asked() == ["reach"]
    session.start("look_cg", 30)
    assert asked() == []  # no modifiers declared
    session.undo()
    session.undo()
    assert asked() == []  # an undo or redo asks nothing
    session.redo()
    assert asked() == []
    session.stop_all(40)
    assert asked() == []  # touch asks as it starts, not as it stops
