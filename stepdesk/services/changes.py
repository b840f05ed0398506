"""What an operation changed, and the operation itself as plain data (Anki's ``OpChanges``).

Every state-changing service already writes an audit event naming the record it changed
(``entity``, ``entity_id``) in the same transaction as the change. While :func:`collecting`
is active, the events of each *committed* unit of work are gathered into a :class:`Changes`
set; a rolled-back transaction adds nothing. :func:`perform` runs one service call that way
and returns its result together with what it changed (:class:`Done`), so no service's
signature has to change and the CLI, the GUI and the office server get the same sets.

An :class:`Operation` is the stable name and the JSON-able payload (ids and plain values,
never ORM objects) of one change a person asked for: what the GUI runs and what sync carries.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from stepdesk.persistence.models import AuditEvent

T = TypeVar("T")
JSON = str | int | float | bool | None | list[Any] | dict[str, Any]

# Audit actions that read or export without changing any record.
READ_ACTIONS = frozenset({"view", "open", "export", "search", "verify"})


@dataclass(frozen=True)
class Changes:
    """Which records, of which kinds, an operation changed.

    ``records`` holds ``(kind, id)`` pairs; an id of ``None`` means "records of this kind,
    which ones unknown" (a page showing that kind refreshes it whole).
    """

    records: frozenset[tuple[str, int | None]] = frozenset()

    @classmethod
    def of(cls, kind: str, *ids: int | None) -> Changes:
        """Records of one kind (no ids: the kind as a whole)."""
        return cls(frozenset((kind, i) for i in (ids or (None,))))

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of record changed."""
        return frozenset(kind for kind, _ in self.records)

    def touches(self, *kinds: str) -> bool:
        """Whether any record of these kinds changed."""
        return any(kind in self.kinds for kind in kinds)

    def ids(self, kind: str) -> frozenset[int]:
        """The ids of the changed records of ``kind`` (empty if none, or if unknown)."""
        return frozenset(i for k, i in self.records if k == kind and i is not None)

    def whole(self, kind: str) -> bool:
        """Whether records of ``kind`` changed without saying which (refresh them all)."""
        return (kind, None) in self.records

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.records | other.records)

    def __bool__(self) -> bool:
        return bool(self.records)

    def to_json(self) -> list[list[JSON]]:
        """Sorted ``[kind, id]`` pairs."""
        return [[k, i] for k, i in sorted(self.records, key=lambda r: (r[0], r[1] or 0))]

    @classmethod
    def from_json(cls, data: Iterable[Iterable[Any]]) -> Changes:
        """The inverse of :meth:`to_json`."""
        pairs = (tuple(pair) for pair in data)
        return cls(frozenset((str(k), None if i is None else int(i)) for k, i in pairs))


NOTHING = Changes()


@dataclass(frozen=True)
class Operation:
    """One change a person asked for: a stable dotted name and a JSON-able payload."""

    name: str
    payload: Mapping[str, JSON] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_jsonable(self.payload, self.name)

    def to_json(self) -> dict[str, JSON]:
        """``{"op": name, "payload": {...}}``."""
        return {"op": self.name, "payload": dict(self.payload)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Operation:
        """The inverse of :meth:`to_json`."""
        return cls(str(data["op"]), dict(data.get("payload") or {}))


def _check_jsonable(value: Any, where: str) -> None:
    if value is None or isinstance(value, (str, int, float, bool)):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_jsonable(item, where)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: payload keys are text, not {key!r}")
            _check_jsonable(item, where)
        return
    raise TypeError(f"{where}: payload holds ids and plain values, not {type(value).__name__}")


@dataclass(frozen=True)
class Done(Generic[T]):
    """A service's result together with what it changed."""

    result: T
    changes: Changes


_collector: contextvars.ContextVar[set[tuple[str, int | None]] | None] = contextvars.ContextVar(
    "stepdesk_changes", default=None
)
_PENDING = "stepdesk.changes"


@contextlib.contextmanager
def collecting() -> Iterator[Callable[[], Changes]]:
    """Gather the changes of every unit of work committed inside the block (this thread)."""
    found: set[tuple[str, int | None]] = set()
    token = _collector.set(found)
    try:
        yield lambda: Changes(frozenset(found))
    finally:
        _collector.reset(token)


def perform(call: Callable[[], T], also: Changes = NOTHING) -> Done[T]:
    """Run ``call`` (one service call) and return its result with what it changed."""
    with collecting() as changes:
        result = call()
    return Done(result, changes() | also)


@event.listens_for(Session, "after_flush")
def _note_audited(session: Session, _context: UOWTransaction) -> None:
    if _collector.get() is None:
        return
    pending: set[tuple[str, int | None]] = session.info.setdefault(_PENDING, set())
    for obj in session.new:
        if isinstance(obj, AuditEvent) and obj.action not in READ_ACTIONS:
            pending.add((obj.entity, obj.entity_id))


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    found = _collector.get()
    if pending and found is not None:
        found.update(pending)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
