"""Loading schemes: from a YAML file, a bundled scheme's name, or stored plain data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from coder.scheme.model import Scheme, SchemeError
from coder.scheme.parse import parse_scheme_data, parse_scheme_text

#: The largest scheme file read (the bundled ones are a few kB).
MAX_SCHEME_BYTES = 1_000_000
#: The folder of the bundled schemes (``schemes/`` beside ``coder/``).
BUNDLED_DIR = Path(__file__).resolve().parents[2] / "schemes"


def bundled_schemes() -> dict[str, Path]:
    """Name -> file of every scheme shipped in ``schemes/``."""
    return {p.stem: p for p in sorted(BUNDLED_DIR.glob("*.yaml"))}


def load_scheme(
    source: str | Path, reserved_keys: Mapping[str, str] | Iterable[str] | None = None
) -> Scheme:
    """Load and validate a scheme from a YAML file path or a bundled scheme's name.

    ``reserved_keys`` are the keys the player owns (default: :func:`coder.keys.reserved_keys`
    of the shipped key map); a scheme binding one of them is refused.
    """
    path = Path(source)
    bundled = bundled_schemes()
    if not path.exists() and str(source) in bundled:
        path = bundled[str(source)]
    if not path.exists():
        names = ", ".join(bundled) or "none"
        raise SchemeError(
            f"no such scheme file or bundled scheme (bundled: {names})", source=str(source)
        )
    if path.is_dir():
        raise SchemeError("a folder, not a scheme file", source=str(path))
    if not path.is_file():  # a FIFO or a device would block or never end: never read
        raise SchemeError("not a regular file (a pipe or a device?)", source=str(path))
    try:
        if path.stat().st_size > MAX_SCHEME_BYTES:
            raise SchemeError(
                f"too large for a scheme ({path.stat().st_size:,} bytes; at most "
                f"{MAX_SCHEME_BYTES:,})",
                source=str(path),
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError(f"cannot read the file: {exc}", source=str(path)) from exc
    return parse_scheme_text(text, source=str(path), reserved_keys=reserved_keys)


def scheme_from_dict(
    data: Mapping[str, Any],
    source: str = "<stored scheme>",
    reserved_keys: Mapping[str, str] | Iterable[str] | None = None,
) -> Scheme:
    """Validate and build a scheme from plain data (e.g. the JSON a project stores)."""
    return parse_scheme_data(data, source=source, reserved_keys=reserved_keys)
