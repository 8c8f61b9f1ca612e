"""The rules of a coding pass that span several records: overlaps of states and of episodes.

Each check returns the reason a span is refused, in words for the coder, or ``None`` when the
span is free. An open span (a state not yet stopped, an episode still running) is checked at
its start only, since its end is not known yet; an open rival counts as on from its start
onwards, and two rivals are never open together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from coder.coding.event_index import EventIndex
from coder.model import Episode, Event
from coder.scheme import Scheme


def state_clash(
    scheme: Scheme, events: EventIndex, code: str, onset: int, offset: int | None, ignore: set[int]
) -> str | None:
    """Why a state ``code`` from ``onset`` to ``offset`` (None: open) may not be, if it may not.

    It may overlap neither a state of its own code nor a partner of its exclusive group; events
    whose ids are in ``ignore`` are left out (the event being changed).
    """
    end = offset if offset is not None else onset + 1
    for rival in (code, *scheme.exclusive_partners(code)):
        still_open = events.open_event(rival)
        if offset is None and still_open is not None and still_open.id not in ignore:
            other: Event | None = still_open
        else:
            other = events.overlapping(rival, onset, end, ignore)
        if other is not None:
            until = "on" if other.offset is None else f"to frame {other.offset.frame}"
            name = scheme.name_of(other.behaviour)
            return f"this would overlap {name} from frame {other.onset.frame} {until}"
    return None


def episode_clash(
    episodes: Iterable[Episode], episode: Episode, ignore: Iterable[str] = ()
) -> str | None:
    """Why ``episode`` may not be marked among ``episodes`` (those in ``ignore`` left out)."""
    start = episode.start.frame
    end = math.inf if episode.end is None else episode.end.frame
    for other in episodes:
        if other.code == episode.code or other.code in ignore:
            continue
        if episode.is_open and other.is_open:
            return f"episode {other.code} is running since frame {other.start.frame}; end it first"
        other_end = math.inf if other.end is None else other.end.frame
        if episode.is_open:
            clash = other.start.frame <= start < other_end
        else:
            clash = start < other_end and other.start.frame < end
        if clash:
            span = (
                f"running since frame {other.start.frame}"
                if other.end is None
                else f"frames {other.start.frame}–{other.end.frame}"
            )
            return f"episode {episode.code} would overlap episode {other.code} ({span})"
    return None
