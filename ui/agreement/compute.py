"""What the agreement view asks the core for (no Qt): whom to compare, and the computation.

:func:`prepare` reads the chosen passes on the GUI thread (one query per table; the project's
store is not shared with worker threads); :func:`compute` is the background part: the report
and, for every pair and group, the spans of time units where the coders differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coder.agreement.criteria import Criteria
from coder.agreement.durations import Duration, parse_duration
from coder.agreement.report import AgreementReport, PassPair, agreement_report
from coder.agreement.selection import select_pairs
from coder.agreement.spans import DifferingSpan, differing_spans
from coder.jobs import Progress
from coder.project import Project

MASTER = ""
"""The reference "coder" that stands for each observation's master pass."""


@dataclass(frozen=True, slots=True)
class Choice:
    """What the lab lead asked for: reference (a coder, or :data:`MASTER`), the other coder,
    the observations (ids), the time unit and the onset tolerance (as typed)."""

    reference: str
    other: str
    observations: tuple[int, ...]
    unit: str = "1s"
    tolerance: str = "2s"


@dataclass(frozen=True, eq=False)
class Request:
    """The passes to compare, read and frozen, with the settings to compare them by."""

    pairs: tuple[PassPair, ...]
    unit: Duration
    tolerance: Duration
    criteria: Criteria
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Result:
    """The report, and per pair (index into ``pairs``) and group code the differing spans."""

    report: AgreementReport
    pairs: tuple[PassPair, ...]
    spans: dict[tuple[int, str], tuple[DifferingSpan, ...]] = field(default_factory=dict)

    def pair_of(self, observation_id: int) -> int | None:
        """The index of the pair over ``observation_id`` (None when it was not compared)."""
        return next(
            (i for i, p in enumerate(self.pairs) if p.reference.observation.id == observation_id),
            None,
        )


@dataclass(frozen=True, slots=True)
class Comparable:
    """An observation that at least two coders coded, and who did."""

    id: int
    name: str
    coders: tuple[str, ...]
    master: str | None


def comparable_observations(project: Project) -> list[Comparable]:
    """Observations with passes of two or more coders, in the project's order."""
    by_obs: dict[int, list[str]] = {}
    masters: dict[int, str] = {}
    for info in project.passes():
        by_obs.setdefault(info.observation_id, []).append(info.coder.initials)
        if info.is_master:
            masters[info.observation_id] = info.coder.initials
    out = []
    for obs in project.observations:
        coders = tuple(dict.fromkeys(by_obs.get(obs.id, [])))
        if len(coders) >= 2:
            out.append(Comparable(obs.id, obs.name, coders, masters.get(obs.id)))
    return out


def coder_initials(project: Project) -> list[str]:
    """Initials of every coder with a pass, sorted."""
    return sorted({info.coder.initials for info in project.passes()})


def default_choice(project: Project) -> Choice | None:
    """The master pass against the first other coder when a master exists, else the first two
    coders; None when no observation has two coders."""
    found = comparable_observations(project)
    if not found:
        return None
    ids = tuple(o.id for o in found)
    with_master = [o for o in found if o.master is not None]
    if with_master:
        first = with_master[0]
        other = next(c for c in first.coders if c != first.master)
        return Choice(MASTER, other, ids)
    return Choice(found[0].coders[0], found[0].coders[1], ids)


def prepare(project: Project, choice: Choice) -> Request:
    """Read the passes ``choice`` names (ValueError with a message for people when it cannot)."""
    unit = parse_duration(choice.unit.strip() or "1s", "Unit")
    tolerance = parse_duration(choice.tolerance.strip() or "2s", "Tolerance")
    if not choice.observations:
        raise ValueError("Choose at least one observation.")
    if choice.reference == choice.other:
        raise ValueError(f"Choose two different coders ({choice.other} against itself).")
    if choice.reference == MASTER:
        coders: list[str] = [choice.other]
        master = None
    else:
        coders = [choice.reference, choice.other]
        master = choice.reference
    infos, skipped = select_pairs(
        project, coders, master=master, observations=list(choice.observations)
    )
    records = {r.coding_id: r for r in project.load_passes([i for pair in infos for i in pair])}
    pairs = tuple(PassPair(records[a.id], records[b.id]) for a, b in infos)
    criteria = Criteria.from_settings(project.setting)
    return Request(pairs, unit, tolerance, criteria, tuple(skipped))


def compute(request: Request, progress: Progress) -> Result:
    """The report and the differing spans (the work of a background job)."""
    pairs = request.pairs
    steps = len(pairs) + 1
    progress(0, steps, "figures")
    report = agreement_report(
        pairs,
        unit=request.unit,
        tolerance=request.tolerance,
        criteria=request.criteria,
        skipped=request.skipped,
    )
    spans: dict[tuple[int, str], tuple[DifferingSpan, ...]] = {}
    for i, (pair, part) in enumerate(zip(pairs, report.parts, strict=True)):
        progress(i + 1, steps, part.label)
        ref = pair.reference
        for group in part.groups:
            spans[(i, group.code)] = differing_spans(
                ref.events,
                pair.other.events,
                group.time_units,
                ref.timebase,
                end_us=ref.duration_us,
            )
    progress(steps, steps, "done")
    return Result(report, pairs, spans)


def describe_choice(request: Request) -> str:
    """One line: who against whom, over how many observations, with which unit and tolerance."""
    refs = ", ".join(dict.fromkeys(p.reference.coder for p in request.pairs))
    others = ", ".join(dict.fromkeys(p.other.coder for p in request.pairs))
    n = len(request.pairs)
    return (
        f"{others} against {refs} over {n} observation{'s' if n != 1 else ''}; "
        f"unit {request.unit}, onset tolerance {request.tolerance}"
    )
