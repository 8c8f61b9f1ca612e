"""Coding schemes: subjects, behaviours, groups, rating scales (computed ones too), segments,
contingencies and Q-sorts.

:func:`load_scheme` reads a YAML file (format: ``schemes/README.md``) or a bundled scheme by
name and raises :class:`SchemeError` naming the file, line and field of the first problem.
The modules: :mod:`~coder.scheme.model` (the immutable records), :mod:`~coder.scheme.parse`
(validation), :mod:`~coder.scheme.yaml_source` (YAML with line numbers) and
:mod:`~coder.scheme.load`.
"""

from coder.scheme.load import BUNDLED_DIR, bundled_schemes, load_scheme, scheme_from_dict
from coder.scheme.model import (
    Behaviour,
    Contingency,
    Criterion,
    EpisodeDef,
    Group,
    QItem,
    QSort,
    Scale,
    Scheme,
    SchemeError,
    SegmentRules,
    Subject,
)

__all__ = [
    "BUNDLED_DIR",
    "Behaviour",
    "Contingency",
    "Criterion",
    "EpisodeDef",
    "Group",
    "QItem",
    "QSort",
    "Scale",
    "Scheme",
    "SchemeError",
    "SegmentRules",
    "Subject",
    "bundled_schemes",
    "load_scheme",
    "scheme_from_dict",
]
