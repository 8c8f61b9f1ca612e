"""Long work in the background: worker threads, progress, cancel, and errors said in a dialog.

:meth:`JobRunner.start` runs a function of core objects on a worker thread and calls
``on_done`` with its result on the GUI thread. While it runs, the window keeps painting and
answering keys: progress shows in the window's status bar (or a small non-modal dialog) with a
Cancel button, which makes the work's next progress call raise
:class:`~coder.jobs.JobCancelled`. An error in the work is shown through ``error(title, text)``
and ``on_done`` is not called.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QWidget,
)

from coder.jobs import JobCancelled, Progress

T = TypeVar("T")
ErrorSink = Callable[[str, str], None]
#: Work shorter than this shows no progress at all (no flicker for a quick probe).
SHOW_AFTER_MS = 300


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Relay(QObject):
    """Lives on the GUI thread: the worker's signals reach these slots queued, so the job's
    callbacks always run on the GUI thread."""

    def __init__(self, parent: QObject, **callbacks: Callable[..., None]) -> None:
        super().__init__(parent)
        self._callbacks = callbacks

    @Slot(int, int, str)
    def progressed(self, done: int, total: int, text: str) -> None:
        self._callbacks["progressed"](done, total, text)

    @Slot(object)
    def finished(self, result: object) -> None:
        self._callbacks["finished"](result)

    @Slot(str)
    def failed(self, text: str) -> None:
        self._callbacks["failed"](text)

    @Slot()
    def cancelled(self) -> None:
        self._callbacks["cancelled"]()


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, stop: threading.Event):
        super().__init__()
        self._work = work
        self._signals = signals
        self._stop = stop
        self.setAutoDelete(True)

    def run(self) -> None:
        def progress(done: int, total: int, text: str = "") -> None:
            if self._stop.is_set():
                raise JobCancelled
            self._signals.progressed.emit(done, total, text)

        try:
            result = self._work(progress)
        except JobCancelled:
            self._signals.cancelled.emit()
        except Exception as exc:  # shown to the user; never lost on a worker thread
            text = str(exc) or exc.__class__.__name__
            if not isinstance(exc, ValueError | OSError | LookupError):
                text += "\n\n" + "".join(traceback.format_exception_only(exc)).strip()
            self._signals.failed.emit(text)
        else:
            self._signals.finished.emit(result)


class Job(QObject, Generic[T]):
    """One piece of background work; emits ``ended`` once, however it ends."""

    ended = Signal()

    def __init__(self, title: str, parent: QObject) -> None:
        super().__init__(parent)
        self.title = title
        self.done, self.total, self.text = 0, 0, ""
        self._stop = threading.Event()
        self.running = True

    def cancel(self) -> None:
        """Ask the work to stop at its next progress call."""
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()


class _ProgressStrip(QWidget):
    """Title, bar and Cancel for one job, in a status bar or on its own."""

    def __init__(self, job: Job[Any], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._job = job
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.label = QLabel(job.title, self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(180)
        self.bar.setRange(0, 0)
        cancel = QPushButton("Cancel", self)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the coder's keys stay with the window
        cancel.clicked.connect(job.cancel)
        for widget in (self.label, self.bar, cancel):
            layout.addWidget(widget)

    def show_progress(self, done: int, total: int, text: str) -> None:
        self.label.setText(f"{self._job.title}: {text}" if text else self._job.title)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)


class JobRunner(QObject):
    """Runs background jobs for one window (at most a few at once, on Qt's thread pool)."""

    def __init__(self, window: QWidget, error: ErrorSink) -> None:
        super().__init__(window)
        self._window = window
        self._error = error
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._jobs: list[Job[Any]] = []

    @property
    def running(self) -> list[Job[Any]]:
        return list(self._jobs)

    def start(
        self,
        title: str,
        work: Callable[[Progress], T],
        on_done: Callable[[T], None],
        on_cancel: Callable[[], None] | None = None,
    ) -> Job[T]:
        """Run ``work(progress)`` in the background; ``on_done(result)`` on the GUI thread."""
        job: Job[T] = Job(title, self)
        signals = _Signals(job)
        strip = _ProgressStrip(job, None)
        shown = QTimer(job)
        shown.setSingleShot(True)
        shown.timeout.connect(lambda: self._show(strip))
        shown.start(SHOW_AFTER_MS)

        def progressed(done: int, total: int, text: str) -> None:
            job.done, job.total, job.text = done, total, text
            strip.show_progress(done, total, text)

        def end() -> None:
            shown.stop()
            self._hide(strip)
            job.running = False
            self._jobs.remove(job)
            job.ended.emit()

        def finished(result: object) -> None:
            end()
            on_done(result)  # type: ignore[arg-type]

        def failed(text: str) -> None:
            end()
            self._error(f"{title} failed", text)

        def cancelled() -> None:
            end()
            if on_cancel is not None:
                on_cancel()

        relay = _Relay(
            job, progressed=progressed, finished=finished, failed=failed, cancelled=cancelled
        )
        signals.progressed.connect(relay.progressed)
        signals.finished.connect(relay.finished)
        signals.failed.connect(relay.failed)
        signals.cancelled.connect(relay.cancelled)
        self._jobs.append(job)
        self._pool.start(_Runnable(work, signals, job._stop))
        return job

    def cancel_all(self, wait_ms: int = 5000) -> None:
        """Cancel every job and wait for the workers (on closing the window)."""
        for job in self._jobs:
            job.cancel()
        self._pool.waitForDone(wait_ms)

    def _show(self, strip: _ProgressStrip) -> None:
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().addPermanentWidget(strip)
            strip.show()
        else:
            strip.setParent(self._window, Qt.WindowType.Tool)
            strip.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            strip.show()

    def _hide(self, strip: _ProgressStrip) -> None:
        if isinstance(self._window, QMainWindow) and strip.parent() is not None:
            self._window.statusBar().removeWidget(strip)
        strip.hide()
        strip.deleteLater()


def close_through_done(dialog: QDialog, event: QCloseEvent) -> None:
    """A dialog's close button (or ``close()``) taken the way Cancel is: through the dialog's
    ``done``, which waits for its job before the dialog goes (and is deleted); a plain close
    would delete it under a job that still reports to it."""
    event.ignore()
    dialog.done(QDialog.DialogCode.Rejected)
