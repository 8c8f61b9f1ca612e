"""The error every importer and writer of :mod:`coder.interop` raises, naming each place."""

from __future__ import annotations

from collections.abc import Sequence

#: How many problems the one-line message names (all are in :attr:`InteropError.problems`).
SHOWN = 12


class InteropError(ValueError):
    """A file that cannot be imported or written as asked.

    ``source`` names the file; :attr:`problems` lists every problem, each starting with its
    place in the file (a JSON path such as ``observations["p01"].events[12][0]``, an XML
    line, a CSV row). ``str(error)`` is one line naming the file and the first problems.
    """

    def __init__(self, source: str, problems: Sequence[str] | str) -> None:
        self.source = source
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        count = len(self.problems)
        shown = "; ".join(self.problems[:SHOWN])
        more = f"; and {count - SHOWN} more" if count > SHOWN else ""
        head = f"{count} problems: " if count > 1 else ""
        super().__init__(f"{source}: {head}{shown}{more}")
