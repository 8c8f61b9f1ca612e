"""A project: observations, their media, coders and coding passes, behind one store.

:class:`Project` is the facade (:mod:`~coder.project.project`); :class:`PassRecord`
(:mod:`~coder.project.records`) is a read-only pass; :mod:`~coder.project.tables` makes the long
tables; :mod:`~coder.project.integrity` checks a project's records.
"""

from coder.project.project import (
    BLIND_SETTING,
    EPISODE_COLUMNS,
    EVENT_COLUMNS,
    RATING_COLUMNS,
    SUFFIX,
    Project,
    ProjectError,
    file_problem,
)
from coder.project.records import PassRecord
from coder.project.saving import NotSavedError

__all__ = [
    "BLIND_SETTING",
    "EPISODE_COLUMNS",
    "EVENT_COLUMNS",
    "RATING_COLUMNS",
    "SUFFIX",
    "NotSavedError",
    "PassRecord",
    "Project",
    "ProjectError",
    "file_problem",
]
