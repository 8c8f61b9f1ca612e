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


@pytest.fixture(autouse=True, scope="session")
def _caches_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory):
    """Frame counts and sound envelopes the tests make are kept away from the user's cache."""
    folder = tmp_path_factory.mktemp("media-cache")
    old = os.environ.get("ATTUNE_MEDIA_CACHE")
    os.environ["ATTUNE_MEDIA_CACHE"] = str(folder)
    yield
    if old is None:
        os.environ.pop("ATTUNE_MEDIA_CACHE", None)
    else:
        os.environ["ATTUNE_MEDIA_CACHE"] = old
