"""Which events a coder is asked a modifier for after a command.

A behaviour with modifiers asks for one as it is coded: a point as it is logged, a state as
it starts, or as it stops when its scheme says ``when: stop``. Only the coder's own commands
ask (never an undo or a redo), and an event that already has a modifier is not asked again.
"""

from __future__ import annotations

from coder.coding.changes import Change
from coder.model import Event
from coder.scheme import Scheme


def modifier_asks(scheme: Scheme, change: Change) -> list[Event]:
    """The events ``change`` coded that now ask for a modifier, by onset."""
    if change.kind != "do":
        return []
    asks: list[Event] = []
    for record in change.records:
        after = record.after
        if after is None or after.modifiers or not scheme.has_behaviour(after.behaviour):
            continue
        behaviour = scheme.behaviour(after.behaviour)
        before = record.before
        started = before is None
        stopped = before is not None and before.offset is None and after.offset is not None
        if (started and behaviour.modifier_asked_at("start")) or (
            stopped and behaviour.modifier_asked_at("stop")
        ):
            asks.append(after)
    return sorted(asks, key=lambda e: (e.onset.frame, e.id or 0))
