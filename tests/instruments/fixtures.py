"""Small schemes, sessions and projects for the instrument tests (no video files needed)."""

from __future__ import annotations

from pathlib import Path

from coder.coding.session import Session
from coder.model import Coder, CodingInfo, Media
from coder.project import Project
from coder.scheme import Scheme
from coder.scheme.parse import parse_scheme_text
from coder.store.memory import MemoryStore
from coder.timebase import TimeBase

FPS = 25.0
FRAMES = 1500  # 60 s

EAS4 = parse_scheme_text(
    """\
name: Two dimensions scored from components
segments: {interval_s: 30}
scales:
  - {code: s1, min: 1, max: 7, rated_on: [session, intervals]}
  - {code: s2, min: 1, max: 7, rated_on: [session, intervals]}
  - {code: s3, min: 1, max: 3, rated_on: [session, intervals]}
  - {code: sens, name: Sensitivity score, of: [s1, s2, s3], rated_on: [session, intervals]}
  - {code: h1, min: 1, max: 5}
  - {code: h2, min: 1, max: 5, step: 0.5}
  - {code: hostility, compute: mean, of: [h1, h2]}
"""
)

QSET = parse_scheme_text(
    """\
name: Six-item Q-set
scales:
  - {code: sens, min: 1, max: 9}
qsorts:
  - code: mini
    name: Mini Q-set
    piles: 3
    distribution: [1, 4, 1]
    items:
      - {id: a, text: Looks back while playing.}
      - {id: b, text: Comes when upset.}
      - {id: c, text: Ignores the caregiver's return.}
      - {id: d, text: Shares toys.}
      - {id: e, text: Clings.}
      - {id: f, text: Settles quickly.}
    criteria:
      - code: security
        name: Security
        sort: {a: 3, b: 2.5, c: 1, d: 2, e: 1.5, f: 2}
"""
)


def make_session(scheme: Scheme, frames: int = FRAMES) -> tuple[Session, MemoryStore]:
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    store = MemoryStore.for_codings([info])
    return Session(store, info, scheme, TimeBase.constant(frames, FPS)), store


def fake_medium(name: str = "none.mp4", frames: int = FRAMES) -> tuple[Media, TimeBase]:
    timebase = TimeBase.constant(frames, FPS)
    medium = Media(
        path=f"videos/{name}",
        fingerprint=f"s3-sha256:{name}",
        size_bytes=1,
        duration_us=timebase.duration_us,
        frame_count=frames,
        fps=FPS,
    )
    return medium, timebase


def project_file(path: Path, scheme: Scheme, observations: int = 1) -> tuple[Project, list[int]]:
    """A new project file holding ``observations`` observations of one participant."""
    project = Project.create(path, scheme)
    ids = []
    for n in range(1, observations + 1):
        medium, timebase = fake_medium(f"v{n}.mp4")
        obs = project.store.add_observation(
            f"visit {n}", [medium], [timebase], participant="P01", visit=f"v{n}"
        )
        ids.append(obs.id)
    return project, ids
