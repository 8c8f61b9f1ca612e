"""Inter-rater agreement: the statistics labs report, event alignment and reports.

Two coders' values: :func:`percent_agreement`, :func:`cohen_kappa` (weighted over a scale's
declared categories), :func:`kappa_max`; several coders: :func:`fleiss_kappa`,
:func:`krippendorff_alpha`, :func:`icc` (six Shrout & Fleiss forms). Micro-codes:
:func:`time_unit_kappa` (per time unit) and :func:`align_events` (events paired within an onset
tolerance). Bad input raises ``ValueError`` naming what is wrong; a figure the data leave
undefined is :class:`Undefined` (NaN with a ``reason``).
"""

from coder.agreement.alignment import NIL, AlignedPair, EventAlignment, align_events
from coder.agreement.alpha import krippendorff_alpha
from coder.agreement.categorical import (
    Confusion,
    agreement_weights,
    cohen_kappa,
    confusion,
    kappa_from_table,
    kappa_max,
    percent_agreement,
)
from coder.agreement.durations import Duration, parse_duration
from coder.agreement.fleiss import fleiss_kappa, fleiss_kappa_from_counts
from coder.agreement.icc import icc
from coder.agreement.time_units import NONE, CodeAgreement, TimeUnitAgreement, time_unit_kappa
from coder.agreement.undefined import Undefined, why_undefined

__all__ = [
    "NIL",
    "NONE",
    "AlignedPair",
    "CodeAgreement",
    "Confusion",
    "Duration",
    "EventAlignment",
    "TimeUnitAgreement",
    "Undefined",
    "agreement_weights",
    "align_events",
    "cohen_kappa",
    "confusion",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "icc",
    "kappa_from_table",
    "kappa_max",
    "krippendorff_alpha",
    "parse_duration",
    "percent_agreement",
    "time_unit_kappa",
    "why_undefined",
]
