"""The ``attune`` command: every subcommand, its output, exit status and error line."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

from coder.cli import SUBCOMMANDS, main
from coder.demo.synth import make_clip
from coder.model import Event, Stamp
from coder.project import Project
from tests.test_project_support import (
    REPO,
    SCHEME,
    child_env,
    point_at,
    project_with_observation,
)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return (
        make_clip(folder / "p01.mp4", frames=40, fps=25),
        make_clip(folder / "p02.mp4", frames=30, fps=30, audio=True),
    )


@pytest.fixture
def scheme_file(tmp_path: Path) -> Path:
    path = tmp_path / "gaze.yaml"
    path.write_text(yaml.safe_dump(SCHEME.to_dict(), sort_keys=False))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error_line(err: str, *parts: str) -> None:
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for part in parts:
        assert part in lines[0], (part, lines[0])


# ------------------------------------------------------------------ new
def test_new_creates_a_project_with_the_scheme(
    tmp_path: Path, scheme_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "study.attune"
    code, out, err = run(capsys, "new", str(target), "--scheme", str(scheme_file))
    assert (code, err) == (0, "")
    assert "'Store test scheme' (version 1): 5 behaviours, 2 rating scales" in out
    with Project.open(target) as project:
        assert project.scheme.content_hash == SCHEME.content_hash


def test_new_with_a_bundled_scheme_name(
    tmp_path: Path, scheme_file: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    shutil.copy(scheme_file, bundled / "gaze_demo.yaml")
    monkeypatch.setattr("coder.scheme.load.BUNDLED_DIR", bundled)
    code, _out, _err = run(capsys, "new", str(tmp_path / "b.attune"), "--scheme", "gaze_demo")
    assert code == 0
    assert (tmp_path / "b.attune").is_file()


def test_new_refuses_a_bad_scheme_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Broken\nbehaviours:\n  - code: cry\n    kind: sometimes\n")
    target = tmp_path / "study.attune"
    code, out, err = run(capsys, "new", str(target), "--scheme", str(bad))
    assert (code, out) == (2, "")
    assert_one_error_line(err, "bad.yaml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]
    code, _out, err = run(capsys, "new", str(target), "--scheme", "no_such_scheme")
    assert code == 2
    assert_one_error_line(err, "no_such_scheme", "no such scheme file")
    assert not target.exists()


def test_new_refuses_an_existing_file(
    tmp_path: Path, scheme_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "study.attune"
    target.write_text("keep")
    code, _out, err = run(capsys, "new", str(target), "--scheme", str(scheme_file))
    assert code == 2
    assert_one_error_line(err, str(target), "already exists")
    assert target.read_text() == "keep"


def test_new_without_a_scheme_is_a_usage_error(tmp_path: Path, capsys) -> None:
    code, _out, err = run(capsys, "new", str(tmp_path / "x.attune"))
    assert code == 2
    assert_one_error_line(err, "attune new", "--scheme")


# ------------------------------------------------------------------ add-video
def test_add_video_adds_one_observation_per_video(
    tmp_path: Path, clips: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "study.attune"
    Project.create(target, SCHEME).close()
    code, out, err = run(capsys, "add-video", str(target), *map(str, clips), "--participant", "P01")
    assert (code, err) == (0, "")
    assert out.count("added observation") == 2
    assert "'p01' (P01): 40 frames, 0:01.600, 25 fps\n" in out
    assert "'p02' (P01): 30 frames, 0:01.000, 30 fps, audio\n" in out
    with Project.open(target) as project:
        observations = project.observations
    assert [(o.name, o.participant, o.media[0].frame_count) for o in observations] == [
        ("p01", "P01", 40),
        ("p02", "P01", 30),
    ]


def test_add_video_adds_nothing_when_one_file_is_bad(
    tmp_path: Path, clips: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "study.attune"
    Project.create(target, SCHEME).close()
    junk = tmp_path / "junk.mp4"
    junk.write_text("this is no video")
    code, out, err = run(capsys, "add-video", str(target), str(clips[0]), str(junk))
    assert (code, out) == (2, "")
    assert_one_error_line(err, "junk.mp4")
    missing = tmp_path / "gone.mp4"
    code, _out, err = run(capsys, "add-video", str(target), str(missing))
    assert code == 2
    assert_one_error_line(err, "gone.mp4", "no such video file")
    with Project.open(target) as project:
        assert project.observations == []


def test_add_video_with_cameras_makes_one_observation_with_offsets(
    tmp_path: Path, clips: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "study.attune"
    Project.create(target, SCHEME).close()
    argv = ["add-video", str(target), *map(str, clips), "--cameras", "--offsets", "0", "0.5"]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert out.count("added observation") == 1
    assert "2 cameras" in out
    with Project.open(target) as project:
        (observation,) = project.observations
    assert [(m.position, m.offset_us) for m in observation.media] == [(0, 0), (1, 500_000)]
    code, _out, err = run(capsys, "info", str(target))
    assert "offset +0.500 s" in _out
    code, _out, err = run(capsys, "add-video", str(target), str(clips[0]), "--offsets", "1")
    assert code == 2
    assert_one_error_line(err, "--offsets takes one value per video, and only with --cameras")


def test_videos_beside_the_project_folder_are_stored_relative(
    tmp_path: Path, clips: tuple[Path, Path]
) -> None:
    study = tmp_path / "study"
    (study / "coding").mkdir(parents=True)
    (study / "videos").mkdir()
    video = shutil.copy(clips[0], study / "videos" / "p01.mp4")
    with Project.create(study / "coding" / "s.attune", SCHEME) as project:
        stored = project.add_observation(video).media[0]
    assert stored.path == "../videos/p01.mp4"
    moved = tmp_path / "moved"
    shutil.move(study, moved)
    with Project.open(moved / "coding" / "s.attune") as project:
        medium = project.observations[0].media[0]
        assert project.media_path(medium).resolve() == (moved / "videos" / "p01.mp4").resolve()
        assert project.media_path(medium).is_file()


def test_add_video_to_a_missing_project(
    tmp_path: Path, clips: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "add-video", str(tmp_path / "none.attune"), str(clips[0]))
    assert code == 2
    assert_one_error_line(err, "none.attune", "no such project file")
    assert not (tmp_path / "none.attune").exists()


# ------------------------------------------------------------------ info
def test_info_prints_observations_coders_codings_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune")
    with project:
        session = project.start_coding(obs_id, "AB")
        session.point("reach", 3)
        session.start("cry", 5)
        session.rate("sens", 6)
        project.start_coding(obs_id, "CD").point("vocal", 9)
    code, out, err = run(capsys, "info", str(tmp_path / "s.attune"))
    assert (code, err) == (0, "")
    assert "'Store test scheme' version 1" in out
    assert "observations (1)\n" in out
    assert "obs1  participant P01\n" in out
    assert "(file not found)" in out  # the fake medium has no file
    assert "coders (2)  AB, CD" in out
    assert "AB  in_progress  2 events  1 ratings" in out
    assert "CD  in_progress  1 events  0 ratings" in out
    assert "total     3 events, 1 ratings" in out


@pytest.mark.parametrize("content", [None, "plain text", "sqlite-other"])
def test_info_on_unreadable_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None
) -> None:
    import sqlite3

    path = tmp_path / "x.attune"
    if content == "plain text":
        path.write_text("hello")
    elif content == "sqlite-other":
        sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.close()
    code, out, err = run(capsys, "info", str(path))
    assert (code, out) == (2, "")
    assert_one_error_line(err, str(path))


# ------------------------------------------------------------------ check
def test_check_exits_0_on_a_sound_project(tmp_path: Path, capsys) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune")
    with project:
        project.start_coding(obs_id, "AB").point("reach", 3)
    code, out, err = run(capsys, "check", str(tmp_path / "s.attune"))
    assert (code, err) == (0, "")
    assert "no problems found" in out


def test_check_exits_1_with_the_list_of_problems(tmp_path: Path, capsys) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune", frames=100)
    with project:
        coding = project.start_coding(obs_id, "AB").coding_id
        project.store.insert_event(coding, Event("sneeze", "infant", Stamp(5, 200_000)))
        project.store.insert_event(coding, Event("reach", "infant", Stamp(500, 1), None, False))
    code, out, _err = run(capsys, "check", str(tmp_path / "s.attune"))
    assert code == 1
    lines = out.strip().split("\n")
    assert lines[-1].startswith("2 problems in ")
    assert any("'sneeze' is not a behaviour" in line for line in lines)
    assert any("reach at frame 500" in line and "outside the video" in line for line in lines)


def test_check_reports_a_damaged_file_as_a_problem(tmp_path: Path, capsys) -> None:
    path = tmp_path / "s.attune"
    project, obs_id = project_with_observation(path)
    with project, project.store.transaction():
        coding = project.start_coding(obs_id, "AB").coding_id
        for frame in range(0, 3000, 2):
            project.store.insert_event(coding, point_at(frame))
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))
    code, out, _err = run(capsys, "check", str(path))
    assert code == 1
    assert out.startswith(f"{path}: the project file is damaged")
    code, _out, err = run(capsys, "check", str(tmp_path / "none.attune"))
    assert code == 2
    assert_one_error_line(err, "none.attune")


# ------------------------------------------------------------------ schemes, help, app
def test_schemes_lists_bundled_schemes_with_their_description(
    tmp_path: Path, scheme_file: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    shutil.copy(scheme_file, bundled / "gaze_demo.yaml")
    (bundled / "broken.yaml").write_text("name: [")
    monkeypatch.setattr("coder.scheme.load.BUNDLED_DIR", bundled)
    code, out, _err = run(capsys, "schemes")
    assert code == 0
    lines = out.strip().split("\n")
    assert lines[0].startswith("broken     (cannot be loaded: ")
    assert lines[1].startswith("gaze_demo")
    assert "Store test scheme (version 1)" in lines[1]
    assert "Gaze, crying and reaching of an infant; caregiver sensitivity." in lines[1]


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--help")
    assert code == 0
    for name in SUBCOMMANDS:
        assert f"\n    {name}" in out, name
    assert set(SUBCOMMANDS) >= {"new", "add-video", "info", "check", "schemes", "export"}


def test_unknown_subcommands_and_options_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "frobnicate", "now")
    assert code == 2
    assert_one_error_line(err, "frobnicate")
    code, _out, err = run(capsys, "info", "a.attune", "--colour")
    assert code == 2
    assert_one_error_line(err, "--colour")


def test_no_arguments_or_a_project_path_open_the_app(tmp_path: Path, capsys) -> None:
    calls: list[Path | None] = []

    def open_app(project: Path | None) -> int:
        calls.append(project)
        return 0

    assert main([], open_app=open_app) == 0
    project_path = tmp_path / "s.attune"
    Project.create(project_path, SCHEME).close()
    assert main([str(project_path)], open_app=open_app) == 0
    assert calls == [None, project_path]
    assert main([str(tmp_path / "missing.attune")], open_app=open_app) == 2
    assert_one_error_line(capsys.readouterr().err, "missing.attune", "no such project file")
    (tmp_path / "text.attune").write_text("not a project")
    assert main([str(tmp_path / "text.attune")], open_app=open_app) == 2
    assert_one_error_line(capsys.readouterr().err, "text.attune", "not an Attune project")
    assert len(calls) == 2


def test_without_an_app_the_command_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys)
    assert code == 2
    assert_one_error_line(err, "no window", "attune --help")

    def broken_app(project: Path | None) -> int:
        raise ModuleNotFoundError("No module named 'ui.app'", name="ui.app")

    assert main([], open_app=broken_app) == 2
    assert_one_error_line(capsys.readouterr().err, "cannot start the app", "ui.app")


def test_plugin_subcommands_run_their_module(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = types.ModuleType("fake_export")
    fake.add_arguments = lambda parser: parser.add_argument("project")  # type: ignore[attr-defined]
    fake.run = lambda args: print(f"exported {args.project}") or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_export", fake)
    monkeypatch.setitem(
        __import__("coder.cli").cli.PLUGINS, "export", ("fake_export", "export things")
    )
    code, out, _err = run(capsys, "export", "s.attune")
    assert (code, out) == (0, "exported s.attune\n")
    code, _out, err = run(capsys, "export")
    assert code == 2
    assert_one_error_line(err, "attune export", "project")


@pytest.mark.parametrize("entry", [["-m", "coder"], ["main.py"]])
def test_module_and_main_script_run_the_same_program(entry: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, *entry, "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert all(f"\n    {name}" in done.stdout for name in SUBCOMMANDS)


def test_master_marks_a_pass_as_the_reference_and_clears_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, obs_id = project_with_observation(tmp_path / "m.attune")
    with project:
        ab = project.start_coding(obs_id, "AB").coding_id
        cd = project.start_coding(obs_id, "CD").coding_id
    path = str(tmp_path / "m.attune")
    code, out, _err = run(capsys, "info", path)
    assert f"pass {ab}  obs1  AB  in_progress" in out
    code, out, err = run(capsys, "master", path, "--pass", str(cd))
    assert (code, err) == (0, "")
    assert out.strip() == f"pass {cd} by CD is the master (reference) pass of obs1"
    with Project.open(path) as reopened:
        assert reopened.master_of(obs_id).id == cd
    code, _out, _err = run(capsys, "master", path, "--pass", str(cd), "--clear")
    with Project.open(path) as reopened:
        assert reopened.master_of(obs_id) is None
    code, _out, err = run(capsys, "master", path, "--pass", "999")
    assert code == 2
    assert err.strip() == f"attune: {path}: there is no pass 999 (passes: {ab} (AB), {cd} (CD))"


def test_help_imports_no_heavy_library() -> None:
    """``attune --help`` answers at once: numpy, pandas and the project's modules stay unloaded."""
    script = (
        "import sys, contextlib, io\n"
        "from coder.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "heavy = ('numpy', 'pandas', 'yaml', 'coder.project')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=child_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_info_imports_neither_numpy_nor_pandas(tmp_path: Path) -> None:
    """``attune info`` lists a project without the numeric libraries (they cost most of its
    start)."""
    path = tmp_path / "s.attune"
    project_with_observation(path)[0].close()
    script = (
        "import sys, contextlib, io\n"
        "from coder.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['info', {str(path)!r}]) == 0\n"
        "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=child_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
