"""Hand-out packages and merging them back: round trips and every refusal."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import pytest

from coder.model import Event, Stamp
from coder.project import Project
from coder.scheme import Behaviour
from coder.sharing import MergeError, handout, handout_cli, merge, merge_cli
from coder.sharing.package import HANDOUT_KEY, store_digest
from tests.test_project_support import SCHEME, fake_medium


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A project with observations p01 and p02; CD coded p01, KL started p02."""
    path = tmp_path / "study.attune"
    with Project.create(path, SCHEME) as project:
        for name in ("p01", "p02"):
            medium, timebase = fake_medium(500)
            project.store.add_observation(name, [medium], [timebase], participant=name.upper())
        first, second = project.observations
        cd = project.start_coding(first, "CD")
        cd.point("vocal", 40)
        kl = project.start_coding(second, "KL")
        kl.toggle("cry", 10)
        kl.toggle("cry", 20)
    return path


def digests(path: Path | str) -> dict[tuple[str, str], str]:
    with Project.open(path) as project:
        names = {o.id: o.name for o in project.observations}
        return {
            (c.coder.initials, names[c.observation_id]): store_digest(project.store, c.id)
            for c in project.codings()
        }


def code_in(package: Path, name: str, frames: list[int], rate: int | None = None) -> None:
    with Project.open(package) as project:
        obs = next(o for o in project.observations if o.name == name)
        session = project.start_coding(obs, "KL")
        for frame in frames:
            session.point("reach", frame)
        if rate is not None:
            session.rate("sens", rate)


def test_a_package_holds_the_scheme_the_observations_and_only_the_coders_passes(
    study: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "KL.attune"
    out.parent.mkdir()
    record = handout(study, "KL", ["p01", "2"], out)
    with Project.open(out) as package:
        assert [o.name for o in package.observations] == ["p01", "p02"]
        assert package.scheme.content_hash == SCHEME.content_hash
        assert [c.coder.initials for c in package.codings()] == ["KL"]
        (kl,) = package.codings()
        assert [e.behaviour for e in package.store.load_events(kl.id)] == ["cry"]
        assert package.observations[0].media[0].path == "../videos/none.mp4"  # referenced
        assert json.loads(package.store.get_meta(HANDOUT_KEY))["id"] == record["id"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["KL.attune"]  # nothing copied


def test_merging_brings_the_passes_back_and_twice_adds_nothing(study: Path, tmp_path: Path) -> None:
    package = tmp_path / "KL.attune"
    handout(study, "KL", ["p01", "p02"], package)
    code_in(package, "p01", [5, 6, 7], rate=4)
    code_in(package, "p02", [30])
    cd_before = digests(study)[("CD", "p01")]
    report = merge(study, package)
    assert sorted(report.merged) == ["p01", "p02"]
    after = digests(study)
    assert after[("KL", "p01")] == digests(package)[("KL", "p01")]
    assert after[("KL", "p02")] == digests(package)[("KL", "p02")]
    assert after[("CD", "p01")] == cd_before
    again = merge(study, package)
    assert again.merged == []
    assert sorted(again.already) == ["p01", "p02"]
    assert digests(study) == after
    code_in(package, "p01", [8])  # the coder goes on after a merge: merged again, no conflict
    assert merge(study, package).merged == ["p01"]
    assert digests(study)[("KL", "p01")] == digests(package)[("KL", "p01")]


def test_a_pass_edited_on_both_sides_is_refused_and_nothing_changes(
    study: Path, tmp_path: Path
) -> None:
    package = tmp_path / "KL.attune"
    handout(study, "KL", ["p01", "p02"], package)
    code_in(package, "p01", [5])
    code_in(package, "p02", [50])
    with Project.open(study) as project:
        project.start_coding(project.observations[1], "KL").point("reach", 99)
    before = digests(study)
    with pytest.raises(MergeError, match=r"pass over 'p02' was edited both") as refused:
        merge(study, package)
    assert "the project is unchanged" in str(refused.value)
    assert digests(study) == before  # p01 was fine, but was not merged alone either


def test_a_package_coded_with_another_scheme_version_is_refused_or_mapped_explicitly(
    study: Path, tmp_path: Path
) -> None:
    package = tmp_path / "KL.attune"
    handout(study, "KL", ["p01"], package)
    wider = replace(
        SCHEME,
        version="2",
        behaviours=(*SCHEME.behaviours, Behaviour("smile", "Smile", "point", "infant", "m")),
    )
    with Project.open(package) as project:
        project.set_scheme(wider)
    code_in(package, "p01", [5, 6])
    before = digests(study)
    with pytest.raises(MergeError, match=r"version 2 .*--onto-project-scheme"):
        merge(study, package)
    assert digests(study) == before
    assert merge(study, package, onto_project_scheme=True).merged == ["p01"]
    with Project.open(study) as project:
        kl = project.passes(coders=["KL"], observations=[project.observations[0]])[0]
        assert project.store.scheme(kl.scheme_id).content_hash == SCHEME.content_hash
    with Project.open(package) as project:  # a code the project's scheme lacks: refused
        project.start_coding(project.observations[0], "KL").point("smile", 9)
    with pytest.raises(MergeError, match=r"'smile' is not a behaviour"):
        merge(study, package, onto_project_scheme=True)


def test_records_that_break_the_rules_refuse_the_whole_merge(study: Path, tmp_path: Path) -> None:
    package = tmp_path / "KL.attune"
    handout(study, "KL", ["p01", "p02"], package)
    code_in(package, "p01", [5])
    with Project.open(package) as project:
        kl = project.passes(coders=["KL"], observations=[project.observations[1]])[0]
        project.store.insert_event(
            kl.id, Event("reach", "infant", Stamp(900, 36_000_000), None, False)
        )  # past the end of the 500-frame video
    before = digests(study)
    with pytest.raises(MergeError, match="outside the video"):
        merge(study, package)
    assert digests(study) == before


def test_packages_of_another_project_or_with_other_coders_or_none_are_refused(
    study: Path, tmp_path: Path
) -> None:
    package = tmp_path / "KL.attune"
    handout(study, "KL", ["p01"], package)
    other = tmp_path / "other.attune"
    with Project.create(other, SCHEME) as project:
        medium, timebase = fake_medium(500)
        project.store.add_observation("x", [replace(medium, fingerprint="s3-sha256:1")],
                                      [timebase])  # fmt: skip
    with pytest.raises(MergeError, match="another project"):
        merge(other, package)
    with Project.open(package) as project:
        project.start_coding(project.observations[0], "CD").point("reach", 3)
    with pytest.raises(MergeError, match="holds passes by CD"):
        merge(study, package)
    with pytest.raises(Exception, match="not a hand-out package"):
        merge(study, other)


def run_cli(module: object, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)  # type: ignore[attr-defined]
    return int(module.run(parser.parse_args(list(argv))))  # type: ignore[attr-defined]


def test_the_command_line_hands_out_and_merges(study: Path, tmp_path: Path, capsys) -> None:
    package = tmp_path / "KL.attune"
    assert run_cli(handout_cli, str(study), "--coder", "KL", "--observations", "p01",
                   "--out", str(package)) == 0  # fmt: skip
    code_in(package, "p01", [4])
    assert run_cli(merge_cli, str(study), str(package)) == 0
    assert run_cli(merge_cli, str(study), str(package)) == 0
    out = capsys.readouterr().out
    assert "merged: p01" in out
    assert "already in the project: p01" in out


def test_a_lab_server_project_hands_out_and_merges_too(tmp_path: Path) -> None:
    from tests.server.support import new_database

    url = new_database()
    with Project.create(url, SCHEME) as project:
        medium, timebase = fake_medium(500)
        project.store.add_observation("p01", [medium], [timebase])
    package = tmp_path / "KL.attune"
    handout(url, "KL", ["p01"], package)
    code_in(package, "p01", [3, 4])
    assert merge(url, package).merged == ["p01"]
    assert digests(url)[("KL", "p01")] == digests(package)[("KL", "p01")]
    assert merge(url, package).already == ["p01"]
