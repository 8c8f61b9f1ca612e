"""A coding pass: its records in memory, the rules they obey and the undoable commands.

:class:`Session` (:mod:`~coder.coding.session`) runs commands; each plans invertible writes
(:mod:`~coder.coding.changes`) that are checked by :mod:`~coder.coding.rules`, committed to the
store and applied to memory (:mod:`~coder.coding.state`). Segments that ratings refer to are
in :mod:`~coder.coding.segments`.
"""

from coder.coding.batch import Batch, BatchError
from coder.coding.changes import Change
from coder.coding.errors import SessionError
from coder.coding.session import Session

__all__ = ["Batch", "BatchError", "Change", "Session", "SessionError"]
