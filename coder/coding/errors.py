"""The error a coding command raises when it cannot be carried out."""


class SessionError(ValueError):
    """A coding command that cannot be carried out; nothing was changed."""
