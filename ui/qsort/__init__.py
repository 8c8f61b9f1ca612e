"""The Q-sort panel: sorting a scheme's Q-sort items into piles by keys and by drag."""

from ui.qsort.panel import QSortPanel

__all__ = ["QSortPanel"]
