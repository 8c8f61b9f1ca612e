"""The ``attune`` command on awkward input: folders where files belong, names in any script,
paths with spaces, and terminals whose encoding cannot show every character."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from coder.cli import main
from coder.demo.synth import make_clip
from coder.project import Project
from tests.test_cli import assert_one_error_line, run
from tests.test_project_support import SCHEME


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "p01.mp4", frames=20, fps=25)


@pytest.fixture
def scheme_file(tmp_path: Path) -> Path:
    path = tmp_path / "gaze.yaml"
    path.write_text(yaml.safe_dump(SCHEME.to_dict(), sort_keys=False), encoding="utf-8")
    return path


def test_unicode_names_and_spaces_work_through_every_subcommand(
    tmp_path: Path, clip: Path, scheme_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Étude bébé 日本"
    folder.mkdir()
    video = shutil.copy(clip, folder / "visite 1 – Zoë.mp4")
    target = folder / "my study ü.attune"
    assert run(capsys, "new", str(target), "--scheme", str(scheme_file))[0] == 0
    code, out, err = run(capsys, "add-video", str(target), str(video), "--participant", "Zoë")
    assert (code, err) == (0, "")
    assert "'visite 1 – Zoë' (Zoë): 20 frames" in out
    code, out, _err = run(capsys, "info", str(target))
    assert code == 0
    assert "visite 1 – Zoë.mp4  20 frames" in out  # stored relative, shown as stored
    assert "(file not found)" not in out
    assert run(capsys, "check", str(target))[:2] == (0, f"{target}: no problems found\n")


def test_output_a_terminal_cannot_encode_is_replaced_rather_than_a_traceback(
    tmp_path: Path,
    clip: Path,
    scheme_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Windows console piped to a file encodes cp1252; here ASCII stands for any such one."""
    out, err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="ascii"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="ascii"))
    target = tmp_path / "日本 study.attune"
    video = shutil.copy(clip, tmp_path / "日本.mp4")
    assert main(["new", str(target), "--scheme", str(scheme_file)]) == 0
    assert main(["add-video", str(target), str(video)]) == 0
    assert main(["info", str(target)]) == 0
    assert main(["info", str(tmp_path / "ない.attune")]) == 2
    sys.stdout.flush()
    sys.stderr.flush()
    printed = out.getvalue().decode("ascii")
    assert "added observation 1 '??': 20 frames" in printed
    assert "??.mp4  20 frames" in printed
    assert err.getvalue().decode("ascii").count("\n") == 1
    assert "??.attune: no such project file" in err.getvalue().decode("ascii")
    with Project.open(target) as project:
        assert len(project.observations) == 1


def test_a_folder_given_as_the_project_is_named_as_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "study.attune"
    folder.mkdir()
    for argv in (["info", str(folder)], ["check", str(folder)]):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert_one_error_line(err, str(folder), "a folder, not an Attune project file")
    code, _out, err = run(capsys, "new", str(folder), "--scheme", "responsiveness")
    assert code == 2
    assert_one_error_line(err, str(folder), "a folder of that name already exists; not overwritten")
    calls: list[Path | None] = []
    assert main([str(folder)], open_app=lambda p: calls.append(p) or 0) == 2
    assert_one_error_line(capsys.readouterr().err, "a folder, not an Attune project file")
    assert calls == []
    assert list(folder.iterdir()) == []


def test_a_folder_given_as_a_video_or_a_scheme_is_named_as_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "study.attune"
    Project.create(target, SCHEME).close()
    code, _out, err = run(capsys, "add-video", str(target), str(tmp_path))
    assert code == 2
    assert_one_error_line(err, str(tmp_path), "a folder, not a video file")
    code, _out, err = run(capsys, "new", str(tmp_path / "x.attune"), "--scheme", str(tmp_path))
    assert code == 2
    assert_one_error_line(err, str(tmp_path), "a folder, not a scheme file")
    assert not (tmp_path / "x.attune").exists()


def test_a_scheme_indented_with_a_tab_says_so_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scheme = tmp_path / "tabs.yaml"
    scheme.write_text("name: T\nbehaviours:\n\t- {code: cry, key: c}\n", encoding="utf-8")
    code, _out, err = run(capsys, "new", str(tmp_path / "x.attune"), "--scheme", str(scheme))
    assert code == 2
    assert_one_error_line(err, f"{scheme}:3:", "a tab", "indent with spaces, not tabs")
    assert not (tmp_path / "x.attune").exists()
