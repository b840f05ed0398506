"""Operations and queries off the GUI thread, as Anki's ``CollectionOp`` / ``QueryOp`` do.

A slot hands :func:`run` a named :class:`~stepdesk.services.changes.Operation` and the one
service call that does it. The call runs on the application's worker (a ``QThreadPool`` of one
thread, so operations happen in the order they were asked for, each in its own unit of work made
and closed on the worker); meanwhile the cursor is busy and the status bar says what is
happening. Then, back on the GUI thread:

- on success, ``success(result)`` is called and :attr:`Ops.changed` is emitted once with what
  the operation changed (the audit events of its committed transaction,
  :mod:`stepdesk.services.changes`): each page refreshes only what it shows of those records;
- a :class:`~stepdesk.errors.StepDeskError` becomes one message, ``"<fails_as>: <reason>"``,
  sent by :attr:`Ops.failed` to the status bar (or to ``failure`` when the slot wants it);
- anything else is our bug and is raised on the GUI thread, where the crash handler takes it.

:func:`query` does the same for reading (no ``changed``). Never touch a widget inside the call.

Tests of widgets that check the screen right after a click set :attr:`Ops.inline` (see
``tests/ui/conftest.py``): the call then runs at once on the GUI thread through the same
success / failure / changed path.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication

from stepdesk.errors import StepDeskError
from stepdesk.services.changes import NOTHING, Changes, Done, Operation, perform

T = TypeVar("T")


class Pending(Generic[T]):
    """An operation or query asked for: ``finished`` once its callbacks have run."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.finished = False
        self.ok = False
        self.result: T | None = None
        self.changes: Changes = NOTHING
        self.error: BaseException | None = None


class _Signals(QObject):
    # (job id, ok, value or exception)
    done = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, call: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept by Ops until its result is delivered
        self.job_id, self.call, self.signals = job_id, call, signals

    def run(self) -> None:
        try:
            value = self.call()
        except BaseException as error:  # delivered to the GUI thread, raised there if a bug
            self.signals.done.emit(self.job_id, False, error)
            return
        self.signals.done.emit(self.job_id, True, value)


class Ops(QObject):
    """The application's one worker, busy state and ``changed`` signal (see :func:`hub`)."""

    #: What an operation changed (a :class:`Changes`), after its ``success`` ran.
    changed = Signal(object)
    #: One message for a refused operation (``"<fails_as>: <reason>"``).
    failed = Signal(str)
    #: What is running now ("" when nothing is).
    status = Signal(str)
    busy_changed = Signal(bool)

    #: Run calls at once on the calling thread (widget tests; see the module's docstring).
    inline = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._jobs: dict[int, tuple[_Job | None, Callable[[bool, Any], None]]] = {}
        self.running = 0
        self.history: list[Operation] = []

    # Asking.
    def run(
        self,
        op: Operation,
        call: Callable[[], T],
        *,
        success: Callable[[T], Any] | None = None,
        failure: Callable[[StepDeskError], Any] | None = None,
        fails_as: str = "Not done",
        busy: str = "",
    ) -> Pending[T]:
        """Run a state-changing service call; emit ``changed`` with what it changed."""
        pending: Pending[T] = Pending(op.name)

        def finish(ok: bool, value: Any) -> None:
            if ok:
                done: Done[T] = value
                pending.ok, pending.result, pending.changes = True, done.result, done.changes
                self.history.append(op)
                try:
                    if success is not None:
                        success(done.result)
                finally:
                    self.changed.emit(done.changes)
            else:
                self._fail(pending, value, failure, fails_as)

        self._start(lambda: perform(call), finish, busy or _busy_text(op.name), pending)
        return pending

    def query(
        self,
        call: Callable[[], T],
        *,
        success: Callable[[T], Any],
        failure: Callable[[StepDeskError], Any] | None = None,
        fails_as: str = "Could not read it",
        busy: str = "",
    ) -> Pending[T]:
        """Run a reading service call on the worker; ``success(result)`` on the GUI thread."""
        pending: Pending[T] = Pending("query")

        def finish(ok: bool, value: Any) -> None:
            if ok:
                pending.ok, pending.result = True, value
                success(value)
            else:
                self._fail(pending, value, failure, fails_as)

        self._start(call, finish, busy, pending)
        return pending

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every job asked for has been delivered (shutdown, benchmarks)."""
        self.pool.waitForDone(timeout_ms)
        QApplication.processEvents()
        return not self._jobs

    # Running.
    def _start(
        self,
        call: Callable[[], Any],
        finish: Callable[[bool, Any], None],
        busy: str,
        pending: Pending[Any],
    ) -> None:
        job_id = next(self._ids)

        def deliver(ok: bool, value: Any) -> None:
            try:
                finish(ok, value)
            finally:
                pending.finished = True

        self._busy(+1, busy)
        if self.inline:
            self._jobs[job_id] = (None, deliver)
            try:
                value = call()
            except BaseException as error:
                self._deliver(job_id, False, error)
            else:
                self._deliver(job_id, True, value)
            return
        job = _Job(job_id, call, self._signals)
        self._jobs[job_id] = (job, deliver)
        self.pool.start(job)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, value: Any) -> None:
        _job, deliver = self._jobs.pop(job_id)
        try:
            deliver(ok, value)
        finally:
            self._busy(-1, "")

    def _fail(
        self,
        pending: Pending[Any],
        error: BaseException,
        failure: Callable[[StepDeskError], Any] | None,
        fails_as: str,
    ) -> None:
        pending.error = error
        if not isinstance(error, StepDeskError):
            raise error  # our bug: the crash handler shows it and logs it
        if failure is not None:
            failure(error)
        else:
            self.failed.emit(message(fails_as, error))

    def _busy(self, step: int, text: str) -> None:
        was = self.running > 0
        self.running += step
        now = self.running > 0
        if now and not was:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        elif was and not now:
            QApplication.restoreOverrideCursor()
        if now != was:
            self.busy_changed.emit(now)
        if text:
            self.status.emit(text)


def message(fails_as: str, error: StepDeskError) -> str:
    """The one way a refused operation is told: what was not done, then why and the fix.

    An empty ``fails_as`` leaves the error's own sentence (it already says what failed).
    """
    return f"{fails_as}: {error}" if fails_as else str(error)


def _busy_text(name: str) -> str:
    return f"Working: {name.replace('.', ' ').replace('_', ' ')}…"


_hub: Ops | None = None


def hub() -> Ops:
    """The application's operations hub, made on first use (one per QApplication)."""
    global _hub
    app = QApplication.instance()
    if _hub is None or _hub.parent() is not app:
        _hub = Ops(app)
    return _hub


def run(op: Operation, call: Callable[[], T], **options: Any) -> Pending[T]:
    """:meth:`Ops.run` on the application's hub."""
    return hub().run(op, call, **options)


def query(call: Callable[[], T], **options: Any) -> Pending[T]:
    """:meth:`Ops.query` on the application's hub."""
    return hub().query(call, **options)
