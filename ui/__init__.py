"""Attune's PySide6 interface: it shows the core's state and sends it commands."""
