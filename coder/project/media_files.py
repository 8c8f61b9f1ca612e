"""The video files of a project on this machine: how their paths are stored, how a moved
file is found again by its content, which observation names are free, and which media were
stored without their video (an import whose videos did not travel with it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from coder.media import fingerprint as _fingerprint
from coder.model import Media

#: How far above the project's folder a video may sit and still be stored relative to it.
MAX_FOLDERS_UP = 2
#: Project setting: the ids of media stored without their video (a JSON list of ints), whose
#: frames were computed from the rate and length a file gave and are not yet checked.
PROVISIONAL_SETTING = "interop.provisional_media"


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    """``wanted``, or ``wanted (2)``, ``wanted (3)``… when another observation has it."""
    names = set(taken)
    if wanted not in names:
        return wanted
    number = 2
    while f"{wanted} ({number})" in names:
        number += 1
    return f"{wanted} ({number})"


def portable_path(folder: Path, path: Path) -> str:
    """``path`` relative to ``folder`` when the video sits in it or near it (at most two
    folders up, e.g. ``../videos/a.mp4``, so a study folder can move whole), else absolute;
    always with ``/`` separators."""
    try:
        relative = Path(os.path.relpath(path, folder))
    except ValueError:  # another drive (Windows)
        return path.as_posix()
    ups = sum(part == ".." for part in relative.parts)
    return relative.as_posix() if ups <= MAX_FOLDERS_UP else path.as_posix()


def stored_path(folder: Path, media: Media) -> Path:
    """Where ``media`` is expected on this machine (absolute)."""
    stored = Path(media.path)
    return stored if stored.is_absolute() else Path(os.path.normpath(folder / stored))


def find_by_content(media: Media, search_dirs: Iterable[str | Path]) -> Path | None:
    """A file under ``search_dirs`` (recursively) with ``media``'s fingerprint: files of the
    same name first, and only files of the right size are hashed."""
    wanted_name = Path(media.path).name
    for folder in search_dirs:
        candidates: list[Path] = []
        for root, _dirs, files in os.walk(folder):
            for file_name in files:
                candidate = Path(root) / file_name
                try:
                    if candidate.stat().st_size == media.size_bytes:
                        candidates.append(candidate)
                except OSError:
                    continue
        candidates.sort(key=lambda p: p.name != wanted_name)
        for candidate in candidates:
            if _fingerprint.matches(candidate, media.fingerprint, media.size_bytes):
                return candidate.resolve()
    return None


def parse_ids(text: str | None) -> set[int]:
    """The ids a provisional-media setting holds (a damaged setting holds none)."""
    if not text:
        return set()
    try:
        return {int(v) for v in json.loads(text)}
    except (ValueError, TypeError):
        return set()


def ids_text(ids: Iterable[int]) -> str:
    return json.dumps(sorted(ids))
