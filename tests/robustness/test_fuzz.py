"""Seeded fuzzing: damaged project files and mutated schemes end in a clean refusal of the
module's own error type or in a sound project; never another exception, never a changed file.

Each case is reproducible from its seed (printed in the assertion). Bounded: 160 byte flips of
a real project file and 400 scheme mutations run in a few seconds.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from coder.coding import SessionError
from coder.project import Project, ProjectError
from coder.scheme import SchemeError, bundled_schemes, scheme_from_dict
from coder.scheme.parse import parse_scheme_text
from tests.test_project_support import project_with_observation

FLIPS = 160
SCHEME_MUTATIONS = 400


@pytest.fixture(name="template", scope="module")
def template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real project: two passes with events, ratings and an episode, closed (one file)."""
    path = tmp_path_factory.mktemp("fuzz") / "study.attune"
    project, obs_id = project_with_observation(path, frames=3000)
    with project:
        for initials in ("AB", "CD"):
            session = project.start_coding(obs_id, initials)
            for frame in range(10, 400, 13):
                session.point("reach", frame, modifiers=())
            session.toggle("look_cg", 500)
            session.toggle("look_obj", 700)
            session.rate("sens", 7)
            session.rate("coop", 3, segment="interval_2")
        project.add_coder("EF", "Éloïse Façade")
    return path


def read_all(path: Path, read_only: bool) -> None:
    """Everything a reader and a coder do with a project."""
    with Project.open(path, read_only=read_only) as project:
        problems = project.check()
        project.scheme  # noqa: B018 (reads and validates the stored scheme)
        observations = project.observations
        project.coders  # noqa: B018
        passes = project.passes()
        project.load_passes(passes)
        project.events_frame()
        project.ratings_frame()
        project.episodes_frame()
        if not read_only and not problems:
            session = project.start_coding(observations[0], "AB")
            session.point("reach", 2999 if session.timebase.frame_count > 2999 else 0)
            session.undo()


def flip(template: Path, target: Path, rng: random.Random) -> None:
    data = bytearray(template.read_bytes())
    for _ in range(rng.choice((1, 1, 1, 2, 8))):
        where = rng.randrange(len(data))
        data[where] ^= 1 << rng.randrange(8)
    target.write_bytes(bytes(data))


def test_damaged_project_files_are_refused_cleanly_or_sound(template: Path, tmp_path: Path) -> None:
    outcomes = {"refused": 0, "sound": 0}
    for seed in range(FLIPS):
        rng = random.Random(seed)
        folder = tmp_path / str(seed)
        folder.mkdir()
        path = folder / "study.attune"
        flip(template, path, rng)
        for read_only in (True, False):
            before = path.read_bytes()
            try:
                read_all(path, read_only)
            except (ProjectError, SessionError) as exc:
                message = str(exc)
            except Exception as exc:  # pragma: no cover - what the test is there to catch
                pytest.fail(f"seed {seed} (read_only={read_only}): {type(exc).__name__}: {exc}")
            else:
                continue
            assert message, seed
            assert path.read_bytes() == before, f"seed {seed}: a refused file was changed"
            outcomes["refused"] += 1
            break
        else:
            outcomes["sound"] += 1
        shutil.rmtree(folder)
    assert outcomes["refused"] > 10  # the flips do damage: the checks see it
    assert outcomes["sound"] > 10  # and most flips of unused bytes leave a sound project


NASTY = [
    "\x00", "\x07", "\x1b", "😀", "\u202e", "\ud800", "\t", "[", "{", "&a", "*a",
    "!!python/object:os.system", "9" * 400, "1.0e-320", "-1.0e+308", "1.0e+308", ".nan", ".inf",
    "0.0000001", "0", "-1", "~", '"', "'", "\n  - ", ": ", "key: ", "- code: x\n    key: q",
    "[" * 200, "{a: " * 100,
]  # fmt: skip


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(5)
        i = rng.randrange(len(lines))
        if kind == 0:  # a nasty piece into a line
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(NASTY) + lines[i][at:]
        elif kind == 1:  # a value replaced
            head, sep, _ = lines[i].partition(": ")
            lines[i] = f"{head}{sep or ': '}{rng.choice(NASTY)}"
        elif kind == 2:
            del lines[i]
        elif kind == 3:
            lines.insert(i, lines[rng.randrange(len(lines))])
        else:  # a random character anywhere
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + chr(rng.randrange(0x110000)) + lines[i][at:]
    return "\n".join(lines)


def test_mutated_schemes_are_refused_with_their_place_or_usable() -> None:
    texts = [p.read_text(encoding="utf-8") for p in bundled_schemes().values()]
    accepted = refused = 0
    for seed in range(SCHEME_MUTATIONS):
        rng = random.Random(seed)
        text = mutate(rng.choice(texts), rng)
        try:
            scheme = parse_scheme_text(text, source="fuzz.yaml")
        except SchemeError as exc:
            message = str(exc)
            scheme = None
        except Exception as exc:  # pragma: no cover - what the test is there to catch
            pytest.fail(f"seed {seed}: {type(exc).__name__}: {exc}")
        if scheme is None:
            assert message.startswith("fuzz.yaml"), (seed, message)
            refused += 1
            continue
        again = scheme_from_dict(scheme.to_dict(), reserved_keys=())  # as a project stores it
        assert again.content_hash == scheme.content_hash, seed
        for behaviour in scheme.behaviours:
            assert behaviour.key.isprintable(), seed
        accepted += 1
    assert refused > 50
    assert accepted > 20
