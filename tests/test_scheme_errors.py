"""A lab lead's mistakes in a scheme file's structure and behaviours, and the exact message
for each (ratings, segments and contingencies: test_scheme_errors_ratings.py)."""

from __future__ import annotations

import textwrap

import pytest

from coder.scheme import SchemeError
from coder.scheme.parse import parse_scheme_data, parse_scheme_text


def parse(text: str, **kwargs):
    return parse_scheme_text(textwrap.dedent(text).lstrip("\n"), source="bad.yaml", **kwargs)


BAD_SCHEMES = [
    # the file as a whole
    pytest.param(
        """
        name: Test
        behaviours:
          - {code: cry, key: c
        """,
        "bad.yaml:4: not valid YAML: expected ',' or '}', but got '<stream end>'; "
        "while parsing a flow mapping (line 3)",
        id="malformed YAML",
    ),
    pytest.param(
        "name: T\nbehaviours:\n\t- {code: cry, key: c}\n",
        "bad.yaml:3: not valid YAML: found a tab that cannot start any token; "
        "indent with spaces, not tabs",
        id="tab indentation",
    ),
    pytest.param(
        """
        - name: Test
        """,
        "bad.yaml:1: expected fields of the scheme (name: ..., version: ...), got a list",
        id="top level is a list",
    ),
    pytest.param(
        """
        version: "2"
        behaviours:
          - {code: cry, key: c}
        """,
        "bad.yaml:1: name: missing (every scheme needs a name)",
        id="missing name",
    ),
    pytest.param(
        """
        name: "  "
        behaviours:
          - {code: cry, key: c}
        """,
        "bad.yaml:1: name: must not be empty",
        id="empty name",
    ),
    pytest.param(
        """
        name: T
        version: 1.10
        behaviours:
          - {code: cry, key: c}
        """,
        'bad.yaml:2: version: write the version in quotes (version: "1.1")',
        id="version read as a number",
    ),
    pytest.param(
        """
        name: T
        subjects:
          - {code: infant}
        """,
        "bad.yaml:1: a scheme needs at least one behaviour or rating scale",
        id="neither behaviours nor scales",
    ),
    pytest.param(
        """
        name: T
        behaviors:
          - {code: cry, key: c}
        """,
        "bad.yaml:2: behaviors: unknown field; did you mean 'behaviours'?",
        id="unknown top-level field",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - code: cry
            key: c
            colour: "#ff0000"
            key: d
        """,
        "bad.yaml:6: behaviours[1].key: this field is given twice (first on line 4)",
        id="field given twice",
    ),
    pytest.param(
        """
        name: T
        description: [a]
        behaviours:
          - {code: cry, key: c}
        """,
        "bad.yaml:2: description: expected text, got a list",
        id="list where text is wanted",
    ),
    # behaviours
    pytest.param(
        """
        name: T
        behaviours:
          - code: cry
            key: c
            colur: "#ff0000"
        """,
        "bad.yaml:5: behaviours[1].colur: unknown field; did you mean 'colour'?",
        id="unknown behaviour field",
    ),
    pytest.param(
        """
        name: T
        behaviours: cry
        """,
        "bad.yaml:2: behaviours: expected a list of behaviours, got the text 'cry'",
        id="text where a list is wanted",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - cry
        """,
        "bad.yaml:3: behaviours[1]: expected fields of the behaviour (code: ..., name: ...), "
        "got the text 'cry'",
        id="behaviour is not a mapping",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: big cry, key: c}
        """,
        "bad.yaml:3: behaviours[1].code: 'big cry' is not a valid code: start with a letter, "
        "then use only letters, digits and _ (no spaces)",
        id="code with a space",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: "", key: c}
        """,
        "bad.yaml:3: behaviours[1].code: must not be empty",
        id="empty code",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c}
          - {code: fuss, key: f}
          - {code: Cry, key: x}
        """,
        "bad.yaml:5: behaviours[3].code: 'Cry' is already used by behaviours[1]",
        id="duplicate behaviour code (case aside)",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c}
          - {code: fuss, key: f}
          - {code: coo, key: c}
        """,
        "bad.yaml:5: behaviours[3].key: 'c' is already used by behaviours[1] 'cry'",
        id="duplicate key",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c}
          - {code: cry_hard, key: C}
          - {code: coo, key: C}
        """,
        "bad.yaml:5: behaviours[3].key: 'C' is already used by behaviours[2] 'cry_hard'",
        id="Shift+letter differs from the letter but not from itself",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: " "}
        """,
        "bad.yaml:3: behaviours[1].key: 'Space' is the player's \"Play / pause\" key",
        id="player's key",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: home}
        """,
        "bad.yaml:3: behaviours[1].key: 'home' is the player's \"Start of media\" key",
        id="player's key by name",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: 5}
        """,
        "bad.yaml:3: behaviours[1].key: '5' is kept for ratings (digits rate the selected scale)",
        id="digit key",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: cr}
        """,
        "bad.yaml:3: behaviours[1].key: 'cr' is not one character: a behaviour's key is one "
        "letter or sign (an upper-case letter means Shift+letter)",
        id="key longer than one character",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry}
        """,
        "bad.yaml:3: behaviours[1].key: missing (every behaviour needs a key: one letter)",
        id="missing key",
    ),
    pytest.param(
        """
        name: T
        groups:
          - {code: infant_gaze, exclusive: true}
        behaviours:
          - {code: look, key: l, group: infant_gase}
        """,
        "bad.yaml:5: behaviours[1].group: unknown group 'infant_gase'; did you mean 'infant_gaze'?",
        id="unknown group",
    ),
    pytest.param(
        """
        name: T
        subjects:
          - {code: infant}
          - {code: caregiver}
        behaviours:
          - {code: cry, key: c, subject: baby}
        """,
        "bad.yaml:6: behaviours[1].subject: unknown subject 'baby'; subjects: infant, caregiver",
        id="unknown subject",
    ),
    pytest.param(
        """
        name: T
        subjects:
          - {code: infant}
        behaviours:
          - {code: cry, key: c}
        """,
        "bad.yaml:5: behaviours[1].subject: missing (subjects: infant)",
        id="behaviour without its subject",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c, subject: infant}
        """,
        "bad.yaml:3: behaviours[1].subject: unknown subject 'infant'; the scheme has no subjects",
        id="subject in a scheme without subjects",
    ),
    pytest.param(
        """
        name: T
        subjects:
          - {code: infant}
          - {code: infant}
        behaviours:
          - {code: cry, key: c, subject: infant}
        """,
        "bad.yaml:4: subjects[2].code: 'infant' is already used by subjects[1]",
        id="duplicate subject",
    ),
    pytest.param(
        """
        name: T
        groups:
          - {code: g}
          - {code: g}
        behaviours:
          - {code: cry, key: c}
        """,
        "bad.yaml:4: groups[2].code: 'g' is already used by groups[1]",
        id="duplicate group",
    ),
    pytest.param(
        """
        name: T
        groups:
          - {code: g, exclusive: maybe}
        behaviours:
          - {code: cry, key: c}
        """,
        "bad.yaml:3: groups[1].exclusive: expected true or false, got the text 'maybe'",
        id="exclusive not true/false",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c, kind: stat}
        """,
        "bad.yaml:3: behaviours[1].kind: unknown kind 'stat'; did you mean 'state'?",
        id="unknown kind, close",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c, kind: event}
        """,
        "bad.yaml:3: behaviours[1].kind: unknown kind 'event'; use 'state' or 'point'",
        id="unknown kind",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c, colour: red}
        """,
        "bad.yaml:3: behaviours[1].colour: 'red' is not a colour of the form \"#rrggbb\"",
        id="colour not #rrggbb",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - code: cry
            key: c
            colour: #d62728
        """,
        'bad.yaml:5: behaviours[1].colour: empty: write the colour in quotes, e.g. "#d62728" '
        "(unquoted, # starts a comment)",
        id="colour without quotes",
    ),
    pytest.param(
        """
        name: T
        behaviours:
          - {code: cry, key: c, modifiers: [yes, no]}
        """,
        "bad.yaml:3: behaviours[1].modifiers[1]: expected a modifier's name, got true/false (true)",
        id="modifier read as true/false",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_SCHEMES)
def test_bad_scheme_is_refused_with_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(SchemeError) as caught:
        parse(text)
    assert str(caught.value) == message


def test_error_carries_its_parts_for_an_editor_to_highlight() -> None:
    with pytest.raises(SchemeError) as caught:
        parse(
            """
            name: T
            behaviours:
              - {code: cry, key: c}
              - {code: coo, key: c}
            """
        )
    error = caught.value
    assert (error.source, error.line, error.path) == ("bad.yaml", 4, "behaviours[2].key")
    assert error.message == "'c' is already used by behaviours[1] 'cry'"


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_empty_file_is_refused(text: str) -> None:
    with pytest.raises(SchemeError, match=r"^bad\.yaml: the file is empty$"):
        parse_scheme_text(text, source="bad.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: !!python/object/apply:os.getcwd []\n",
            "bad.yaml:1: not valid YAML: tag 'tag:yaml.org,2002:python/object/apply:os.getcwd' "
            "is not allowed here",
        ),
        (
            "name: !!python/name:os.getcwd x\n",
            "bad.yaml:1: not valid YAML: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/name:os.getcwd'",
        ),
    ],
)
def test_unsafe_yaml_tags_are_refused_not_run(text: str, message: str) -> None:
    with pytest.raises(SchemeError) as caught:
        parse_scheme_text(text, source="bad.yaml")
    assert str(caught.value) == message


def test_alias_bomb_is_refused_quickly() -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    rows += [
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]" for p, c in zip("abcde", "bcdef", strict=True)
    ]
    with pytest.raises(SchemeError, match="nests too deeply or repeats aliases too often"):
        parse_scheme_text("\n".join(rows) + "\nname: T\n", source="bad.yaml")


def test_plain_data_errors_name_the_field_without_a_line() -> None:
    data = {"name": "T", "scales": [{"code": "s", "min": 1, "max": 9, "anchors": {"10": "x"}}]}
    with pytest.raises(SchemeError) as caught:
        parse_scheme_data(data, source="project.attune")
    assert (
        str(caught.value) == "project.attune: scales[1].anchors.10: 10 is outside the scale (1–9)"
    )
    assert caught.value.line is None
