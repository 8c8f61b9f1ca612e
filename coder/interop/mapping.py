"""Map files: the codes of an imported file → the project's codes (YAML or CSV).

YAML: ``their code: our code`` lines (or the same under ``behaviours:`` and ``scales:``).
CSV: two columns, their code then ours; a first row ``theirs,ours`` (or ``from,to``) is a
header. A BORIS behaviour coded for several subjects can be mapped per subject as
``code@subject``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from coder.interop.errors import InteropError

_HEADER_WORDS = {"theirs", "ours", "from", "to", "their code", "our code", "source", "target"}


def read_map(path: str | Path) -> dict[str, str]:
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InteropError(source, f"cannot read the map ({exc})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml_map(text, source)
    return _csv_map(text, source)


def _yaml_map(text: str, source: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise InteropError(source, f"{where}not valid YAML") from None
    if not isinstance(data, dict):
        raise InteropError(source, "expected lines of the form 'their code: our code'")
    pairs = dict(data)
    for section in ("behaviours", "scales"):
        if isinstance(pairs.get(section), dict):
            pairs.update(pairs.pop(section))
    problems = [
        f"{k!r}: expected our code as text, got {v!r}"
        for k, v in pairs.items()
        if not isinstance(v, (str, int)) or isinstance(v, bool)
    ]
    if problems:
        raise InteropError(source, problems)
    return {str(k): str(v) for k, v in pairs.items()}


def _csv_map(text: str, source: str) -> dict[str, str]:
    result: dict[str, str] = {}
    problems = []
    rows = list(csv.reader(io.StringIO(text)))
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and {c.casefold() for c in cells[:2]} <= _HEADER_WORDS:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            problems.append(f"row {number}: expected their code and our code")
            continue
        if cells[0] in result and result[cells[0]] != cells[1]:
            problems.append(f"row {number}: {cells[0]!r} is mapped twice")
            continue
        result[cells[0]] = cells[1]
    if problems:
        raise InteropError(source, problems)
    return result
