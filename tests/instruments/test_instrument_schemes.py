"""The bundled instrument schemes, and how computed scales and Q-sorts are declared and checked."""

from __future__ import annotations

import json
import textwrap

import pytest

from coder.scheme import SchemeError, load_scheme, scheme_from_dict
from coder.scheme.parse import parse_scheme_text

EAS_RANGES = {
    "sensitivity": (1, 9),
    "structuring": (1, 5),
    "non_intrusiveness": (1, 5),
    "non_hostility": (1, 5),
    "child_responsiveness": (1, 7),
    "child_involvement": (1, 7),
}
NEW = [
    "emotional_availability",
    "emotional_availability_4th",
    "qsort_demo",
    "attachment_qset",
    "maternal_behaviour_qsort",
]


def test_eas_has_the_six_dimensions_with_the_3rd_editions_ranges() -> None:
    scheme = load_scheme("emotional_availability")
    assert {s.code: (s.min, s.max) for s in scheme.scales} == EAS_RANGES
    assert all(s.rated_on == ("session",) and not s.is_computed for s in scheme.scales)
    assert all(s.anchors for s in scheme.scales)
    assert "4th" in scheme.description
    assert scheme.citation


def test_eas_4th_edition_sums_seven_components_into_each_dimension_of_7_to_29() -> None:
    scheme = load_scheme("emotional_availability_4th")
    for code in EAS_RANGES:
        total = scheme.scale(code)
        assert total.compute == "sum"
        assert (total.min, total.max, total.step) == (7, 29, 1)
        components = [scheme.scale(c) for c in total.of]
        assert [(c.min, c.max) for c in components] == [(1, 7)] * 2 + [(1, 3)] * 5
        assert all(scheme.computed_from(c.code) == (total,) for c in components)
    assert len(scheme.scales) == 6 * 8


@pytest.mark.parametrize("name", NEW)
def test_new_schemes_survive_storage_with_their_hash(name: str) -> None:
    scheme = load_scheme(name)
    again = scheme_from_dict(json.loads(json.dumps(scheme.to_dict())), reserved_keys=())
    assert again == scheme
    assert again.content_hash == scheme.content_hash
    assert scheme.description
    assert scheme.citation


def test_schemes_without_the_new_fields_keep_the_hash_they_had() -> None:
    """Hashes from before computed scales and Q-sorts existed: stored projects still match."""
    assert load_scheme("ainsworth_sensitivity").content_hash.startswith("2f022d5cc48fd645")
    assert load_scheme("responsiveness").content_hash.startswith("13c462d025e21dc7")
    assert "compute" not in load_scheme("ainsworth_sensitivity").to_dict()["scales"][0]


def test_the_qsort_structures_hold_90_items_in_9_piles_of_10_and_no_texts() -> None:
    for name, code in (("attachment_qset", "aqs"), ("maternal_behaviour_qsort", "mbqs")):
        qsort = load_scheme(name).qsort(code)
        assert qsort.item_ids == tuple(f"q{n}" for n in range(1, 91))
        assert qsort.distribution == (10,) * 9
        assert not any(item.text for item in qsort.items)
        assert not qsort.criteria


def test_the_demo_qset_has_texts_criteria_and_per_item_scales() -> None:
    scheme = load_scheme("qsort_demo")
    qsort = scheme.qsort("demo")
    assert sum(qsort.distribution) == len(qsort.items) == 18
    assert all(item.text for item in qsort.items)
    assert [c.code for c in qsort.criteria] == ["security", "dependency"]
    assert qsort.criterion("security").sort["q15"] == 4.5
    pile = scheme.scale("demo.q2")
    assert (pile.min, pile.max, pile.rated_on) == (1, 9, ("session",))
    assert pile.description == qsort.item("q2").text
    assert scheme.scale("demo.rough.q2").kind == "nominal"
    assert scheme.qsort_placement("demo.rough.q2") == (qsort, "q2", True)
    assert scheme.qsort_placement("demo.q2") == (qsort, "q2", False)
    assert scheme.qsort_placement("sens") is None
    assert qsort.thirds == ((1, 2, 3), (4, 5, 6), (7, 8, 9))
    assert not scheme.scales  # the per-item scales are no declared scales


QSORT = """\
name: Q
qsorts:
  - code: demo
    piles: 3
    distribution: [1, 2, 1]
    items: [a1, a2, {id: a3, text: Smiles}, a4]
    criteria:
      - code: sec
        sort: {a1: 1, a2: 2.5, a3: 3, a4: 2}
"""
COMPUTED = """\
name: C
scales:
  - {code: a, min: 1, max: 7}
  - {code: b, min: 1, max: 3}
  - {code: tot, of: [a, b]}
  - {code: avg, compute: mean, of: [a, b, c]}
  - {code: c, min: 1, max: 3, step: 0.5}
"""


def test_a_computed_scale_takes_its_range_and_step_from_its_components() -> None:
    scheme = parse_scheme_text(COMPUTED)
    assert (scheme.scale("tot").min, scheme.scale("tot").max) == (2, 10)
    mean = scheme.scale("avg")
    assert (mean.min, mean.max, mean.step) == (1, pytest.approx(13 / 3), pytest.approx(1 / 6))
    assert mean.accepts(mean.computed_value([6, 2, 2.5]))
    assert [s.code for s in scheme.scales] == ["a", "b", "tot", "avg", "c"]


@pytest.mark.parametrize(
    ("text", "old", "new", "message"),
    [
        (QSORT, "[1, 2, 1]", "[1, 2, 2]",
         "q.yaml:5: qsorts[1].distribution: adds up to 5 items, but the Q-sort has 4 items"),
        (QSORT, "[1, 2, 1]", "[1, 3]",
         "q.yaml:5: qsorts[1].distribution: expected one number per pile (3), got 2 numbers"),
        (QSORT, "distribution: [1, 2, 1]", "per_pile: 2",
         "q.yaml:5: qsorts[1].per_pile: 3 piles of 2 hold 6 items, but the Q-sort has 4"),
        (QSORT, "distribution: [1, 2, 1]", "",
         "q.yaml:3: qsorts[1].distribution: missing: give the items per pile, e.g. per_pile: 10 "
         "or [1, 2, ...]"),
        (QSORT, "piles: 3", "piles: 12",
         "q.yaml:4: qsorts[1].piles: must be a whole number from 3 to 9, got 12"),
        (QSORT, ", a4: 2}", "}",
         "q.yaml:9: qsorts[1].criteria[1].sort: a4 has no pile (a criterion sort places every "
         "item)"),
        (QSORT, "a4: 2}", "a5: 2}",
         "q.yaml:9: qsorts[1].criteria[1].sort.a5: unknown item 'a5'; it is not an item of "
         "this Q-sort"),
        (QSORT, "a3: 3,", "a3: 4,",
         "q.yaml:9: qsorts[1].criteria[1].sort.a3: expected a pile from 1 to 3, got the "
         "number 4"),
        (QSORT, "[a1, a2,", "[a1, a1,",
         "q.yaml:6: qsorts[1].items[2]: 'a1' is already used by qsorts[1].items[1]"),
        (QSORT, "{id: a3,", "{id: 3,",
         "q.yaml:6: qsorts[1].items[3].id: expected text, got the number 3"),
        (QSORT, "{id: a3,", "{id: a 3,",
         "q.yaml:6: qsorts[1].items[3].id: 'a 3' is not a valid item id: start with a letter, "
         "then use only letters, digits and _ (e.g. q12)"),
        (QSORT, "    piles: 3", "    pile: 3",
         "q.yaml:4: qsorts[1].pile: unknown field; did you mean 'piles'?"),
        (COMPUTED, "of: [a, b]}", "of: [a, d]}",
         "c.yaml:5: scales[3].of[2]: unknown scale 'd'; the components are scales of this "
         "scheme"),
        (COMPUTED, "of: [a, b]}", "of: [a, avg]}",
         "c.yaml:5: scales[3].of[2]: 'avg' is computed itself; list its components instead"),
        (COMPUTED, "of: [a, b]}", "of: [a]}",
         "c.yaml:5: scales[3].of: expected a list of two or more scale codes, got 1 scale"),
        (COMPUTED, "of: [a, b]}", "of: [a, b], min: 1}",
         "c.yaml:5: scales[3].min: the sum of the components gives 2; leave min out or write 2"),
        (COMPUTED, "{code: tot, of: [a, b]}", "{code: tot, compute: sum}",
         "c.yaml:5: scales[3].of: missing: list the component scales, e.g. of: [sens_a, sens_b]"),
        (COMPUTED, "compute: mean", "compute: median",
         "c.yaml:6: scales[4].compute: unknown compute 'median'; did you mean 'mean'?"),
        (COMPUTED, "of: [a, b]}", "of: [a, b], rated_on: intervals}",
         "c.yaml:5: scales[3].rated_on: rated on intervals, but segments.interval_s is not set"),
    ],
)  # fmt: skip
def test_a_bad_declaration_is_refused_with_its_line_and_field(
    text: str, old: str, new: str, message: str
) -> None:
    assert old in text
    source = "q.yaml" if text is QSORT else "c.yaml"
    with pytest.raises(SchemeError) as caught:
        parse_scheme_text(text.replace(old, new), source=source)
    assert str(caught.value) == message


def test_a_computed_scale_is_rated_only_where_its_components_are() -> None:
    text = textwrap.dedent(
        """\
        name: C
        segments: {interval_s: 60}
        scales:
          - {code: a, min: 1, max: 5, rated_on: [session, intervals]}
          - {code: b, min: 1, max: 5}
          - {code: tot, of: [a, b], rated_on: [session, intervals]}
        """
    )
    with pytest.raises(SchemeError) as caught:
        parse_scheme_text(text, source="c.yaml")
    assert str(caught.value) == (
        "c.yaml:6: scales[3].rated_on[2]: 'intervals' is not where 'b' is rated (session), "
        "so the value cannot be computed there"
    )


def test_a_nominal_scale_cannot_be_a_component() -> None:
    text = COMPUTED.replace("{code: b, min: 1, max: 3}", "{code: b, min: 1, max: 2, kind: "
                            "nominal, anchors: {1: x, 2: y}}")  # fmt: skip
    with pytest.raises(SchemeError, match=r"of\[2\]: 'b' is nominal"):
        parse_scheme_text(text)
