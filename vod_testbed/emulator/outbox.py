"""The delivery outbox in the emulator's SQLite store: one row per event and webhook URL.

A row is pending until a 2xx answer marks it delivered, or delivery gives up on it and
marks it dead (the dead-letter list, which the admin API shows and can redrive). Mixed
into :class:`vod_testbed.emulator.store.Store`, whose connection, lock and transactions it
uses: :class:`OutboxHost` says what a host provides, and the type checker holds it to that.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

_PENDING = "o.delivered_at IS NULL AND o.dead_at IS NULL"
_COLUMNS = (
    "o.seq, o.event_id, o.url, o.attempts, o.next_attempt_at, o.delivered_at, o.last_error,"
    " e.body, o.created_at, o.dead_at, o.dead_reason"
    " FROM outbox o JOIN events e ON e.id = o.event_id"
)
# Columns added after the first release; a state file from before gets them on open.
_ADDED_COLUMNS = {
    "created_at": "REAL NOT NULL DEFAULT 0",
    "dead_at": "REAL",
    "dead_reason": "TEXT",
}


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
    """What a class mixing in :class:`OutboxStore` provides: its SQLite connection, the lock
    that serialises every use of it, and atomic transactions on it."""

    _db: sqlite3.Connection
    _lock: threading.RLock

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...


def _rows(host: OutboxHost, where: str, params: Sequence[Any] = ()) -> list[Delivery]:
    with host._lock:
        rows = host._db.execute("SELECT " + _COLUMNS + where, params).fetchall()
    return [Delivery(*row) for row in rows]


def _insert(db: sqlite3.Connection, event_id: str, url: str, due: float, now: float) -> None:
    db.execute(
        "INSERT INTO outbox (event_id, url, next_attempt_at, created_at) VALUES (?, ?, ?, ?)",
        (event_id, url, due, now),
    )


class OutboxStore:
    """Outbox operations, for a host that is an :class:`OutboxHost`."""

    def upgrade_outbox(self: OutboxHost) -> None:
        """Add the columns a state file from an older version lacks."""
        with self._lock:
            present = {row[1] for row in self._db.execute("PRAGMA table_info(outbox)")}
            for name, kind in _ADDED_COLUMNS.items():
                if name not in present:
                    self._db.execute(f"ALTER TABLE outbox ADD COLUMN {name} {kind}")

    def record_event(
        self: OutboxHost, event: dict[str, Any], urls: tuple[str, ...], due_at: float, now: float
    ) -> None:
        """Record an event and queue one delivery per URL, atomically."""
        detail = event["detail"]
        with self.transaction() as db:
            db.execute(
                "INSERT INTO events (id, job_id, status, body) VALUES (?, ?, ?, ?)",
                (event["id"], detail["jobId"], detail["status"], json.dumps(event)),
            )
            for url in urls:
                _insert(db, event["id"], url, due_at, now)

    def add_delivery(self: OutboxHost, event_id: str, url: str, due_at: float, now: float) -> None:
        """Queue one more delivery of a recorded event (duplicate-delivery fault)."""
        with self.transaction() as db:
            _insert(db, event_id, url, due_at, now)

    def due_deliveries(self: OutboxHost, now: float, limit: int = 50) -> list[Delivery]:
        """Pending rows whose next attempt is due, oldest due first."""
        return _rows(
            self,
            f" WHERE {_PENDING} AND o.next_attempt_at <= ?"
            " ORDER BY o.next_attempt_at, o.seq LIMIT ?",
            (now, limit),
        )

    def next_due_at(self: OutboxHost) -> float | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT MIN(o.next_attempt_at) FROM outbox o WHERE {_PENDING}"  # noqa: S608
            ).fetchone()
        return None if row[0] is None else float(row[0])

    def list_deliveries(self: OutboxHost) -> list[Delivery]:
        return _rows(self, " ORDER BY o.seq")

    def list_dead_letters(self: OutboxHost) -> list[Delivery]:
        return _rows(self, " WHERE o.dead_at IS NOT NULL ORDER BY o.dead_at, o.seq")

    def mark_delivered(self: OutboxHost, seq: int, at: float) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL"
                " WHERE seq = ?",
                (at, seq),
            )

    def mark_failed(self: OutboxHost, seq: int, error: str, retry_at: float) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
                " WHERE seq = ?",
                (error, retry_at, seq),
            )

    def mark_dead(self: OutboxHost, seq: int, error: str, reason: str, at: float) -> None:
        """Give up on a row: it leaves the queue for the dead-letter list."""
        with self.transaction() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, dead_at = ?,"
                " dead_reason = ? WHERE seq = ?",
                (error, at, reason, seq),
            )

    def redrive(self: OutboxHost, now: float, event_ids: Sequence[str] | None = None) -> int:
        """Queue dead rows again (those of ``event_ids``, or all), due now and with a fresh
        age; returns how many."""
        sql = (
            "UPDATE outbox SET dead_at = NULL, dead_reason = NULL, next_attempt_at = ?,"
            " created_at = ? WHERE dead_at IS NOT NULL"
        )
        params: list[Any] = [now, now]
        if event_ids is not None:
            sql += f" AND event_id IN ({', '.join('?' for _ in event_ids)})"
            params.extend(event_ids)
        with self.transaction() as db:
            return db.execute(sql, params).rowcount

    def reschedule_event(self: OutboxHost, event_id: str, at: float) -> None:
        """Make every pending delivery of an event due at ``at``."""
        with self.transaction() as db:
            db.execute(
                "UPDATE outbox SET next_attempt_at = ? WHERE event_id = ?"
                " AND delivered_at IS NULL AND dead_at IS NULL",
                (at, event_id),
            )

    def release_held(self: OutboxHost, held_after: float, at: float) -> int:
        """Make pending deliveries scheduled beyond ``held_after`` due at ``at``."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE outbox SET next_attempt_at = ? WHERE delivered_at IS NULL"
                " AND dead_at IS NULL AND next_attempt_at > ?",
                (at, held_after),
            )
            return cursor.rowcount
