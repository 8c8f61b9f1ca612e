"""A lab server for many coders: setting one up, coder roles, and moving projects between a
file and a server (``attune server``, ``attune push``, ``attune pull``).

The SQL is in :mod:`coder.store.postgres`; this package works in stores and projects.
"""
