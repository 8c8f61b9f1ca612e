"""Read YAML safely and remember the line of every value, so errors can point into the file.

:func:`load_yaml` returns plain data (dicts, lists, text, numbers) and a :class:`LineMap` from
field paths to line numbers. A path is a tuple of mapping keys (always as text) and list
indices (ints, from 0): ``("behaviours", 2, "key")``. :class:`FieldReader` reads typed fields
of such data and fails with the path and line of the first bad one.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import yaml

Path = tuple[str | int, ...]

CODE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
"""What a code may look like: a letter, then letters, digits and underscores."""

_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_MAX_DEPTH = 60
_MAX_NODES = 100_000

MAX_NUMBER = 1_000_000_000
"""The largest number a scheme may hold (either way): every part of Attune computes with it."""
MIN_NUMBER = 1e-6
"""The smallest number other than 0 a scheme may hold (either way)."""


def control_character(text: str, *, allow_lines: bool = False) -> str | None:
    """The first control or invisible format character of ``text`` as ``U+0007`` (tabs, and
    line breaks when ``allow_lines``, are fine), or None."""
    allowed = "\t\n\r" if allow_lines else "\t"
    for char in text:
        if char in allowed:
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") or char in "\u2028\u2029":
            return f"U+{ord(char):04X}"
    return None


class YamlSourceError(ValueError):
    """YAML that cannot be read, with the line (1-based) and the path where it went wrong."""

    def __init__(self, message: str, line: int | None = None, path: Path = ()) -> None:
        self.message = message
        self.line = line
        self.path = path
        super().__init__(message if line is None else f"line {line}: {message}")


@dataclass
class LineMap:
    """Line numbers (1-based) of the values, and of the keys, at each path."""

    values: dict[Path, int] = field(default_factory=dict)
    keys: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path, *, key: bool = False) -> int | None:
        """The line of ``path`` (of its key when ``key``), else of the nearest enclosing value."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return None


def path_text(path: Path) -> str:
    """``("behaviours", 2, "key")`` -> ``"behaviours[3].key"`` (list items count from 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text


def describe(value: Any) -> str:
    """What a value read from YAML is, in words for people ("the text 'cry'", "a list")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a set of fields"
    return f"a {type(value).__name__}"


def plain_number(value: float) -> int | float:
    """Whole numbers as int (so 9 and 9.0 print and hash alike), others as float."""
    return int(value) if float(value).is_integer() else float(value)


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def load_yaml(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document with the safe loader; ``(None, empty map)`` for an empty one.

    Raises :class:`YamlSourceError` for malformed YAML, a field given twice in one mapping, and
    aliases nested past sanity (a guard against "billion laughs" files).
    """
    if (line := _too_deep(text)) is not None:
        raise YamlSourceError(f"the document nests deeper than {_MAX_DEPTH} levels", line)
    lines = LineMap()
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text) from exc
    try:
        node = loader.get_single_node()
        data = None if node is None else _Builder(loader, lines).build(node, (), 0)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text) from exc
    except RecursionError as exc:
        raise YamlSourceError(f"the document nests deeper than {_MAX_DEPTH} levels") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"not valid YAML: {exc.problem or exc.context or 'cannot be read'}"
        if exc.problem and exc.context and exc.context_mark:
            message += f"; {exc.context} (line {exc.context_mark.line + 1})"
        if "'\\t'" in message:
            message = message.replace("character '\\t'", "a tab").replace("'\\t'", "a tab")
            message += "; indent with spaces, not tabs"
        raise YamlSourceError(message, None if mark is None else mark.line + 1) from exc
    except yaml.YAMLError as exc:
        raise YamlSourceError(f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return data, lines


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> YamlSourceError:
    """A character YAML does not allow (a control character), with its line."""
    line = text[: max(exc.position, 0)].count("\n") + 1
    character = exc.character
    shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return YamlSourceError(
        f"not valid YAML: the control character {shown} is not allowed (remove it)", line
    )


def _too_deep(text: str) -> int | None:
    """The line where brackets or indentation nest past :data:`_MAX_DEPTH`, if anywhere.

    The YAML composer recurses once per level, so a deeply nested document would end in a
    RecursionError before any line is known; this scan finds the line first. Brackets inside
    quotes and comments count too, which only makes the scan stricter than needed for
    documents that nest 60 levels, far beyond any scheme.
    """
    depth = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
    indents: list[int] = []
    for number, row in enumerate(text.splitlines(), 1):
        stripped = row.lstrip(" -")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(row) - len(stripped)
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        if len(indents) > _MAX_DEPTH:
            return number
    return None


class _Builder:
    """Turns composed nodes into plain data, recording lines on the way."""

    def __init__(self, loader: yaml.SafeLoader, lines: LineMap) -> None:
        self.loader = loader
        self.lines = lines
        self.nodes = 0

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.nodes += 1
        if depth > _MAX_DEPTH or self.nodes > _MAX_NODES:
            raise YamlSourceError(
                "the document nests too deeply or repeats aliases too often", line
            )
        self.lines.values[path] = line
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise YamlSourceError(f"not valid YAML: tag {node.tag!r} is not allowed here", line)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        first_lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # "<<: *base" merges another mapping; its fields may be overridden
            key, line = self._key(key_node)
            if key in first_lines:
                where = f" (first on line {first_lines[key]})"
                raise YamlSourceError(f"this field is given twice{where}", line, (*path, str(key)))
            first_lines[key] = line
        self.loader.flatten_mapping(node)  # merged fields first, the mapping's own after them
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key, line = self._key(key_node)
            child = (*path, str(key))
            self.lines.keys[child] = line
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _key(self, node: yaml.Node) -> tuple[Any, int]:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode):
            raise YamlSourceError("a field name must be a single word or number", line)
        return self.loader.construct_object(node, deep=True), line


class FieldReader:
    """Reads typed fields of loaded data and fails with the path and line of a bad one.

    ``field_names`` maps each kind of item ("behaviour") to the fields it may have; a field
    not listed is an error, with a suggestion when it is close to one that is.
    """

    def __init__(self, lines: LineMap | None, field_names: Mapping[str, Sequence[str]]) -> None:
        self.lines = lines
        self.field_names = field_names

    def error(self, message: str, line: int | None, path: Path) -> Exception:
        """The exception for a problem; subclasses return their own type."""
        return YamlSourceError(message, line, path)

    def fail(self, path: Path, message: str, *, at_key: bool = False) -> NoReturn:
        """Raise :meth:`error` for ``path``, with its line (its key's line when ``at_key``)."""
        raise self.error(message, self.lines.line(path, key=at_key) if self.lines else None, path)

    def fields(self, value: Any, path: Path, kind: str) -> Mapping[str, Any]:
        """``value`` as a mapping holding only the known fields of ``kind``."""
        allowed = self.field_names[kind]
        if not isinstance(value, Mapping):
            example = ", ".join(f"{f}: ..." for f in allowed[:2])
            self.fail(path, f"expected fields of the {kind} ({example}), got {describe(value)}")
        for key in value:
            if key not in allowed:
                hint = suggest(str(key), allowed) or f"; known fields: {', '.join(allowed)}"
                self.fail((*path, str(key)), f"unknown field{hint}", at_key=True)
        return value

    def items(self, data: Mapping[str, Any], path: Path, name: str, kind: str) -> list[Any]:
        """The list field ``name`` (absent or empty: [])."""
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            self.fail((*path, name), f"expected a list of {kind}s, got {describe(value)}")
        return list(value)

    def text(
        self, data: Mapping[str, Any], path: Path, name: str, *, owner: str = "", default: str = ""
    ) -> str:
        """A text field, stripped; with ``owner`` (e.g. "scale") it must be given and not empty."""
        value = data.get(name)
        if value is None:
            if owner:
                self.fail((*path, name), f"missing (every {owner} needs a {name})")
            return default
        if not isinstance(value, str):
            self.fail((*path, name), f"expected text, got {describe(value)}")
        value = value.strip()
        prose = name in ("description", "citation")
        if (bad := control_character(value, allow_lines=prose)) is not None:
            self.fail((*path, name), f"contains the control character {bad}; remove it")
        if owner and not value:
            self.fail((*path, name), "must not be empty")
        return value

    def name(self, data: Mapping[str, Any], path: Path, code: str) -> str:
        """An item's display name; the code when absent or empty."""
        return self.text(data, path, "name") or code

    def code(self, data: Mapping[str, Any], path: Path, owner: str, seen: dict[str, Path]) -> str:
        """The item's code: an identifier not used before in its list (case aside)."""
        code = self.text(data, path, "code", owner=owner)
        if not CODE_PATTERN.fullmatch(code):
            self.fail(
                (*path, "code"),
                f"{code!r} is not a valid code: start with a letter, then use only letters, "
                "digits and _ (no spaces)",
            )
        first = seen.setdefault(code.casefold(), path)
        if first != path:
            self.fail((*path, "code"), f"{code!r} is already used by {path_text(first)}")
        return code

    def number(
        self,
        data: Mapping[str, Any],
        path: Path,
        name: str,
        *,
        positive: bool = False,
        floor: float | None = None,
    ) -> int | float | None:
        """A number within :data:`MAX_NUMBER` (and, when given, at least ``floor``)."""
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail((*path, name), f"expected a number, got {describe(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail((*path, name), "must be a finite number")
        if positive and value <= 0:
            self.fail((*path, name), f"must be greater than 0, got {plain_number(value)}")
        if floor is not None and value < floor:
            self.fail((*path, name), f"must be at least {floor:g}, got {plain_number(value)}")
        if abs(value) > MAX_NUMBER:
            self.fail((*path, name), f"is too large (at most {MAX_NUMBER:,} either way)")
        if value and abs(value) < MIN_NUMBER:
            self.fail((*path, name), f"is too small (0, or at least {MIN_NUMBER:g} either way)")
        return plain_number(value)

    def need_number(
        self,
        data: Mapping[str, Any],
        path: Path,
        name: str,
        owner: str,
        *,
        positive: bool = False,
        floor: float | None = None,
    ) -> int | float:
        value = self.number(data, path, name, positive=positive, floor=floor)
        if value is None:
            self.fail((*path, name), f"missing (every {owner} needs a {name})")
        return value

    def choice(self, data: Mapping[str, Any], path: Path, name: str, choices: Sequence[str]) -> str:
        """One of ``choices``; the first when absent."""
        value = self.text(data, path, name, default=choices[0])
        if value not in choices:
            options = " or ".join(repr(c) for c in choices)
            hint = suggest(value, choices) or f"; use {options}"
            self.fail((*path, name), f"unknown {name} {value!r}{hint}")
        return value

    def codes(
        self, data: Mapping[str, Any], path: Path, name: str, known: Sequence[str], kind: str
    ) -> tuple[str, ...]:
        """A required, non-empty list of known codes of ``kind``."""
        value = data.get(name)
        where = (*path, name)
        if not isinstance(value, (list, tuple)) or not value:
            got = "an empty list" if isinstance(value, (list, tuple)) else describe(value)
            self.fail(where, f"expected a list of {kind} codes, e.g. [a, b], got {got}")
        for i, code in enumerate(value):
            if not isinstance(code, str) or code not in known:
                hint = suggest(code, known) if isinstance(code, str) else ""
                self.fail((*where, i), f"unknown {kind} {code!r}{hint}")
        return tuple(value)
