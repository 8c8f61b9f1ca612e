"""Content fingerprints of media files, to recognise a video after it was moved or renamed.

Hashing a whole multi-gigabyte video would take minutes, so a fingerprint is the SHA-256 of the
file size plus three samples of its content (start, middle, end). Two files with equal
fingerprints are, for every practical purpose, the same recording.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: Bytes read at each sample point.
SAMPLE_BYTES = 64 * 1024
_PREFIX = "s3-sha256:"


def fingerprint(path: str | Path) -> str:
    """``"s3-sha256:<hex>"`` of the size and three content samples of ``path``.

    Raises ``OSError`` when the file cannot be read.
    """
    path = Path(path)
    size = path.stat().st_size
    digest = hashlib.sha256(size.to_bytes(8, "little"))
    with path.open("rb") as handle:
        if size <= 3 * SAMPLE_BYTES:  # small files are hashed whole
            digest.update(handle.read())
        else:
            for start in (0, (size - SAMPLE_BYTES) // 2, size - SAMPLE_BYTES):
                handle.seek(start)
                digest.update(handle.read(SAMPLE_BYTES))
    return _PREFIX + digest.hexdigest()


def matches(path: str | Path, expected: str, size: int | None = None) -> bool:
    """Whether ``path`` has fingerprint ``expected`` (a size mismatch answers at once)."""
    path = Path(path)
    try:
        if size is not None and path.stat().st_size != size:
            return False
        return fingerprint(path) == expected
    except OSError:
        return False
