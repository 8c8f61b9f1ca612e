"""Scheme rules beyond single mistakes: defaults, keys against the player's map, scale values."""

from __future__ import annotations

import textwrap

import pytest

from coder.keys import default_keymap, reserved_keys
from coder.scheme import Scale, SchemeError
from coder.scheme.parse import PALETTE, parse_scheme_data, parse_scheme_text


def parse(text: str, **kwargs):
    return parse_scheme_text(textwrap.dedent(text).lstrip("\n"), source="s.yaml", **kwargs)


MINIMAL = """
name: Minimal
behaviours:
  - {code: cry, key: c}
  - {code: reach, key: r, kind: point}
"""


def test_defaults_are_filled_in() -> None:
    scheme = parse(MINIMAL)
    assert scheme.version == "1"
    assert (scheme.description, scheme.citation, scheme.subjects, scheme.scales) == ("", "", (), ())
    cry, reach = scheme.behaviours
    assert (cry.name, cry.kind, cry.subject, cry.group, cry.modifiers) == (
        "cry",
        "state",
        "",
        None,
        (),
    )
    assert reach.kind == "point"
    assert (cry.colour, reach.colour) == PALETTE[:2]
    assert scheme.segments.interval_s is None
    assert scheme.segments.episodes == ()


def test_scale_defaults_and_rated_on_forms() -> None:
    scheme = parse(
        """
        name: S
        segments:
          interval_s: 60
          episodes: [{code: play}, {code: reunion, nominal_s: 90.5}]
        scales:
          - {code: a, min: 1, max: 5}
          - {code: b, min: 0, max: 1, step: 0.5, kind: interval, rated_on: episodes}
          - {code: c, min: 1, max: 3, rated_on: [session, intervals, reunion]}
        """
    )
    a, b, c = scheme.scales
    assert (a.step, a.kind, a.rated_on, a.anchors) == (1, "ordinal", ("session",), {})
    assert (b.step, b.kind, b.rated_on) == (0.5, "interval", ("episodes",))
    assert c.rated_on == ("session", "intervals", "reunion")
    assert scheme.segments.episodes[1].nominal_s == 90.5
    assert scheme.segments.episodes[0].name == "play"


def test_upper_case_key_means_shift_and_is_distinct_from_lower_case() -> None:
    scheme = parse(
        """
        name: K
        behaviours:
          - {code: cry, key: c}
          - {code: cry_hard, key: C}
        """
    )
    assert scheme.behaviour_for_key("c").code == "cry"
    assert scheme.behaviour_for_key("Shift+C").code == "cry_hard"


def test_player_keys_come_from_the_users_keymap() -> None:
    keymap = default_keymap()
    keymap["play_pause"] = ("k",)
    text = "name: K\nbehaviours:\n  - {code: cry, key: k}\n"
    with pytest.raises(SchemeError) as caught:
        parse_scheme_text(text, source="s.yaml", reserved_keys=reserved_keys(keymap))
    assert (
        str(caught.value) == "s.yaml:3: behaviours[1].key: 'k' is the player's \"Play / pause\" key"
    )
    assert parse_scheme_text(text).behaviours[0].key == "k"  # the shipped map leaves k free


def test_reserved_keys_as_a_plain_list_are_normalised() -> None:
    text = "name: K\nbehaviours:\n  - {code: cry, key: X}\n"
    with pytest.raises(SchemeError) as caught:
        parse_scheme_text(text, source="s.yaml", reserved_keys=["shift+x"])
    assert str(caught.value) == "s.yaml:3: behaviours[1].key: 'X' is one of the player's keys"
    assert parse_scheme_text(text, reserved_keys=["x"]).behaviours[0].key == "X"


def test_empty_reserved_keys_check_none_but_digits_stay_for_ratings() -> None:
    free = parse_scheme_text(
        "name: K\nbehaviours:\n  - {code: pause, key: '+'}\n", reserved_keys=[]
    )
    assert free.behaviours[0].key == "+"
    with pytest.raises(SchemeError, match="'7' is kept for ratings"):
        parse_scheme_text("name: K\nbehaviours:\n  - {code: c, key: '7'}\n", reserved_keys=())


def test_subject_is_checked_against_the_subjects() -> None:
    scheme = parse(
        """
        name: S
        subjects:
          - {code: infant, name: Infant, description: The baby}
        groups:
          - {code: gaze, name: Gaze, exclusive: true}
        behaviours:
          - {code: look, key: l, subject: infant, group: gaze, colour: "#AABBCC"}
        """
    )
    look = scheme.behaviours[0]
    assert (look.subject, look.group, look.colour) == ("infant", "gaze", "#aabbcc")
    assert scheme.subjects[0].description == "The baby"
    assert scheme.group("gaze").exclusive


def test_plain_data_accepts_text_anchor_points_and_tuples() -> None:
    scheme = parse_scheme_data(
        {
            "name": "D",
            "scales": [
                {
                    "code": "s",
                    "min": 1,
                    "max": 3,
                    "kind": "nominal",
                    "anchors": {"1": "A", "2.0": "B", "3": "C"},
                    "rated_on": ("session",),
                }
            ],
        }
    )
    assert scheme.scales[0].anchors == {1: "A", 2: "B", 3: "C"}


def test_yaml_merge_keys_and_multi_line_items_keep_their_lines() -> None:
    text = """
    name: M
    base: &base {kind: point, subject: infant}
    """
    with pytest.raises(SchemeError, match=r"^s\.yaml:2: base: unknown field"):
        parse(text)
    scheme = parse(
        """
        name: M
        subjects: [{code: infant}]
        behaviours:
          - &cry {code: cry, key: c, kind: point, subject: infant}
          - {<<: *cry, code: coo, key: o}
        """
    )
    assert scheme.behaviour("coo").kind == "point"
    with pytest.raises(SchemeError) as caught:
        parse(
            """
            name: M
            behaviours:
              - {code: cry, key: c,
                 colour: blue}
            """
        )
    assert caught.value.line == 4


def test_accepts_values_on_the_steps_inside_the_range() -> None:
    half = Scale("s", "S", 1, 5, step=0.5)
    assert half.accepts(1)
    assert half.accepts(4.5)
    assert half.accepts(5)
    assert not half.accepts(4.25)
    assert not half.accepts(0.5)
    assert not half.accepts(5.5)
    thirds = Scale("t", "T", 0, 1, step=0.1)
    assert thirds.accepts(0.3)  # 0.1 * 3 is not exactly 0.3 in floating point


def test_nearest_anchor_prefers_the_lower_anchor_on_a_tie() -> None:
    scheme = load_ainsworth()
    sensitivity = scheme.scale("sensitivity")
    assert sensitivity.nearest_anchor(9)[0] == 9
    assert sensitivity.nearest_anchor(8)[0] == 7
    assert sensitivity.nearest_anchor(2)[0] == 1
    assert sensitivity.nearest_anchor(6.4)[0] == 7
    assert sensitivity.nearest_anchor(5)[1].startswith("Inconsistently sensitive")
    assert Scale("n", "N", 1, 9).nearest_anchor(3) is None


def load_ainsworth():
    from coder.scheme import load_scheme

    return load_scheme("ainsworth_sensitivity")
