"""Mistakes in a scheme's ratings, segments and contingencies, with the exact message for each."""

from __future__ import annotations

import textwrap

import pytest

from coder.scheme import SchemeError
from coder.scheme.parse import parse_scheme_text

BAD_SCHEMES = [
    # scales
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 9, max: 1}
        """,
        "bad.yaml:3: scales[1].max: must be greater than min (9), got 1",
        id="min above max",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 1}
        """,
        "bad.yaml:3: scales[1].max: missing (every scale needs a max)",
        id="missing max",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: one, max: 9}
        """,
        "bad.yaml:3: scales[1].min: expected a number, got the text 'one'",
        id="text where a number is wanted",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 1, max: 9, step: 0}
        """,
        "bad.yaml:3: scales[1].step: must be greater than 0, got 0",
        id="step zero",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 1, max: 10, step: 2}
        """,
        "bad.yaml:3: scales[1].max: 10 is not a whole number of steps from min (1)",
        id="max off the steps",
    ),
    pytest.param(
        """
        name: T
        scales:
          - code: s
            min: 1
            max: 9
            anchors:
              9: high
              11: very high
        """,
        "bad.yaml:8: scales[1].anchors.11: 11 is outside the scale (1–9)",
        id="anchor outside the range",
    ),
    pytest.param(
        """
        name: T
        scales:
          - code: s
            min: 1
            max: 9
            anchors:
              2.5: between
        """,
        "bad.yaml:7: scales[1].anchors.2.5: 2.5 is not on a step of 1 from 1",
        id="anchor off the step",
    ),
    pytest.param(
        """
        name: T
        scales:
          - code: s
            min: 1
            max: 9
            anchors: {high: 9}
        """,
        "bad.yaml:6: scales[1].anchors.high: an anchor's point must be a number, "
        "got the text 'high'",
        id="anchor point not a number",
    ),
    pytest.param(
        """
        name: T
        scales:
          - code: s
            min: 1
            max: 9
            anchors:
              9:
        """,
        "bad.yaml:7: scales[1].anchors.9: expected the anchor's text, got nothing",
        id="anchor without text",
    ),
    pytest.param(
        """
        name: T
        scales:
          - code: ssp
            kind: nominal
            min: 1
            max: 4
            anchors: {1: A, 2: B, 4: D}
        """,
        "bad.yaml:7: scales[1].anchors: a nominal scale labels every value; 3 has no label",
        id="nominal scale with a value unlabelled",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 1, max: 9, kind: ordinall}
        """,
        "bad.yaml:3: scales[1].kind: unknown kind 'ordinall'; did you mean 'ordinal'?",
        id="unknown scale kind",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 1, max: 9}
          - {code: s, min: 1, max: 9}
        """,
        "bad.yaml:4: scales[2].code: 's' is already used by scales[1]",
        id="duplicate scale",
    ),
    pytest.param(
        """
        name: T
        segments:
          episodes:
            - {code: ep1}
            - {code: ep2}
        scales:
          - {code: s, min: 1, max: 7, rated_on: [ep1, ep3]}
        """,
        "bad.yaml:7: scales[1].rated_on[2]: unknown segment 'ep3'; did you mean 'ep2'?",
        id="rated on an unknown episode",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 1, max: 7, rated_on: intervals}
        """,
        "bad.yaml:3: scales[1].rated_on: rated on intervals, but segments.interval_s is not set",
        id="rated on intervals without interval_s",
    ),
    pytest.param(
        """
        name: T
        scales:
          - {code: s, min: 1, max: 7, rated_on: [session, episodes]}
        """,
        "bad.yaml:3: scales[1].rated_on[2]: rated on episodes, but segments.episodes lists none",
        id="rated on episodes without episodes",
    ),
    # segments
    pytest.param(
        """
        name: T
        segments:
          episodes:
            - {code: ep1}
            - {code: EP1}
        scales:
          - {code: s, min: 1, max: 7}
        """,
        "bad.yaml:5: segments.episodes[2].code: 'EP1' is already used by segments.episodes[1]",
        id="duplicate episode",
    ),
    pytest.param(
        """
        name: T
        segments:
          episodes:
            - {code: session}
        scales:
          - {code: s, min: 1, max: 7}
        """,
        "bad.yaml:4: segments.episodes[1].code: 'session' names a built-in segment; choose another",
        id="episode named like a built-in segment",
    ),
    pytest.param(
        """
        name: T
        segments:
          interval_s: 0
        scales:
          - {code: s, min: 1, max: 7}
        """,
        "bad.yaml:3: segments.interval_s: must be greater than 0, got 0",
        id="interval of zero seconds",
    ),
    # contingencies
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c}
          - {code: soothe, key: s}
        contingencies:
          - {code: r, given: [cri], target: [soothe], window_s: 3}
        """,
        "bad.yaml:6: contingencies[1].given[1]: unknown behaviour 'cri'; did you mean 'cry'?",
        id="contingency on an unknown behaviour",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c}
          - {code: soothe, key: s}
        contingencies:
          - {code: r, given: [cry], target: [soothe], window_s: 0}
        """,
        "bad.yaml:6: contingencies[1].window_s: must be greater than 0, got 0",
        id="contingency window of zero",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c}
          - {code: soothe, key: s}
        contingencies:
          - {code: r, given: cry, target: [soothe], window_s: 3}
        """,
        "bad.yaml:6: contingencies[1].given: expected a list of behaviour codes, e.g. [a, b], "
        "got the text 'cry'",
        id="contingency codes as text",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_SCHEMES)
def test_bad_rating_part_is_refused_with_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(SchemeError) as caught:
        parse_scheme_text(textwrap.dedent(text).lstrip("\n"), source="bad.yaml")
    assert str(caught.value) == message
