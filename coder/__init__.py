"""Attune's core: coding schemes, coding passes, the project store and video access (no Qt)."""

__version__ = "0.1.0"
