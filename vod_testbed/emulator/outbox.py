"""The delivery outbox in the emulator's store: one row per event and webhook URL.

A row is pending until a 2xx answer marks it delivered, or delivery gives up on it and
marks it dead (the dead-letter list, which the admin API shows and can redrive). Mixed
into :class:`vod_testbed.emulator.store.Store`, whose connection, lock and transactions it
uses: :class:`OutboxHost` says what a host provides, and the type checker holds it to that.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Select, func, insert, select, update

from vod_testbed.emulator.tables import events, outbox

_PENDING = outbox.c.delivered_at.is_(None) & outbox.c.dead_at.is_(None)
# Delivery's fields, in its order.
_DELIVERIES = select(
    outbox.c.seq,
    outbox.c.event_id,
    outbox.c.url,
    outbox.c.attempts,
    outbox.c.next_attempt_at,
    outbox.c.delivered_at,
    outbox.c.last_error,
    events.c.body,
    outbox.c.created_at,
    outbox.c.dead_at,
    outbox.c.dead_reason,
).select_from(outbox.join(events, events.c.id == outbox.c.event_id))


@dataclass(frozen=True)
class Delivery:
    """One delivery of an event to one webhook URL: pending, delivered or dead."""

    seq: int
    event_id: str
    url: str
    attempts: int
    next_attempt_at: float
    delivered_at: float | None
    last_error: str | None
    body: str
    created_at: float = 0.0
    dead_at: float | None = None
    dead_reason: str | None = None


class OutboxHost(Protocol):
    """What a class mixing in :class:`OutboxStore` provides: its connection, the lock that
    serialises every use of it, and atomic transactions on it."""

    _db: Connection
    _lock: threading.RLock

    def transaction(self) -> AbstractContextManager[Connection]: ...


def _rows(host: OutboxHost, query: Select[Any]) -> list[Delivery]:
    with host._lock:
        rows = host._db.execute(query).all()
    return [Delivery(*row) for row in rows]


def _insert(db: Connection, event_id: str, url: str, due: float, now: float) -> None:
    db.execute(
        insert(outbox).values(event_id=event_id, url=url, next_attempt_at=due, created_at=now)
    )


def _set(db: Connection, where: ColumnElement[bool], **values: Any) -> int:
    """UPDATE the outbox rows ``where`` holds; returns how many."""
    return db.execute(update(outbox).where(where).values(**values)).rowcount


class OutboxStore:
    """Outbox operations, for a host that is an :class:`OutboxHost`."""

    def record_event(
        self: OutboxHost, event: dict[str, Any], urls: tuple[str, ...], due_at: float, now: float
    ) -> None:
        """Record an event and queue one delivery per URL, atomically."""
        detail = event["detail"]
        with self.transaction() as db:
            db.execute(
                insert(events).values(
                    id=event["id"],
                    job_id=detail["jobId"],
                    status=detail["status"],
                    body=json.dumps(event),
                )
            )
            for url in urls:
                _insert(db, event["id"], url, due_at, now)

    def add_delivery(self: OutboxHost, event_id: str, url: str, due_at: float, now: float) -> None:
        """Queue one more delivery of a recorded event (duplicate-delivery fault)."""
        with self.transaction() as db:
            _insert(db, event_id, url, due_at, now)

    def due_deliveries(self: OutboxHost, now: float, limit: int = 50) -> list[Delivery]:
        """Pending rows whose next attempt is due, oldest due first."""
        query = (
            _DELIVERIES.where(_PENDING, outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.next_attempt_at, outbox.c.seq)
            .limit(limit)
        )
        return _rows(self, query)

    def next_due_at(self: OutboxHost) -> float | None:
        with self._lock:
            due = self._db.execute(select(func.min(outbox.c.next_attempt_at)).where(_PENDING))
            first = due.scalar()
        return None if first is None else float(first)

    def list_deliveries(self: OutboxHost) -> list[Delivery]:
        return _rows(self, _DELIVERIES.order_by(outbox.c.seq))

    def list_dead_letters(self: OutboxHost) -> list[Delivery]:
        query = _DELIVERIES.where(outbox.c.dead_at.is_not(None))
        return _rows(self, query.order_by(outbox.c.dead_at, outbox.c.seq))

    def mark_delivered(self: OutboxHost, seq: int, at: float) -> None:
        with self.transaction() as db:
            _set(
                db,
                outbox.c.seq == seq,
                delivered_at=at,
                attempts=outbox.c.attempts + 1,
                last_error=None,
            )

    def mark_failed(self: OutboxHost, seq: int, error: str, retry_at: float) -> None:
        with self.transaction() as db:
            _set(
                db,
                outbox.c.seq == seq,
                attempts=outbox.c.attempts + 1,
                last_error=error,
                next_attempt_at=retry_at,
            )

    def mark_dead(self: OutboxHost, seq: int, error: str, reason: str, at: float) -> None:
        """Give up on a row: it leaves the queue for the dead-letter list."""
        with self.transaction() as db:
            _set(
                db,
                outbox.c.seq == seq,
                attempts=outbox.c.attempts + 1,
                last_error=error,
                dead_at=at,
                dead_reason=reason,
            )

    def redrive(self: OutboxHost, now: float, event_ids: Sequence[str] | None = None) -> int:
        """Queue dead rows again (those of ``event_ids``, or all), due now and with a fresh
        age; returns how many."""
        dead: ColumnElement[bool] = outbox.c.dead_at.is_not(None)
        if event_ids is not None:
            dead = dead & outbox.c.event_id.in_(event_ids)
        with self.transaction() as db:
            return _set(
                db, dead, dead_at=None, dead_reason=None, next_attempt_at=now, created_at=now
            )

    def reschedule_event(self: OutboxHost, event_id: str, at: float) -> None:
        """Make every pending delivery of an event due at ``at``."""
        with self.transaction() as db:
            _set(db, _PENDING & (outbox.c.event_id == event_id), next_attempt_at=at)

    def release_held(self: OutboxHost, held_after: float, at: float) -> int:
        """Make pending deliveries scheduled beyond ``held_after`` due at ``at``."""
        with self.transaction() as db:
            return _set(db, _PENDING & (outbox.c.next_attempt_at > held_after), next_attempt_at=at)
