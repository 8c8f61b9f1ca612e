"""How fast the coding views are with a large pass (100,000 events by default).

Builds a pass over a one-hour video with the bundled still-face scheme, then prints:

* the timeline's repaint time (rendered into a QImage, median of 50) at whole-session zoom and at
  a 10 s zoom, both cold (its cached layer rebuilt, as after a scroll or a zoom) and warm (only
  the playhead moved, as during playback);
* the event table's filter time per filter and sort time per column (each until the view has
  taken it in), and its scroll time (a page down, then the visible rows painted);
* what one coding command costs the views together (event table, timeline, coding panel, rating
  panel, each repainting what the command changed): the command and its undo are timed with the
  views listening and with them deaf (their bridge's signals blocked), alternately in one loop,
  and the share is the difference of the medians; then the same with the views hidden (their
  bookkeeping without painting); and what a playhead move costs the rating panel.

Each line prints its median against its target as a ratio (≤ 1.00 meets it). Targets: repaint
≤ 16 ms, the views' share of one command ≤ 3 ms, a filter ≤ 50 ms, a sort ≤ 100 ms.

    python benchmarks/bench_views.py [--events 100000] [--repeat 50]

Runs offscreen unless a display is set.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from coder.coding.session import Session
from coder.model import Coder, CodingInfo, Event, Stamp
from coder.scheme import Behaviour, Scheme, load_scheme
from coder.store.memory import MemoryStore
from coder.timebase import TimeBase
from ui.events.model import Column
from ui.events.table import EventTable
from ui.panels.coding_panel import CodingPanel
from ui.panels.rating_panel import RatingPanel
from ui.timeline.timeline import Timeline
from ui.window.session_bridge import SessionBridge

FPS = 25
FRAMES = FPS * 3600


class LightStore(MemoryStore):
    """A memory store whose transactions skip the rollback snapshot, so that a command's cost
    here is the views' cost (the snapshot of 20,000 events would dominate otherwise)."""

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1


def generated_pass(scheme: Scheme, count: int, seed: int = 1) -> Session:
    """A valid pass of exactly ``count`` events spread over the hour: the states of an
    exclusive group follow each other without gaps, other states never overlap themselves,
    points fall anywhere."""
    timebase = TimeBase.constant(FRAMES, FPS)
    info = CodingInfo(id=1, observation_id=1, coder=Coder("BM", id=1), scheme_id=1)
    store = LightStore.for_codings([info])
    rnd = random.Random(seed)
    chains: dict[str, list[Behaviour]] = {}
    for behaviour in scheme.behaviours:
        group = behaviour.group
        exclusive = group is not None and scheme.group(group).exclusive and behaviour.is_state
        chains.setdefault(group if exclusive else behaviour.code, []).append(behaviour)

    def stamp(frame: int) -> Stamp:
        return Stamp(frame, timebase.pts_us(frame) if frame < FRAMES else timebase.duration_us)

    with store.transaction():
        for number, members in enumerate(chains.values()):
            quota = count // len(chains) + (1 if number < count % len(chains) else 0)
            slot = FRAMES // quota
            bounds = [i * slot + rnd.randrange(slot // 2) for i in range(quota + 1)]
            for i in range(quota):
                behaviour = rnd.choice(members)
                onset = bounds[i]
                if not behaviour.is_state:
                    event = Event(behaviour.code, behaviour.subject, stamp(onset), None, False)
                else:
                    offset = (
                        bounds[i + 1] if len(members) > 1 else onset + rnd.randint(1, slot // 2)
                    )
                    event = Event(behaviour.code, behaviour.subject, stamp(onset), stamp(offset))
                store.insert_event(1, event)
    return Session(store, info, scheme, timebase)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--png", type=Path, help="also save the timeline renders in this folder")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])

    scheme = load_scheme("still_face")
    started = time.perf_counter()
    session = generated_pass(scheme, args.events)
    print(f"pass: {len(session.events)} events, {FRAMES} frames ({FRAMES // FPS} s at {FPS} fps)")
    bridge = SessionBridge(session)

    built = time.perf_counter()
    timeline = Timeline(bridge)
    timeline.resize(1366, 260)
    table = EventTable(bridge)
    table.resize(900, 320)
    panel = CodingPanel(bridge)
    ratings = RatingPanel(bridge)
    for widget in (timeline, table, panel, ratings):
        widget.show()
    app.processEvents()
    print(
        f"views built in {(time.perf_counter() - built) * 1000:.0f} ms "
        f"(pass generated in {(built - started) * 1000:.0f} ms)"
    )

    image = QImage(timeline.size(), QImage.Format.Format_ARGB32_Premultiplied)
    rows: list[tuple[str, float, float | None]] = []

    def cold() -> None:
        timeline.invalidate()
        timeline.render(image)

    frame = FRAMES // 2
    timeline.set_frame(frame)
    rows.append(("timeline repaint, whole session, cold", median_ms(cold, args.repeat), 16))

    def warm() -> None:
        nonlocal frame
        frame += 1
        timeline.set_frame(frame)
        timeline.render(image)

    rows.append(("timeline repaint, whole session, playing", median_ms(warm, args.repeat), 16))
    if args.png:
        args.png.mkdir(parents=True, exist_ok=True)
        image.save(str(args.png / "timeline_whole.png"))
    timeline.show_frames(frame - 5 * FPS, 10 * FPS)
    rows.append(("timeline repaint, 10 s zoom, cold", median_ms(cold, args.repeat), 16))
    rows.append(("timeline repaint, 10 s zoom, playing", median_ms(warm, args.repeat), 16))
    if args.png:
        image.save(str(args.png / "timeline_10s.png"))
    print(f"  (marks visible at whole-session zoom: {len(timeline.index)})")
    timeline.zoom_to_fit()
    app.processEvents()

    model = table.model
    filters = [
        ("filter: one behaviour", {"behaviour": scheme.behaviours[0].code}),
        ("filter: one subject", {"subject": scheme.subjects[1].code}),
        ("filter: text 'gaze'", {"text": "gaze"}),
        ("filter: cleared", {}),
    ]
    for label, kwargs in filters:
        times = []
        for _ in range(5):
            table.set_filter(**({} if kwargs else {"subject": scheme.subjects[0].code}))
            app.processEvents()
            start = time.perf_counter()
            table.set_filter(**kwargs)
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        rows.append((f"table {label} ({model.rowCount()} rows)", statistics.median(times), 50))

    view = table.view
    bar = view.verticalScrollBar()
    viewport_image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)

    def scroll() -> None:
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().render(viewport_image)

    rows.append(("table scroll one page + paint", median_ms(scroll, args.repeat), None))

    sorts = [
        (Column.BEHAVIOUR, "behaviour"),
        (Column.SUBJECT, "subject"),
        (Column.OFFSET, "offset"),
        (Column.DURATION, "duration"),
        (Column.COMMENT, "comment"),
        (Column.ONSET, "onset"),
    ]
    for column, name in sorts:
        times = []
        for _ in range(5):
            view.sortByColumn(int(Column.NUMBER), Qt.SortOrder.DescendingOrder)
            app.processEvents()
            start = time.perf_counter()
            view.sortByColumn(int(column), Qt.SortOrder.AscendingOrder)
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        rows.append((f"table sort by {name}", statistics.median(times), 100))

    point = next(b.code for b in scheme.behaviours if not b.is_state)
    state = next(
        e for e in session.events if e.offset is not None and e.offset.frame - e.onset.frame > 2
    )
    assert state.id is not None
    moved_id = state.id

    def add_point() -> None:
        session.point(point, frame)
        app.processEvents()
        session.undo()
        app.processEvents()

    def nudge_state() -> None:
        session.nudge(moved_id, "onset", 1)
        app.processEvents()
        session.undo()
        app.processEvents()

    commands = [
        ("a point and its undo", add_point),
        ("a state's onset moved and undone", nudge_state),
    ]
    shares: list[tuple[str, float, float]] = []

    def share(name: str, command: Callable[[], None]) -> float:
        heard: list[float] = []
        deaf: list[float] = []
        for _ in range(args.repeat):  # interleaved: both see the same load on the machine
            for blocked, times in ((False, heard), (True, deaf)):
                bridge.blockSignals(blocked)
                start = time.perf_counter()
                command()
                times.append((time.perf_counter() - start) * 1000)
        bridge.blockSignals(False)
        with_views, without_views = statistics.median(heard), statistics.median(deaf)
        shares.append((name, with_views, without_views))
        # Two commands (the command and its undo) per measurement: the share of one is half.
        return (with_views - without_views) / 2

    for name, command in commands:
        rows.append((f"views' share of one command: {name}", share(name, command), 3))
    # The same with the views hidden: what they do to keep up, without painting.
    views = (timeline, table, panel, ratings)
    for widget in views:
        widget.hide()
    app.processEvents()
    for name, command in commands:
        value = share(f"{name}, views hidden", command)
        rows.append((f"  of which bookkeeping (views hidden): {name}", value, None))
    for widget in views:
        widget.show()
    app.processEvents()

    us = session.timebase.pts_us(frame)

    def playhead() -> None:
        nonlocal us
        us += 40_000
        ratings.set_position_us(us)

    rows.append(("rating panel: one playhead move", median_ms(playhead, args.repeat), None))

    width = max(len(label) for label, _, _ in rows)
    print(f"\n{'measure':<{width}}  median ms  target  ratio")
    for label, value, target in rows:
        if target is None:
            print(f"{label:<{width}}  {value:9.3f}")
        else:
            print(f"{label:<{width}}  {value:9.3f}  ≤ {target:<4}  {value / target:5.2f}")
    print("\ncommand and undo, with the views listening / without (interleaved, medians):")
    for name, with_views, without_views in shares:
        print(
            f"  {name}: {with_views:.3f} ms / {without_views:.3f} ms = "
            f"{with_views / without_views:.2f}x"
        )


if __name__ == "__main__":
    main()
