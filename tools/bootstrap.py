"""Set up Attune on a fresh machine, then start the app or run the tests.

    python3 tools/bootstrap.py [PROJECT.attune]   install and start the app
    python3 tools/bootstrap.py test [PYTEST ARGS]  install and run lint and the test suite

It creates ``.venv`` beside the checkout, installs the project into it, and on Debian-like
Linux installs the few system libraries Qt needs (as root, or through sudo). It runs on
Windows, macOS and Linux with nothing but Python 3.11 or newer.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".attune-installed"

# Libraries Qt loads at run time on Linux: QtMultimedia (PulseAudio client), the xcb platform
# plugin for a real window (Xvfb included), and EGL/GL. Debian package -> library probe name.
LINUX_PACKAGES = {
    "libpulse0": "pulse",
    "libxkbcommon-x11-0": "xkbcommon-x11",
    "libxcb-cursor0": "xcb-cursor",
    "libxcb-icccm4": "xcb-icccm",
    "libxcb-keysyms1": "xcb-keysyms",
    "libxcb-shape0": "xcb-shape",
    "libxcb-randr0": "xcb-randr",
    "libxcb-render-util0": "xcb-render-util",
    "libxcb-image0": "xcb-image",
    "libxcb-xkb1": "xcb-xkb",
    "libegl1": "EGL",
    "libgl1": "GL",
    "libfontconfig1": "fontconfig",
    "libdbus-1-3": "dbus-1",
}
TEST_PACKAGES = {"xvfb": None, "postgresql": None}


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def venv_script(name: str) -> Path:
    """An executable the venv installed (``.exe`` on Windows)."""
    return venv_python().parent / (f"{name}.exe" if os.name == "nt" else name)


def run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def install_linux_libraries(with_test_tools: bool) -> None:
    """Install missing Qt run-time libraries with apt-get (Debian, Ubuntu)."""
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        return
    wanted = dict(LINUX_PACKAGES)
    if with_test_tools:
        wanted.update(TEST_PACKAGES)
    missing = []
    for package, library in wanted.items():
        if library is None:
            if not _has_program(package):
                missing.append(package)
        elif ctypes.util.find_library(library) is None:
            missing.append(package)
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            print(
                "Attune needs these system packages; please install them:\n"
                f"  apt-get install {' '.join(missing)}",
                file=sys.stderr,
            )
            return
        prefix = ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-q"], env=env)
    run([*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], env=env)


def postgres_programs() -> list[Path]:
    """The ``initdb`` of each installed PostgreSQL server (Debian keeps them versioned)."""
    return sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def _has_program(package: str) -> bool:
    """Whether a test tool's package is installed: Xvfb, or a PostgreSQL server (the lab
    server tests start a throw-away cluster of their own; nothing runs outside the tests)."""
    if package == "postgresql":
        return bool(postgres_programs())
    return shutil.which("Xvfb") is not None


def install_project(extras: str) -> None:
    """Create the virtual environment and install Attune into it (skipped when up to date)."""
    if not venv_python().exists():
        print(f"Creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    python = str(venv_python())
    run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    run([python, "-m", "pip", "install", "-q", "-e", target], cwd=ROOT)
    STAMP.write_text(digest)


def run_tests(pytest_args: list[str]) -> int:
    python = str(venv_python())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    steps = [
        [python, "-m", "ruff", "check", "."],
        [python, "-m", "ruff", "format", "--check", "."],
        [str(venv_script("lint-imports")), "pyproject.toml"],
        [python, "-m", "mypy"],  # strict over coder/ (see [tool.mypy] in pyproject.toml)
        [python, "-m", "pytest", *pytest_args],
    ]
    for step in steps:
        print("+", " ".join(step), flush=True)
        code = subprocess.run(step, cwd=ROOT, env=env).returncode
        if code != 0:
            return code
    return 0


def main(argv: list[str]) -> int:
    testing = bool(argv) and argv[0] == "test"
    install_linux_libraries(with_test_tools=testing)
    install_project("test" if testing else "")
    if testing:
        return run_tests(argv[1:])
    return subprocess.run([str(venv_python()), str(ROOT / "main.py"), *argv]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
