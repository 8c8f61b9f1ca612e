"""Test set-up shared by the whole suite."""

import os

# Qt aborts without a display unless told to draw offscreen; this must precede any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
