"""Schemes are accepted only if every part of Attune can use them: what is refused is refused
with its file, line and field, never with a traceback, and special files are never read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coder.scheme import SchemeError, load_scheme
from coder.scheme.parse import parse_scheme_text

BASE = """name: Test
behaviours:
  - {code: cry, kind: point, key: q}
scales:
  - {code: sens, min: 1, max: 9}
"""

BAD = {
    "emoji key": (BASE.replace("key: q", 'key: "\\U0001F600"'), 3, "not a key on a keyboard"),
    "NUL key": (BASE.replace("key: q", 'key: "\\0"'), 3, "not a key on a keyboard"),
    "bell in a name": (BASE.replace("name: Test", "name: Te\x07st"), 1, "control character"),
    "escape in a name": (BASE.replace("name: Test", 'name: "Te\\est"'), 1, "control character"),
    "deep brackets": (BASE + "extra: " + "[" * 500 + "]" * 500, 6, "nests deeper"),
    "deep mapping": (BASE + "x: " + "{a: " * 500 + "1" + "}" * 500, 6, "nests deeper"),
    "tiny interval": (BASE + "segments:\n  interval_s: 0.0000001\n", 7, "at least 0.1"),
    "400-digit bound": (BASE.replace("max: 9", "max: " + "9" * 400), 5, "too large"),
    "denormal step": (BASE.replace("max: 9}", "max: 9, step: 1.0e-320}"), 5, "at least 0.001"),
    "huge bounds": (BASE.replace("min: 1, max: 9", "min: -1.0e+308, max: 1.0e+308"), 5, "large"),
    "too many steps": (BASE.replace("max: 9}", "max: 900, step: 0.01}"), 5, "more than"),
    "big int key": (BASE.replace("key: q", "key: " + "7" * 400), 3, "one character"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_an_unusable_scheme_is_refused_with_its_line(case: str) -> None:
    text, line, words = BAD[case]
    with pytest.raises(SchemeError) as refused:
        parse_scheme_text(text, source="lab.yaml")
    assert str(refused.value).startswith(f"lab.yaml:{line}:"), str(refused.value)
    assert words in str(refused.value)


def test_a_keyboard_letter_of_another_alphabet_is_a_key() -> None:
    scheme = parse_scheme_text(BASE.replace("key: q", "key: ж"), source="lab.yaml")
    assert scheme.behaviours[0].key == "ж"


def test_a_fifo_is_refused_without_being_read(tmp_path: Path) -> None:
    fifo = tmp_path / "scheme.yaml"
    os.mkfifo(fifo)  # reading it would block for ever: the refusal proves it was not read
    with pytest.raises(SchemeError, match="not a regular file"):
        load_scheme(fifo)


def test_a_device_is_refused_without_being_read() -> None:
    with pytest.raises(SchemeError, match="not a regular file"):
        load_scheme(os.devnull)
