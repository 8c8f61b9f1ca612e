"""Test set-up shared by the whole suite."""

import os

# Qt aborts without a display unless told to draw offscreen; this must precede any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest

from tests.store_backends import BACKENDS, Backend


@pytest.fixture(params=BACKENDS, ids=lambda b: b.name)
def backend(request: pytest.FixtureRequest) -> Backend:
    """Each store backend in turn (the contract suite runs once per backend)."""
    return request.param
