"""A project: observations, their media, coders and coding passes, behind one store.

:class:`Project` is the facade (:mod:`~coder.project.project`); :mod:`~coder.project.integrity`
checks a project's records.
"""

from coder.project.project import (
    EVENT_COLUMNS,
    RATING_COLUMNS,
    SUFFIX,
    Project,
    ProjectError,
    file_problem,
)

__all__ = ["EVENT_COLUMNS", "RATING_COLUMNS", "SUFFIX", "Project", "ProjectError", "file_problem"]
