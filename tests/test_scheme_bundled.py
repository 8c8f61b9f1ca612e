"""The schemes shipped in ``schemes/``: they load, survive storage, and hash stably."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from coder.keys import normalize_key, reserved_keys
from coder.scheme import BUNDLED_DIR, Scheme, bundled_schemes, load_scheme, scheme_from_dict
from coder.scheme.parse import parse_scheme_data, parse_scheme_text

NAMES = [
    "ainsworth_sensitivity",
    "attachment_qset",
    "emotional_availability",
    "emotional_availability_4th",
    "maternal_behaviour_qsort",
    "qsort_demo",
    "responsiveness",
    "responsiveness_ratings",
    "strange_situation",
    "still_face",
]


def test_every_expected_scheme_is_bundled() -> None:
    assert set(NAMES) <= set(bundled_schemes())


@pytest.mark.parametrize("name", NAMES)
def test_bundled_scheme_loads_by_name_and_by_path_alike(name: str) -> None:
    by_name = load_scheme(name)
    by_path = load_scheme(BUNDLED_DIR / f"{name}.yaml")
    by_text = load_scheme(str(BUNDLED_DIR / f"{name}.yaml"))
    assert by_name == by_path == by_text
    assert by_name.name
    assert by_name.description
    assert by_name.citation
    assert by_name.behaviours or by_name.scales or by_name.qsorts


@pytest.mark.parametrize("name", NAMES)
def test_stored_json_round_trips_to_an_equal_scheme(name: str) -> None:
    scheme = load_scheme(name)
    stored = json.dumps(scheme.to_dict())  # what a project writes
    again = parse_scheme_data(json.loads(stored))
    assert again == scheme
    assert scheme_from_dict(json.loads(stored)) == scheme
    assert again.content_hash == scheme.content_hash
    assert again.to_dict() == json.loads(stored)


@pytest.mark.parametrize("name", NAMES)
def test_to_dict_fills_every_default(name: str) -> None:
    data = load_scheme(name).to_dict()
    assert set(data) == {f.name for f in dataclasses.fields(Scheme)}
    for behaviour in data["behaviours"]:
        assert set(behaviour) >= {"kind", "subject", "group", "colour", "modifiers"}
        assert re.fullmatch(r"#[0-9a-f]{6}", behaviour["colour"])
    for scale in data["scales"]:
        assert set(scale) >= {"step", "kind", "anchors", "rated_on"}
        assert all(isinstance(point, str) for point in scale["anchors"])
    assert set(data["segments"]) == {"interval_s", "episodes"}


@pytest.mark.parametrize("name", NAMES)
def test_no_bundled_key_collides_with_the_player_or_another_behaviour(name: str) -> None:
    scheme = load_scheme(name)
    keys = [normalize_key(b.key) for b in scheme.behaviours]
    assert len(keys) == len(set(keys))
    assert not set(keys) & set(reserved_keys())
    assert all(scheme.behaviour_for_key(normalize_key(b.key)) == b for b in scheme.behaviours)


def test_content_hash_is_stable_across_loads_and_layout() -> None:
    first, second = load_scheme("responsiveness"), load_scheme("responsiveness")
    assert first.content_hash == second.content_hash
    assert re.fullmatch(r"[0-9a-f]{64}", first.content_hash)
    # the same scheme written differently: block style, anchors in another order, 9.0 for 9
    a = parse_scheme_text(
        "name: S\nscales:\n  - {code: s, min: 1, max: 9, anchors: {9: high, 1: low}}\n"
    )
    b = parse_scheme_text(
        "name: S\nversion: '1'\nscales:\n  - code: s\n    min: 1.0\n    max: 9\n"
        "    step: 1\n    anchors:\n      1: low\n      9.0: high\n"
    )
    assert a == b
    assert a.content_hash == b.content_hash


def test_content_hash_changes_when_any_field_changes() -> None:
    scheme = load_scheme("responsiveness")
    cry = scheme.behaviour("cry")
    variants = [
        dataclasses.replace(scheme, version="1.1"),
        dataclasses.replace(
            scheme,
            behaviours=(dataclasses.replace(cry, colour="#000000"), *scheme.behaviours[1:]),
        ),
        dataclasses.replace(
            scheme,
            contingencies=(
                dataclasses.replace(scheme.contingencies[0], window_s=2),
                *scheme.contingencies[1:],
            ),
        ),
    ]
    sens = load_scheme("ainsworth_sensitivity")
    scale = sens.scales[0]
    variants.append(
        dataclasses.replace(
            sens, scales=(dataclasses.replace(scale, anchors={**scale.anchors, 9: "x"}),)
        )
    )
    hashes = {v.content_hash for v in variants}
    assert len(hashes) == len(variants)
    assert scheme.content_hash not in hashes
    assert sens.content_hash not in hashes


def test_responsiveness_is_a_one_handed_letters_only_demo() -> None:
    scheme = load_scheme("responsiveness")
    assert {s.code for s in scheme.subjects} == {"infant", "caregiver"}
    assert all(len(b.key) == 1 and b.key.isalpha() for b in scheme.behaviours)
    left_hand = set("qwertasdfgzxcvb")
    assert {b.key for b in scheme.behaviours} <= left_hand
    exclusive = {g.code for g in scheme.groups if g.exclusive}
    assert {"infant_gaze", "infant_affect"} <= exclusive
    assert set(scheme.exclusive_partners("gaze_caregiver")) == {"gaze_object", "gaze_away"}
    assert scheme.behaviour("gaze_caregiver").is_state
    assert not scheme.behaviour("cry").is_state
    responds = scheme.contingencies[0]
    assert responds.window_s == 3
    assert {"cry", "gaze_caregiver"} <= set(responds.given)
    assert all(scheme.behaviour(c).subject == "caregiver" for c in responds.target)
    assert len({b.colour for b in scheme.behaviours}) == len(scheme.behaviours)


def test_ainsworth_has_four_nine_point_scales_anchored_at_odd_points() -> None:
    scheme = load_scheme("ainsworth_sensitivity")
    assert [s.code for s in scheme.scales] == [
        "sensitivity",
        "cooperation",
        "acceptance",
        "accessibility",
    ]
    assert scheme.segments.interval_s == 300
    for scale in scheme.scales:
        assert (scale.min, scale.max, scale.step, scale.kind) == (1, 9, 1, "ordinal")
        assert list(scale.anchors) == [1, 3, 5, 7, 9]
        assert scale.rated_on == ("session", "intervals")


def test_strange_situation_rates_the_reunions_and_classifies_the_session() -> None:
    scheme = load_scheme("strange_situation")
    episodes = scheme.segments.episodes
    assert [e.code for e in episodes] == [f"ep{n}" for n in range(1, 9)]
    assert episodes[0].nominal_s == 30
    assert all(e.nominal_s == 180 for e in episodes[1:])
    for code in ("proximity_seeking", "contact_maintaining", "resistance", "avoidance"):
        scale = scheme.scale(code)
        assert (scale.min, scale.max, scale.rated_on) == (1, 7, ("ep5", "ep8"))
    classification = scheme.scale("classification")
    assert classification.kind == "nominal"
    assert classification.rated_on == ("session",)
    assert [classification.anchors[v][0] for v in range(1, 5)] == ["A", "B", "C", "D"]


def test_still_face_has_three_episodes_and_exclusive_infant_states() -> None:
    scheme = load_scheme("still_face")
    assert [e.code for e in scheme.segments.episodes] == ["play", "still_face", "reunion"]
    assert {g.code for g in scheme.groups if g.exclusive} == {"infant_gaze", "infant_affect"}
    affect = [b for b in scheme.behaviours if b.group == "infant_affect"]
    assert len(affect) == 3
    assert all(b.is_state for b in affect)
    caregiver = [b for b in scheme.behaviours if b.subject == "caregiver"]
    assert caregiver
    assert all(b.is_state for b in caregiver)


def test_readme_example_is_a_valid_scheme() -> None:
    readme = (BUNDLED_DIR / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(name:.*?)```", readme, re.S)
    assert example is not None
    scheme = parse_scheme_text(example.group(1), source="README example")
    assert scheme.behaviour("refuse").modifiers == ("turns head", "pushes spoon")
    assert scheme.exclusive_partners("look_cg") == ("look_food", "look_away")
    assert scheme.contingencies[0].given == ("refuse",)


def test_unknown_scheme_name_lists_the_bundled_ones(tmp_path: Path) -> None:
    from coder.scheme import SchemeError

    bundled = r"bundled: ainsworth_sensitivity, attachment_qset, .*, responsiveness, "
    with pytest.raises(SchemeError, match=bundled):
        load_scheme(tmp_path / "nope.yaml")
