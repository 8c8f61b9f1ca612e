"""A coding pass: its records in memory, the rules they obey and the undoable commands.

:class:`Session` (:mod:`~coder.coding.session`) runs commands; each plans invertible writes
(:mod:`~coder.coding.changes`) that are checked by :mod:`~coder.coding.rules`, committed to the
store and applied to memory (:mod:`~coder.coding.state`). Segments that ratings refer to are
in :mod:`~coder.coding.segments`.
"""

from coder.coding.changes import Change
from coder.coding.session import Session, SessionError

__all__ = ["Change", "Session", "SessionError"]
