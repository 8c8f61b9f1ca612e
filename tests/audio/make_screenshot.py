"""The picture of the audio strip for the documentation (``docs/audio_strip.png``).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.audio.make_screenshot docs/audio_strip.png

A generated 20 s clip with a caregiver's speech, an infant's cries and a tone: the timeline of
a pass over it with the strip under it (waveform and spectrogram), the whole session above and,
below, zoomed in to single frames at the onset of the first cry (coded from its frame).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from coder.audio import read_sound
from coder.coding.session import Session
from coder.media import open_video
from coder.model import Coder, CodingInfo
from coder.store.memory import MemoryStore
from tests.audio.sounds import Burst, make_sound_clip
from tests.core.session_fixtures import SCHEME
from ui.timeline.audio_strip import AudioStrip
from ui.timeline.timeline import Timeline
from ui.window.session_bridge import SessionBridge

SCENE = (
    Burst(1.0, 1.6, "speech", 0.35),
    Burst(3.2, 1.1, "speech", 0.3),
    Burst(5.0, 2.4, "cry", 0.8),
    Burst(8.1, 1.9, "cry", 0.75),
    Burst(10.6, 2.0, "speech", 0.3),
    Burst(13.4, 0.2, "tone", 0.6),
    Burst(15.0, 3.0, "cry", 0.7),
)


def pass_window(clip: Path) -> tuple[QWidget, Timeline, AudioStrip]:
    with open_video(clip) as video:
        timebase = video.timebase
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    session = Session(MemoryStore.for_codings([info]), info, SCHEME, timebase)
    cry = next(b for b in SCENE if b.kind == "cry")
    first = timebase.index_at(round(cry.start_s * 1e6))
    session.start("cry", first)
    session.stop("cry", timebase.index_at(round((cry.start_s + cry.length_s) * 1e6)))
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    timeline = Timeline(SessionBridge(session))
    strip = AudioStrip()
    layout.addWidget(timeline)
    layout.addWidget(strip)
    strip.follow(timeline, timebase)
    envelope = read_sound(clip, spectrogram=True, cache_dir=None)
    strip.set_envelope(envelope)
    strip.set_spectrogram(True)
    window.resize(1000, timeline.sizeHint().height() + strip.sizeHint().height())
    return window, timeline, strip


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as work:
        clip = make_sound_clip(Path(work) / "scene.mp4", seconds=20.0, bursts=SCENE)
        window, timeline, _ = pass_window(clip)
        window.show()
        app.processEvents()
        timeline.set_frame(140)
        app.processEvents()
        whole = window.grab()
        timeline.show_frames(118, 12)
        timeline.set_frame(125)
        app.processEvents()
        close = window.grab()
        gap = 8
        both = QPixmap(whole.width(), whole.height() + gap + close.height())
        both.fill(QColor("#9a9a9a"))
        painter = QPainter(both)
        painter.drawPixmap(0, 0, whole)
        painter.drawPixmap(0, whole.height() + gap, close)
        painter.end()
        out.parent.mkdir(parents=True, exist_ok=True)
        both.save(str(out))
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/audio_strip.png"))
