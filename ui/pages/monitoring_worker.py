"""Run long work off the GUI thread with progress and Cancel (a small local worker).

The "house" operations layer (ui/ops.py) will take this over; until then the Monitoring page
uses this: a QRunnable on the global QThreadPool that calls ``work(progress)`` and reports
back through queued signals. ``progress`` returns False once Cancel was pressed, and the
service then stops with CancelledError.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from stepdesk.errors import CancelledError, StepDeskError

Progress = Callable[[int, int, str], bool]


class WorkerSignals(QObject):
    """What a worker tells the GUI thread."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Worker(QRunnable):
    """Calls ``work(progress)`` on a pool thread."""

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = WorkerSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    def _progress(self, done: int, total: int, what: str) -> bool:
        self.signals.progress.emit(done, total, what)
        return not self._cancel.is_set()

    def run(self) -> None:
        """Run the work; emit finished, cancelled or failed."""
        try:
            result = self.work(self._progress)
        except CancelledError:
            self.signals.cancelled.emit()
        except StepDeskError as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # our bug: say so rather than hang the page
            self.signals.failed.emit(f"The report failed: {error!r}")
        else:
            self.signals.finished.emit(result)

    def start(self) -> None:
        """Queue on the global pool."""
        QThreadPool.globalInstance().start(self)
