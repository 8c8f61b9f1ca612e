"""Which passes of a project are compared: two coders, or every coder against the master.

- ``coders=("A", "B")``: every observation both coded; the reference (rows) is ``master`` if
  given, else whichever of the two passes is marked as the master pass, else A.
- ``coders=("B",)`` or none: every observation with a master pass (or a pass of ``master``),
  each other pass (of B, or of everyone) against it.

When a coder has several passes of one observation, the finished one that changed last is used.
Reading never writes to the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coder.agreement.criteria import Criteria
from coder.agreement.durations import Duration
from coder.agreement.report import AgreementReport, PassPair, agreement_report
from coder.model import CodingInfo, CodingStatus, Observation
from coder.project import Project


def project_report(
    project: Project,
    coders: Sequence[str] | None = None,
    *,
    master: str | None = None,
    observations: Iterable[Observation | int | str] | None = None,
    unit: Duration | str | float = "1s",
    tolerance: Duration | str | float = "2s",
    criteria: Criteria | None = None,
) -> AgreementReport:
    """The agreement report of ``project`` (criteria from its settings unless given)."""
    infos, skipped = select_pairs(project, coders, master=master, observations=observations)
    records = {r.coding_id: r for r in project.load_passes([i for pair in infos for i in pair])}
    pairs = [PassPair(records[a.id], records[b.id]) for a, b in infos]
    rules = criteria or Criteria.from_settings(project.setting)
    return agreement_report(pairs, unit=unit, tolerance=tolerance, criteria=rules, skipped=skipped)


def select_pairs(
    project: Project,
    coders: Sequence[str] | None = None,
    *,
    master: str | None = None,
    observations: Iterable[Observation | int | str] | None = None,
) -> tuple[list[tuple[CodingInfo, CodingInfo]], list[str]]:
    """(reference, other) passes to compare, and a line per observation left out (why)."""
    chosen = list(coders or ())
    if len(chosen) > 2:
        raise ValueError(f"--coders: give one or two coders, not {len(chosen)}")
    if len(chosen) == 2 and chosen[0] == chosen[1]:
        raise ValueError(f"--coders: {chosen[0]} against itself")
    known = {c.initials for c in project.coders}
    for initials in [*chosen, *([master] if master else [])]:
        if initials not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            raise ValueError(f"coder {initials!r} has no passes in this project (coders: {listed})")
    if len(chosen) == 2 and master is not None and master not in chosen:
        raise ValueError(
            f"--master {master} must be one of the two coders {chosen[0]}, {chosen[1]}"
        )
    pairs: list[tuple[CodingInfo, CodingInfo]] = []
    skipped: list[str] = []
    for obs in _observations(project, observations):
        passes = project.passes([obs.id])
        if len(chosen) == 2:
            found = _pair_of_two(passes, chosen, master)
            if isinstance(found, str):
                skipped.append(f"{obs.name}: {found}")
            else:
                pairs.append(found)
            continue
        reference = _reference(passes, master)
        if reference is None:
            who = f"no pass of {master}" if master else "no master pass"
            if len(passes) >= 2:
                skipped.append(f"{obs.name}: {who}")
            continue
        others = [
            p
            for p in _latest_per_coder(passes)
            if p.coder.initials != reference.coder.initials
            and (not chosen or p.coder.initials == chosen[0])
        ]
        if not others:
            skipped.append(f"{obs.name}: only {reference.coder.initials} coded it")
        pairs.extend((reference, p) for p in others)
    if not pairs:
        why = "; ".join(skipped[:3]) if skipped else "no observation has two coders' passes"
        raise ValueError(f"nothing to compare: {why}")
    return pairs, skipped


def _observations(
    project: Project, wanted: Iterable[Observation | int | str] | None
) -> list[Observation]:
    everything = project.observations
    if wanted is None:
        return everything
    by_id = {o.id: o for o in everything}
    by_name = {o.name: o for o in everything}
    out = []
    for item in wanted:
        if isinstance(item, Observation):
            out.append(item)
        elif isinstance(item, int) and item in by_id:
            out.append(by_id[item])
        elif isinstance(item, str) and item in by_name:
            out.append(by_name[item])
        elif isinstance(item, str) and item.isdigit() and int(item) in by_id:
            out.append(by_id[int(item)])
        else:
            raise ValueError(f"--observations: no observation {item!r} in this project")
    return out


def _latest_per_coder(passes: Sequence[CodingInfo]) -> list[CodingInfo]:
    best: dict[str, CodingInfo] = {}
    for info in passes:
        current = best.get(info.coder.initials)
        if current is None or _rank(info) > _rank(current):
            best[info.coder.initials] = info
    return list(best.values())


def _rank(info: CodingInfo) -> tuple[bool, bool, str, int]:
    return (info.is_master, info.status is CodingStatus.DONE, info.updated_at, info.id)


def _reference(passes: Sequence[CodingInfo], master: str | None) -> CodingInfo | None:
    if master is not None:
        return next((p for p in _latest_per_coder(passes) if p.coder.initials == master), None)
    return next((p for p in passes if p.is_master), None)


def _pair_of_two(
    passes: Sequence[CodingInfo], coders: Sequence[str], master: str | None
) -> tuple[CodingInfo, CodingInfo] | str:
    latest = {p.coder.initials: p for p in _latest_per_coder(passes)}
    missing = [c for c in coders if c not in latest]
    if missing:
        present = [c for c in coders if c in latest]
        return f"only {present[0]} coded it" if present else "neither coder coded it"
    a, b = latest[coders[0]], latest[coders[1]]
    if master == coders[1] or (master is None and b.is_master and not a.is_master):
        a, b = b, a
    return a, b
