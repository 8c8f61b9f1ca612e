"""Which coding passes an export holds: the filters and the read-only records they select."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.model import CodingStatus

if TYPE_CHECKING:
    from coder.project import Project
    from coder.project.records import PassRecord


class ExportError(ValueError):
    """An export that cannot be made as asked; the message names what and where."""


@dataclass(frozen=True, slots=True)
class Filters:
    """The passes to export.

    ``observations``: ids or names (None: all); ``coders``: initials (None: all); ``status``:
    ``"done"`` or ``"in_progress"`` (None: both); master (reference) passes are left out unless
    ``include_master``.
    """

    observations: tuple[str, ...] | None = None
    coders: tuple[str, ...] | None = None
    status: str | None = None
    include_master: bool = False

    def describe(self) -> list[tuple[str, str]]:
        """The filters as (name, text) pairs, for the About table."""
        return [
            ("observations", "all" if self.observations is None else ", ".join(self.observations)),
            ("coders", "all" if self.coders is None else ", ".join(self.coders)),
            ("status", self.status or "any"),
            ("master passes", "included" if self.include_master else "left out"),
        ]


def select_passes(project: Project, filters: Filters | None = None) -> list[PassRecord]:
    """The read-only records of the passes ``filters`` choose, by observation then coder.

    An observation or coder named in the filters that the project does not have is an
    :class:`ExportError` naming it (a typo must not export nothing silently).
    """
    filters = filters or Filters()
    if filters.status is not None and filters.status not in {s.value for s in CodingStatus}:
        raise ExportError(f"status {filters.status!r}: use 'done' or 'in_progress'")
    observations = None
    if filters.observations is not None:
        observations = _observation_ids(project, filters.observations)
    if filters.coders is not None:
        known = {c.initials for c in project.coders}
        for initials in filters.coders:
            if initials not in known:
                raise ExportError(
                    f"{project.path}: no coder {initials!r} (coders: {', '.join(sorted(known))})"
                )
    infos = project.passes(observations=observations, coders=filters.coders, status=filters.status)
    if not filters.include_master:
        infos = [info for info in infos if not info.is_master]
    infos.sort(key=lambda i: (i.observation_id, i.coder.initials, i.id))
    return project.load_passes(infos)


def _observation_ids(project: Project, wanted: Iterable[str]) -> list[int]:
    observations = project.observations
    by_name = {o.name: o.id for o in observations}
    by_id = {str(o.id): o.id for o in observations}
    ids = []
    for item in wanted:
        found = by_id.get(item.strip(), by_name.get(item.strip()))
        if found is None:
            raise ExportError(f"{project.path}: no observation {item!r} (give an id or a name)")
        ids.append(found)
    return ids


def split_list(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """Command-line lists given as ``a b`` or ``a,b``: one tuple, or None when not given."""
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
