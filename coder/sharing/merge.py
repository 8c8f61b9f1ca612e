"""Merging a coder's package back into the project (:func:`merge`).

For every pass in the package, three digests are compared: the pass as handed out (or as
last merged from this package), as the project holds it now, and as the package holds it.

- package = project: already there (merging twice adds nothing);
- package unchanged: nothing to bring (the project's newer work is kept);
- project unchanged: the package's pass replaces the project's, checked by the rules every
  coding command obeys (:meth:`~coder.coding.session.Session.apply_batch`);
- both changed: refused, with a report naming the pass.

A package made from another project, holding another coder's passes, or coded with a scheme
version other than the project pass's is refused; ``onto_project_scheme`` maps the records
explicitly onto the project's version instead (each checked by its rules). Nothing in the
project changes unless the whole merge succeeds: every write runs in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder.coding import Batch, BatchError, Session
from coder.model import CodingInfo, CodingStatus
from coder.project import Project, ProjectError
from coder.project.records import media_timebases
from coder.scheme import Scheme
from coder.sharing.package import EMPTY_DIGEST, HANDOUT_KEY, store_digest
from coder.store.base import Store, StoreError
from coder.store.factory import Location, open_store


class MergeError(ProjectError):
    """A merge refused whole; :attr:`problems` names every reason."""

    def __init__(self, package: Path, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{package}: not merged ({count} problem{'s' * (count != 1)}; the project is "
            f"unchanged): " + "; ".join(problems)
        )


@dataclass
class MergeReport:
    """What a merge did, pass by pass (observation names)."""

    merged: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    package_pass: CodingInfo
    observation_id: int
    name: str
    scheme_id: int | None  # the project's scheme to code with; None: the package's, added
    digest: str


def merge(
    location: Location, package_path: str | Path, *, onto_project_scheme: bool = False
) -> MergeReport:
    """Bring the passes of the package at ``package_path`` into the project at ``location``."""
    path = Path(package_path)
    try:
        package = open_store(path, read_only=True)
    except StoreError as exc:
        raise ProjectError(str(exc)) from exc
    try:
        record = _record(package, path)
        with Project.open(location) as project:
            return _merge(project, package, path, record, onto_project_scheme)
    finally:
        package.close()


def _record(package: Store, path: Path) -> dict[str, Any]:
    text = package.get_meta(HANDOUT_KEY)
    if text is None:
        raise ProjectError(f"{path}: not a hand-out package (made by `attune handout`)")
    try:
        record = json.loads(text)
        return dict(record)
    except (ValueError, TypeError) as exc:
        raise ProjectError(f"{path}: the hand-out record is damaged ({exc})") from exc


def _merge(
    project: Project, package: Store, path: Path, record: dict[str, Any], onto: bool
) -> MergeReport:
    store = project.store
    coder = str(record["coder"])
    problems: list[str] = []
    sources = {int(o["package"]): o for o in record["observations"]}
    project_obs = {o.id: o for o in project.observations}
    for entry in sources.values():
        obs = project_obs.get(int(entry["source"]))
        if obs is None or [m.fingerprint for m in obs.media] != list(entry["fingerprints"]):
            problems.append(
                f"observation {entry['source']} of the hand-out is not in {project.location} "
                "with the same videos (a package of another project?)"
            )
    strangers = sorted({c.coder.initials for c in package.codings()} - {coder})
    if strangers:
        problems.append(f"it holds passes by {', '.join(strangers)}; a hand-out to {coder} "
                        f"holds only {coder}'s")  # fmt: skip
    if problems:
        raise MergeError(path, problems)
    merged_key = f"merged.{record['id']}"
    merged: dict[str, str] = json.loads(store.get_meta(merged_key) or "{}")
    who = next((c for c in store.coders() if c.initials == coder), None)
    report = MergeReport()
    plans: list[_Plan] = []
    for info in package.codings():
        source = int(sources[info.observation_id]["source"])
        name = project_obs[source].name
        ours = store.find_coding(source, who.id or 0) if who is not None else None
        theirs = store_digest(package, info.id)
        now = store_digest(store, ours.id) if ours is not None else EMPTY_DIGEST
        base = merged.get(str(source)) or record["passes"].get(str(source)) or EMPTY_DIGEST
        if theirs == now:
            report.already.append(name)
            continue
        if theirs == base:
            report.kept.append(name)
            continue
        if now != base:
            problems.append(
                f"{coder}'s pass over {name!r} was edited both in the project (since the "
                "hand-out) and in the package; merge it by hand or hand it out again"
            )
            continue
        scheme_id, problem = _scheme_for(store, package.scheme(info.scheme_id), ours, onto, name)
        if problem:
            problems.append(problem)
            continue
        plans.append(_Plan(info, source, name, scheme_id, theirs))
    if problems:
        raise MergeError(path, problems)
    if not plans:
        return report
    try:
        with store.transaction():
            for plan in plans:
                _apply(store, package, coder, plan)
                merged[str(plan.observation_id)] = plan.digest
                report.merged.append(plan.name)
            store.set_meta(merged_key, json.dumps(merged, sort_keys=True))
    except BatchError as exc:
        raise MergeError(path, exc.problems) from exc
    except StoreError as exc:
        raise MergeError(path, [str(exc)]) from exc
    return report


def _scheme_for(
    store: Store, theirs: Scheme, ours: CodingInfo | None, onto: bool, name: str
) -> tuple[int | None, str]:
    """The project's scheme id to code the merged pass with (None: add the package's)."""
    if ours is not None:
        target = store.scheme(ours.scheme_id)
        if target.content_hash == theirs.content_hash or onto:
            return ours.scheme_id, ""
        return None, (
            f"the pass over {name!r} was coded with scheme {theirs.name!r} version "
            f"{theirs.version} ({theirs.content_hash[:12]}), the project's with version "
            f"{target.version} ({target.content_hash[:12]}); merge with --onto-project-scheme "
            "to check its records against the project's version and map them onto it"
        )
    for scheme_id in store.scheme_ids():
        if store.scheme(scheme_id).content_hash == theirs.content_hash:
            return scheme_id, ""
    if onto:
        current = store.get_meta("current_scheme")
        return (int(current) if current and current.isdigit() else None), ""
    return None, (
        f"the pass over {name!r} was coded with scheme {theirs.name!r} version "
        f"{theirs.version} ({theirs.content_hash[:12]}), which the project does not hold; "
        "merge with --onto-project-scheme to map it onto the project's current scheme"
    )


def _apply(store: Store, package: Store, coder: str, plan: _Plan) -> None:
    """Replace the project's pass by the package's (inside the merge's transaction)."""
    who = store.ensure_coder(coder)
    info = store.find_coding(plan.observation_id, who.id or 0)
    if info is None:
        scheme_id = plan.scheme_id
        if scheme_id is None:
            scheme_id = store.add_scheme(package.scheme(plan.package_pass.scheme_id))
        info = store.create_coding(plan.observation_id, who.id or 0, scheme_id)
    elif plan.scheme_id is not None and info.scheme_id != plan.scheme_id:
        store.set_coding_scheme(info.id, plan.scheme_id)
    for event in store.load_events(info.id):
        store.delete_event(info.id, event.id or 0)
    for rating in store.load_ratings(info.id):
        store.delete_rating(info.id, rating.scale, rating.segment)
    for episode in store.load_episodes(info.id):
        store.delete_episode(info.id, episode.code)
    if store.coding(info.id).status is not CodingStatus.IN_PROGRESS:
        store.set_status(info.id, CodingStatus.IN_PROGRESS)
    info = store.coding(info.id)
    timebase = media_timebases(store, store.observation(plan.observation_id))[0]
    session = Session(store, info, store.scheme(info.scheme_id), timebase)
    theirs = plan.package_pass.id
    session.apply_batch(
        Batch(
            [e.with_id(None) for e in package.load_events(theirs)],
            package.load_ratings(theirs),
            package.load_episodes(theirs),
        ),
        label="Merge a hand-out package",
    )
    if plan.package_pass.status is not CodingStatus.IN_PROGRESS:
        store.set_status(info.id, plan.package_pass.status)
