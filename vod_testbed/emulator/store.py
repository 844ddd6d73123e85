"""Persistence of the emulator's state in one SQLite file, so a restart loses nothing.

Jobs, named resources (job templates, presets, queues), recorded events and the delivery
outbox each have a table. Records (:mod:`vod_testbed.emulator.records`) go in and come out;
they are stored as the JSON of :meth:`~vod_testbed.emulator.records.WireRecord.to_stored`,
and the columns beside it exist only to filter and order. One connection is shared by every
thread behind a lock: the emulator's write rate is tiny, and one writer keeps SQLite simple.

A job's rendered form is kept between its writes (:meth:`Store.job_view`): GetJob is what
clients poll, and it then costs neither a query nor a JSON round trip.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from cachetools import LRUCache

from vod_testbed.backends.job import JobStatus
from vod_testbed.common.dirlock import DirInUseError, lock_dir
from vod_testbed.emulator.outbox import OutboxStore
from vod_testbed.emulator.records import JobRecord, NamedRecord

Named = TypeVar("Named", bound=NamedRecord)
View = TypeVar("View")

# Jobs whose rendered form (GetJob's answer) is kept: more than CI polls at once.
KEPT_JOB_VIEWS = 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    queue TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    client_token TEXT,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_token ON jobs (client_token);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, queue);
CREATE TABLE IF NOT EXISTS resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, name)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    url TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    delivered_at REAL,
    last_error TEXT,
    created_at REAL NOT NULL DEFAULT 0,
    dead_at REAL,
    dead_reason TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (delivered_at, next_attempt_at);
"""

STATE_FILE = "emulator.sqlite3"
LOCK_FILE = "emulator.lock"


class DataDirInUseError(DirInUseError):
    """Another emulator process holds the data dir (both would run the same queued jobs)."""


def _lock_data_dir(data_dir: Path) -> IO[str] | None:
    try:
        return lock_dir(data_dir, LOCK_FILE, "emulator")
    except DirInUseError as exc:
        raise DataDirInUseError(str(exc)) from None


def _where(clauses: list[str]) -> str:
    """A WHERE clause from fixed condition strings (values are always bound parameters)."""
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def _equal(**columns: Any) -> tuple[list[str], list[Any]]:
    """``column = ?`` conditions for the columns given a value (None: no condition).
    Column names come from keyword names in this module, never from requests."""
    present = {name: value for name, value in columns.items() if value is not None}
    return [f"{name} = ?" for name in present], list(present.values())


def _job(body: str) -> JobRecord:
    return JobRecord.from_stored(json.loads(body))


@dataclass(frozen=True)
class StoredJob:
    """A job with its ordering sequence."""

    seq: int
    job: JobRecord


class Store(OutboxStore):
    """The emulator's SQLite state, in ``<data_dir>/emulator.sqlite3``."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self._data_dir_lock = _lock_data_dir(data_dir)
        self.path = data_dir / STATE_FILE
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self.upgrade_outbox()
        # job id -> (render, render(job)); every write of the job drops its entry.
        self._job_views: LRUCache[str, tuple[Callable[[JobRecord], Any], Any]] = LRUCache(
            KEPT_JOB_VIEWS
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
        if self._data_dir_lock is not None:
            self._data_dir_lock.close()  # closing the file releases the lock

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run statements atomically; the lock also serialises read-modify-write cycles."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def reset(self) -> None:
        """Forget everything (the admin API's reset)."""
        with self.transaction() as db:
            for table in ("jobs", "resources", "events", "outbox"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            self._job_views.clear()

    # -- jobs -------------------------------------------------------------------------

    def insert_job(self, job: JobRecord, client_token: str | None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO jobs (id, queue, status, priority, client_token, created_ms, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    job.id,
                    job.queue,
                    job.status,
                    job.priority,
                    client_token,
                    job.created_at * 1000,
                    json.dumps(job.to_stored()),
                ),
            )

    def get_job(self, job_id: str) -> JobRecord | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else _job(row["body"])

    def job_view(self, job_id: str, render: Callable[[JobRecord], View]) -> View | None:
        """``render(job)`` of the stored job (None if there is no such job), computed once
        per version of the job: the result is kept until the job is next written, so a
        change shows in the very next call. ``render`` must not modify the job; a call with
        another ``render`` than the kept one renders again."""
        with self._lock:
            kept = self._job_views.get(job_id)
            if kept is not None and kept[0] is render:
                view: View = kept[1]
                return view
            job = self.get_job(job_id)
            if job is None:
                return None
            # Rendered under the lock: no write can slip between the read and the keeping.
            view = render(job)
            self._job_views[job_id] = (render, view)
            return view

    def job_for_token(self, client_token: str, since_ms: int) -> JobRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM jobs WHERE client_token = ? AND created_ms >= ?"
                " ORDER BY seq DESC LIMIT 1",
                (client_token, since_ms),
            ).fetchone()
        return None if row is None else _job(row["body"])

    def update_job(
        self, job_id: str, mutate: Callable[[JobRecord], bool | None]
    ) -> JobRecord | None:
        """Apply ``mutate`` to the stored job atomically and save it.

        ``mutate`` edits the record in place; returning ``False`` leaves the row untouched.
        Returns the job as it is now stored, or None if there is no such job.
        """
        with self.transaction() as db:
            row = db.execute("SELECT body FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                return None
            job = _job(row["body"])
            if mutate(job) is False:
                return job
            db.execute(
                "UPDATE jobs SET status = ?, queue = ?, priority = ?, body = ? WHERE id = ?",
                (job.status, job.queue, job.priority, json.dumps(job.to_stored()), job_id),
            )
            self._job_views.pop(job_id, None)
            return job

    def list_jobs(
        self,
        *,
        status: str | None = None,
        queue: str | None = None,
        descending: bool = True,
        after_seq: int | None = None,
        limit: int | None = None,
    ) -> list[StoredJob]:
        """Jobs by creation order; ``after_seq`` continues past a previous page."""
        clauses, params = _equal(status=status, queue=queue)
        if after_seq is not None:
            clauses.append("seq < ?" if descending else "seq > ?")
            params.append(after_seq)
        sql = "SELECT seq, body FROM jobs" + _where(clauses)  # noqa: S608
        sql += " ORDER BY seq " + ("DESC" if descending else "ASC")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [StoredJob(row["seq"], _job(row["body"])) for row in rows]

    def next_submitted_jobs(self, queue: str) -> list[JobRecord]:
        """SUBMITTED jobs of a queue in the order they should start: priority, then age."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM jobs WHERE status = ? AND queue = ?"
                " ORDER BY priority DESC, seq ASC",
                (JobStatus.SUBMITTED, queue),
            ).fetchall()
        return [_job(row["body"]) for row in rows]

    def count_jobs(self, *, status: str | None = None, queue: str | None = None) -> int:
        clauses, params = _equal(status=status, queue=queue)
        sql = "SELECT COUNT(*) FROM jobs" + _where(clauses)  # noqa: S608
        with self._lock:
            return int(self._db.execute(sql, params).fetchone()[0])

    # -- job templates, presets, queues (kind: the record's KIND) ---------------------

    def put_resource(self, record: NamedRecord, *, create: bool) -> bool:
        """Insert (``create``) or replace a named resource. Returns False if ``create`` and it
        already exists, or if not ``create`` and it does not."""
        kind, name, body = record.KIND, record.name, json.dumps(record.to_stored())
        with self.transaction() as db:
            exists = db.execute(
                "SELECT 1 FROM resources WHERE kind = ? AND name = ?", (kind, name)
            ).fetchone()
            if create == bool(exists):
                return False
            if create:
                db.execute(
                    "INSERT INTO resources (kind, name, body) VALUES (?, ?, ?)", (kind, name, body)
                )
            else:
                db.execute(
                    "UPDATE resources SET body = ? WHERE kind = ? AND name = ?", (body, kind, name)
                )
            return True

    def get_resource(self, record_type: type[Named], name: str) -> Named | None:
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM resources WHERE kind = ? AND name = ?",
                (record_type.KIND, name),
            ).fetchone()
        return None if row is None else record_type.from_stored(json.loads(row["body"]))

    def list_resources(self, record_type: type[Named]) -> list[Named]:
        """Resources of one kind in creation order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM resources WHERE kind = ? ORDER BY seq", (record_type.KIND,)
            ).fetchall()
        return [record_type.from_stored(json.loads(row["body"])) for row in rows]

    def delete_resource(self, record_type: type[NamedRecord], name: str) -> bool:
        with self.transaction() as db:
            cursor = db.execute(
                "DELETE FROM resources WHERE kind = ? AND name = ?", (record_type.KIND, name)
            )
            return cursor.rowcount > 0

    # -- events ---------------------------------------------------------------------------

    def list_events(
        self, *, job_id: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        """Recorded events in the order they were emitted."""
        clauses, params = _equal(job_id=job_id, status=status)
        sql = "SELECT body FROM events" + _where(clauses)  # noqa: S608
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", params).fetchall()
        return [json.loads(row["body"]) for row in rows]
