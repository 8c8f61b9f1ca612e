"""Take the screenshot of the player for the documentation (``docs/player.png``).

Needs a real display (on a headless machine: ``Xvfb :99 &`` and ``DISPLAY=:99``); the picture
is grabbed from the screen, as the user sees it.

    python tools/screenshot_player.py [OUT.png]
    python tools/screenshot_player.py --odd [OUT.png]   a phone clip shot upright (rotation
                                                        90) beside a DV-shaped clip (10:11
                                                        pixels, interlaced), as shown
"""

from __future__ import annotations

import sys
import tempfile
from fractions import Fraction
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


def phone_clip(path: Path, frames: int, fps: int) -> Path:
    """A portrait scene (360×640) stored as a phone does: coded on its side, rotation 90."""
    import av
    import numpy as np

    from coder.demo.synth import render_frame

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        stream.width, stream.height = 640, 360
        stream.pix_fmt = "yuv420p"
        stream.set_display_rotation(90)
        for i in range(frames):
            coded = np.ascontiguousarray(np.rot90(render_frame(i, 360, 640), -1))
            frame = av.VideoFrame.from_ndarray(coded, format="rgb24")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--odd"]
    odd = "--odd" in sys.argv[1:]
    default = "player_rotation_aspect.png" if odd else "player.png"
    out = Path(args[0]) if args else Path("docs") / default
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        if odd:
            # A phone held upright: the scene is upright, the sensor stores it on its side
            # (640×360) with a display matrix saying "turn 90°".
            front = phone_clip(Path(tmp) / "phone.mp4", frames=150, fps=30)
            # NTSC DV: 720×480 coded with 10:11 pixels (shown 4:3), interlaced.
            side = make_clip(
                Path(tmp) / "dv.m2ts",
                frames=125,
                fps=25,
                size=(720, 480),
                sample_aspect=Fraction(10, 11),
                interlaced=True,
            )
        else:
            front = make_clip(Path(tmp) / "front.mp4", frames=150, fps=30, size=(640, 360))
            side = make_clip(Path(tmp) / "side.mp4", frames=125, fps=25, size=(480, 360))
        player = Player(audio=False)
        player.setWindowTitle("Attune player")
        player.resize(1040, 560 if odd else 400)
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
