"""Project storage backends. Every SQL statement of Attune lives in this package."""

from coder.store.base import CodingStore, DamagedFileError, Store, StoreError

__all__ = ["CodingStore", "DamagedFileError", "Store", "StoreError"]
