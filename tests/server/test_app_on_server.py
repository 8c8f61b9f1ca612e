"""The app on a lab server: opened by its address (command line, File → Open lab server…),
kept in the recent list without a password, coding saved on the server, and another coder's
change to a shared setting shown at once."""

from __future__ import annotations

from pathlib import Path

from coder.cli import main
from coder.demo import make_demo_clip
from coder.project import Project
from coder.server import setup
from tests.server.support import new_database
from tests.server.test_lab_server import as_role
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    press,
    prompts_fixture,
    settings_fixture,
    window_fixture,
)
from ui.dialogs.answers import CoderAnswer


def server_project(folder: Path) -> str:
    url = new_database("attune_app")
    setup.init_server(url, "responsiveness")
    clip = make_demo_clip(folder / "clip.mp4", seconds=1, size=(320, 180))
    with Project.open(url) as project:
        project.add_observation([clip], participant="P01", name="Visit 1")
    return url


def test_the_window_codes_on_a_lab_server_and_hears_other_coders(
    qtbot, window, prompts, settings, tmp_path
) -> None:
    url = server_project(tmp_path)
    role = f"kl_{url[-10:]}"
    setup.add_coder(url, "KL", role=role, password="pw-KL")
    as_kl = as_role(url, role, "pw-KL")
    window._initials = ""  # a coder new to this machine: asked who codes
    prompts.script("who", CoderAnswer("KL"))
    prompts.script("text", "lab-server/study", as_kl)  # first no address, then the right one
    window.menus.commands["open_server"].trigger()
    assert prompts.errors[0][0] == "Not a lab server's address"
    qtbot.waitUntil(lambda: window.player.current_frame >= 0, timeout=WAIT_MS)
    assert window.project is not None
    location = window.project.location
    assert settings.recent_projects[0] == location
    assert "pw-KL" not in location  # the password is never kept
    assert "pw-KL" not in str(settings.recent_projects)
    press(qtbot, window, Key.Key_A)
    with Project.open(url, read_only=True) as project:
        (record,) = project.load_passes(project.passes())
        assert [e.behaviour for e in record.events] == ["gaze_caregiver"]

    assert window.shared.watching
    assert window.menus.blind.isChecked()
    with Project.open(url) as lead:
        lead.set_blind(False)  # the lab lead, elsewhere
    qtbot.waitUntil(lambda: not window.menus.blind.isChecked(), timeout=WAIT_MS)
    assert window.status.message.endswith("changed a project setting on the lab server.")
    window.close_project()
    assert not window.shared.watching


def test_attune_opens_the_app_on_a_server_address(tmp_path) -> None:
    url = server_project(tmp_path)
    opened: list[object] = []
    assert main([url], open_app=lambda project: opened.append(project) or 0) == 0
    assert opened == [url]  # the address as given, not turned into a path


def test_agreement_reads_a_server_project(tmp_path, capsys) -> None:
    url = server_project(tmp_path)
    with Project.open(url) as project:
        observation = project.observations[0]
        for coder, frames in (("AB", [3, 10]), ("CD", [3, 12])):
            session = project.start_coding(observation, coder)
            for frame in frames:
                session.point("cry", frame)
    status = main(["agreement", url, "--coders", "AB", "CD", "--json"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert '"observations"' in out or '"pooled"' in out


def test_export_and_plot_read_a_server_project(tmp_path, capsys) -> None:
    url = server_project(tmp_path)
    with Project.open(url) as project:
        project.start_coding(project.observations[0], "AB").point("cry", 3)
    assert main(["export", url, "--csv", str(tmp_path / "out"), "--quiet"]) == 0
    assert (tmp_path / "out" / "events.csv").read_text(encoding="utf-8").count("cry") >= 1
    assert main(["plot", url, "--budget", "--out", str(tmp_path / "budget.png")]) == 0
    assert (tmp_path / "budget.png").stat().st_size > 1000
    _, err = capsys.readouterr()
    assert "no such project file" not in err
