"""A study coded with the bundled demonstration Q-set, built at test time (no tests of its own).

The scheme is ``qsort_demo`` with one rating scale added (sensitivity, 1 to 9), so that the
visits have a rating besides their Q-sort scores. Participant P01 was seen at three visits:
at the first, coders AB and CD each made one complete sort (AB's follows the security
criterion, CD's the dependency criterion) and rated sensitivity; at the second and third, AB
alone. Participant P02 was seen once (AB rates sensitivity, and has sorted only one item).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path

from coder.project import Project
from coder.scheme import BUNDLED_DIR, QSort, Scale, Scheme, load_scheme
from tests.instruments.fixtures import fake_medium

SENSITIVITY = Scale("sens", "Sensitivity", 1, 9, anchors={1: "low", 5: "mixed", 9: "high"})
SCHEME: Scheme = dataclasses.replace(
    load_scheme(BUNDLED_DIR / "qsort_demo.yaml"), scales=(SENSITIVITY,)
)
QSET: QSort = SCHEME.qsort("demo")
RATINGS = {"v1": {"AB": 5, "CD": 6}, "v2": {"AB": 7}, "v3": {"AB": 6}}


def forced_sort(qsort: QSort, order: list[str]) -> dict[str, int]:
    """Items dealt into the piles in ``order`` (the first to pile 1), meeting the distribution."""
    piles = [pile for pile, count in enumerate(qsort.distribution, 1) for _ in range(count)]
    return dict(zip(order, piles, strict=True))


def by_criterion(qsort: QSort, code: str) -> dict[str, int]:
    """A complete sort that follows criterion ``code`` (ties in item order)."""
    wanted = qsort.criterion(code).sort
    return forced_sort(qsort, sorted(qsort.item_ids, key=lambda i: wanted[i]))


def shuffled(qsort: QSort, seed: int) -> dict[str, int]:
    """A complete sort with the items in a seeded random order."""
    order = list(qsort.item_ids)
    random.Random(seed).shuffle(order)
    return forced_sort(qsort, order)


#: Visit → coder → the sort made.
SORTS = {
    "v1": {"AB": by_criterion(QSET, "security"), "CD": by_criterion(QSET, "dependency")},
    "v2": {"AB": shuffled(QSET, 2)},
    "v3": {"AB": shuffled(QSET, 3)},
}


@dataclass(frozen=True)
class QStudy:
    path: Path
    visits: tuple[int, ...]  # P01's observation ids, in visit order
    once: int  # P02's observation id


def make_qsort_study(folder: Path) -> QStudy:
    """The study project in ``folder`` (see the module's notes)."""
    path = folder / "qsort.attune"
    with Project.create(path, SCHEME) as project:
        visits = []
        for visit in RATINGS:
            medium, timebase = fake_medium(f"p01_{visit}.mp4")
            obs = project.store.add_observation(
                f"P01 {visit}", [medium], [timebase], participant="P01", visit=visit
            )
            visits.append(obs.id)
            for coder, value in RATINGS[visit].items():
                session = project.start_coding(obs.id, coder)
                session.rate("sens", value)
                for item, pile in SORTS[visit][coder].items():
                    session.place("demo", item, pile)
        medium, timebase = fake_medium("p02.mp4")
        once = project.store.add_observation("P02 v1", [medium], [timebase], participant="P02")
        session = project.start_coding(once.id, "AB")
        session.rate("sens", 3)
        session.place("demo", "q4", 9)
    return QStudy(path, tuple(visits), once.id)
