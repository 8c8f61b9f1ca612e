"""Take the screenshot of the player for the documentation (``docs/player.png``).

Needs a real display (on a headless machine: ``Xvfb :99 &`` and ``DISPLAY=:99``); the picture
is grabbed from the screen, as the user sees it.

    python tools/screenshot_player.py [OUT.png]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from coder.demo.synth import make_clip
from ui.player.player import Player


def spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs") / "player.png"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        front = make_clip(Path(tmp) / "front.mp4", frames=150, fps=30, size=(640, 360))
        side = make_clip(Path(tmp) / "side.mp4", frames=125, fps=25, size=(480, 360))
        player = Player(audio=False)
        player.setWindowTitle("Attune player")
        player.resize(1040, 400)
        player.move(20, 20)
        player.show()
        player.open([front, side], offsets_us=[0, 500_000])
        spin(400)
        player.seek(83)
        player.set_speed(0.5)
        spin(600)
        geometry = player.frameGeometry()
        screen = QGuiApplication.primaryScreen()
        picture = screen.grabWindow(
            0, geometry.x(), geometry.y(), geometry.width(), geometry.height()
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        if not picture.save(str(out)):
            raise SystemExit(f"{out}: could not write the screenshot")
        print(f"{out}: {picture.width()}x{picture.height()}, frame {player.current_frame}")
        player.close_media()
    del app


if __name__ == "__main__":
    main()
