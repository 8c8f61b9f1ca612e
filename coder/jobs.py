"""What a long piece of core work (probing a video, an export, a report) reports as it goes.

Work that may take long takes a :data:`Progress` callable and calls it now and then with how
far it is; a caller that offers a Cancel button makes that call raise :class:`JobCancelled`.
Nothing here knows about threads or windows: the app runs such work in the background (see
``ui/jobs.py``), a script simply passes :func:`no_progress` or a printer.
"""

from __future__ import annotations

from typing import Protocol


class JobCancelled(Exception):
    """The user cancelled the work; what it had not finished is not stored."""


class Progress(Protocol):
    def __call__(self, done: int, total: int, text: str = "") -> None:
        """``done`` of ``total`` steps are finished (``total`` 0: unknown); ``text`` says what
        is being done. Raises :class:`JobCancelled` once the work should stop."""
        ...


def no_progress(done: int, total: int, text: str = "") -> None:
    """A :data:`Progress` that reports nowhere and never cancels."""
