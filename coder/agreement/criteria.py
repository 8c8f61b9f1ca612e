"""A project's agreement criteria and the verdicts figures get against them.

Defaults: kappa ≥ .70 (micro-codes, nominal scales), ICC(2,1) ≥ .80 and exact-or-±1
agreement ≥ 80% (rating scales). A project overrides them with the settings
``agreement.kappa_min``, ``agreement.icc_min`` and ``agreement.within_one_min`` (text numbers;
a percentage such as ``85`` or ``85%`` is read as .85).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SETTINGS = {
    "kappa_min": "agreement.kappa_min",
    "icc_min": "agreement.icc_min",
    "within_one_min": "agreement.within_one_min",
}


@dataclass(frozen=True, slots=True)
class Criteria:
    """The least agreement a lab accepts."""

    kappa_min: float = 0.70
    icc_min: float = 0.80
    within_one_min: float = 0.80

    @classmethod
    def from_settings(cls, setting: Callable[[str], str | None]) -> Criteria:
        """The criteria with a project's overrides (``setting(key)`` gives text or None)."""
        values: dict[str, float] = {}
        for field, key in SETTINGS.items():
            text = setting(key)
            if text is None or not text.strip():
                continue
            values[field] = _share(text, key)
        return cls(**values)

    def settings(self) -> dict[str, str]:
        """The project settings (key → text) that hold these criteria."""
        for field, key in SETTINGS.items():
            value = getattr(self, field)
            if not 0 <= value <= 1:
                raise ValueError(f"{key}: {value} must lie between 0 and 1")
        return {key: f"{getattr(self, field):g}" for field, key in SETTINGS.items()}


def _share(text: str, key: str) -> float:
    raw = text.strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"project setting {key}: {text!r} is not a number") from None
    if value > 1:
        value /= 100
    if not 0 <= value <= 1 or not math.isfinite(value):
        raise ValueError(f"project setting {key}: {text!r} must lie between 0 and 1 (or 0-100%)")
    return value


@dataclass(frozen=True, slots=True)
class Check:
    """One figure held against its criterion; ``passed`` is None when the figure is undefined."""

    figure: str
    value: float
    minimum: float

    @property
    def passed(self) -> bool | None:
        if math.isnan(self.value):
            return None
        return self.value >= self.minimum - 1e-12


@dataclass(frozen=True, slots=True)
class Verdict:
    """The checks of one part: passed when every defined check passes."""

    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool | None:
        """True, False, or None when no figure could be judged."""
        judged = [c.passed for c in self.checks if c.passed is not None]
        if not judged:
            return None
        return all(judged)

    @property
    def text(self) -> str:
        return {True: "pass", False: "below criterion", None: "not judged"}[self.passed]


def overall(verdicts: Sequence[Verdict]) -> bool | None:
    """Passed when every judged verdict passed; None when none was judged."""
    judged = [v.passed for v in verdicts if v.passed is not None]
    if not judged:
        return None
    return all(judged)
