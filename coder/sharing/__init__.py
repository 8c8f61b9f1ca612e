"""Hand-out and merge, for labs without a server: a coder's package (``attune handout``)
and bringing its passes back (``attune merge``)."""

from coder.sharing.merge import MergeError, MergeReport, merge
from coder.sharing.package import handout

__all__ = ["MergeError", "MergeReport", "handout", "merge"]
