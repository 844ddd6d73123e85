"""Persistence of the emulator's state in one SQLite file, so a restart loses nothing.

Jobs, named resources (job templates, presets, queues), recorded events and the delivery
outbox each have a table (:mod:`vod_testbed.emulator.tables`, SQLAlchemy Core; its schema
changes are Alembic migrations in ``migrations/``, run on open). Records
(:mod:`vod_testbed.emulator.records`) go in and come out; they are stored as the JSON of
:meth:`~vod_testbed.emulator.records.WireRecord.to_stored`. One connection is shared by
every thread behind a lock: the emulator's write rate is tiny, and one writer keeps SQLite
simple. The connection is in autocommit mode: a read is one statement, and writes that
belong together run in :meth:`Store.transaction` (``BEGIN IMMEDIATE``).

A job's rendered form is kept between its writes (:meth:`Store.job_view`): GetJob is what
clients poll, and it then costs neither a query nor a JSON round trip.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from cachetools import LRUCache
from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    true,
    update,
)
from sqlalchemy.pool import StaticPool

from vod_testbed.backends.job import JobStatus
from vod_testbed.common import migrations
from vod_testbed.common.dirlock import DirInUseError, lock_dir
from vod_testbed.emulator.outbox import OutboxStore
from vod_testbed.emulator.records import JobRecord, NamedRecord
from vod_testbed.emulator.tables import events as events_table
from vod_testbed.emulator.tables import jobs, metadata, outbox, resources

Named = TypeVar("Named", bound=NamedRecord)
View = TypeVar("View")

# Jobs whose rendered form (GetJob's answer) is kept: more than CI polls at once.
KEPT_JOB_VIEWS = 1024

STATE_FILE = "emulator.sqlite3"
LOCK_FILE = "emulator.lock"
MIGRATIONS = Path(__file__).with_name("migrations")


class DataDirInUseError(DirInUseError):
    """Another emulator process holds the data dir (both would run the same queued jobs)."""


def _lock_data_dir(data_dir: Path) -> IO[str] | None:
    try:
        return lock_dir(data_dir, LOCK_FILE, "emulator")
    except DirInUseError as exc:
        raise DataDirInUseError(str(exc)) from None


def _adopt(connection: Connection) -> str | None:
    """The revision a state file from before migrations is: the first release's, or with
    the outbox's dead-letter columns (which the emulator then added by hand) the second."""
    schema = inspect(connection)
    if not schema.has_table(jobs.name):
        return None
    columns = {column["name"] for column in schema.get_columns(outbox.name)}
    return "0002" if "created_at" in columns else "0001"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL: readers never wait for the writer; NORMAL is durable across a process crash.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


# The statements of the hot path (GetJob after a write, the runner's progress updates),
# built once: SQLAlchemy then reuses their compiled form and cache key on every call.
_JOB_BODY = select(jobs.c.body).where(jobs.c.id == bindparam("job_id"))
_INSERT_JOB = insert(jobs)
# The SET clause is the columns the call passes (status, queue, priority, body).
_UPDATE_JOB = update(jobs).where(jobs.c.id == bindparam("job_id"))


def _equal(table: Table, **columns: Any) -> ColumnElement[bool]:
    """``column = value`` for each column given a value (None: no condition). Column names
    come from keyword names in this module, never from requests."""
    present = [table.c[name] == value for name, value in columns.items() if value is not None]
    return and_(true(), *present)


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
        # One connection for the store's life (StaticPool), used by every thread in turn.
        self._engine = create_engine(
            f"sqlite:///{self.path}",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
        event.listen(self._engine, "connect", _sqlite_pragmas)
        with self._engine.connect() as connection:
            migrations.upgrade(connection, MIGRATIONS, _adopt, metadata)
        self._db: Connection = self._engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        )
        # job id -> (render, render(job)); every write of the job drops its entry.
        self._job_views: LRUCache[str, tuple[Callable[[JobRecord], Any], Any]] = LRUCache(
            KEPT_JOB_VIEWS
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._engine.dispose()
        if self._data_dir_lock is not None:
            self._data_dir_lock.close()  # closing the file releases the lock

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Run statements atomically; the lock also serialises read-modify-write cycles."""
        with self._lock:
            self._db.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.exec_driver_sql("ROLLBACK")
                raise
            self._db.exec_driver_sql("COMMIT")

    def reset(self) -> None:
        """Forget everything (the admin API's reset)."""
        with self.transaction() as db:
            for table in reversed(metadata.sorted_tables):
                db.execute(delete(table))
            self._job_views.clear()

    # -- jobs -------------------------------------------------------------------------

    def insert_job(self, job: JobRecord, client_token: str | None) -> None:
        with self.transaction() as db:
            db.execute(
                _INSERT_JOB,
                {
                    "id": job.id,
                    "queue": job.queue,
                    "status": job.status,
                    "priority": job.priority,
                    "client_token": client_token,
                    "created_ms": job.created_at * 1000,
                    "body": json.dumps(job.to_stored()),
                },
            )

    def get_job(self, job_id: str) -> JobRecord | None:
        with self._lock:
            body = self._db.execute(_JOB_BODY, {"job_id": job_id}).scalar()
        return None if body is None else _job(body)

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
        query = (
            select(jobs.c.body)
            .where(jobs.c.client_token == client_token, jobs.c.created_ms >= since_ms)
            .order_by(jobs.c.seq.desc())
            .limit(1)
        )
        with self._lock:
            body = self._db.execute(query).scalar()
        return None if body is None else _job(body)

    def update_job(
        self, job_id: str, mutate: Callable[[JobRecord], bool | None]
    ) -> JobRecord | None:
        """Apply ``mutate`` to the stored job atomically and save it.

        ``mutate`` edits the record in place; returning ``False`` leaves the row untouched.
        Returns the job as it is now stored, or None if there is no such job.
        """
        with self.transaction() as db:
            body = db.execute(_JOB_BODY, {"job_id": job_id}).scalar()
            if body is None:
                return None
            job = _job(body)
            if mutate(job) is False:
                return job
            db.execute(
                _UPDATE_JOB,
                {
                    "job_id": job_id,
                    "status": job.status,
                    "queue": job.queue,
                    "priority": job.priority,
                    "body": json.dumps(job.to_stored()),
                },
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
        query = select(jobs.c.seq, jobs.c.body).where(_equal(jobs, status=status, queue=queue))
        if after_seq is not None:
            query = query.where(jobs.c.seq < after_seq if descending else jobs.c.seq > after_seq)
        query = query.order_by(jobs.c.seq.desc() if descending else jobs.c.seq.asc())
        if limit is not None:
            query = query.limit(limit)
        with self._lock:
            rows = self._db.execute(query).all()
        return [StoredJob(seq, _job(body)) for seq, body in rows]

    def next_submitted_jobs(self, queue: str) -> list[JobRecord]:
        """SUBMITTED jobs of a queue in the order they should start: priority, then age."""
        query = (
            select(jobs.c.body)
            .where(jobs.c.status == JobStatus.SUBMITTED, jobs.c.queue == queue)
            .order_by(jobs.c.priority.desc(), jobs.c.seq.asc())
        )
        with self._lock:
            bodies = self._db.execute(query).scalars().all()
        return [_job(body) for body in bodies]

    def count_jobs(self, *, status: str | None = None, queue: str | None = None) -> int:
        query = select(func.count()).select_from(jobs)
        query = query.where(_equal(jobs, status=status, queue=queue))
        with self._lock:
            return int(self._db.execute(query).scalar_one())

    # -- job templates, presets, queues (kind: the record's KIND) ---------------------

    def put_resource(self, record: NamedRecord, *, create: bool) -> bool:
        """Insert (``create``) or replace a named resource. Returns False if ``create`` and it
        already exists, or if not ``create`` and it does not."""
        kind, name, body = record.KIND, record.name, json.dumps(record.to_stored())
        this = and_(resources.c.kind == kind, resources.c.name == name)
        with self.transaction() as db:
            exists = db.execute(select(resources.c.seq).where(this)).first() is not None
            if create == exists:
                return False
            if create:
                db.execute(insert(resources).values(kind=kind, name=name, body=body))
            else:
                db.execute(update(resources).where(this).values(body=body))
            return True

    def add_missing_resources(self, records: Sequence[NamedRecord]) -> None:
        """Insert those of ``records`` whose kind and name are not stored yet, atomically."""
        with self.transaction() as db:
            stored = {tuple(row) for row in db.execute(select(resources.c.kind, resources.c.name))}
            new = [
                {"kind": r.KIND, "name": r.name, "body": json.dumps(r.to_stored())}
                for r in records
                if (r.KIND, r.name) not in stored
            ]
            if new:
                db.execute(insert(resources), new)

    def get_resource(self, record_type: type[Named], name: str) -> Named | None:
        query = select(resources.c.body).where(
            resources.c.kind == record_type.KIND, resources.c.name == name
        )
        with self._lock:
            body = self._db.execute(query).scalar()
        return None if body is None else record_type.from_stored(json.loads(body))

    def list_resources(self, record_type: type[Named]) -> list[Named]:
        """Resources of one kind in creation order."""
        query = (
            select(resources.c.body)
            .where(resources.c.kind == record_type.KIND)
            .order_by(resources.c.seq)
        )
        with self._lock:
            bodies = self._db.execute(query).scalars().all()
        return [record_type.from_stored(json.loads(body)) for body in bodies]

    def delete_resource(self, record_type: type[NamedRecord], name: str) -> bool:
        with self.transaction() as db:
            result = db.execute(
                delete(resources).where(
                    resources.c.kind == record_type.KIND, resources.c.name == name
                )
            )
            return result.rowcount > 0

    # -- events ---------------------------------------------------------------------------

    def list_events(
        self, *, job_id: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        """Recorded events in the order they were emitted."""
        query = (
            select(events_table.c.body)
            .where(_equal(events_table, job_id=job_id, status=status))
            .order_by(events_table.c.seq)
        )
        with self._lock:
            bodies = self._db.execute(query).scalars().all()
        return [json.loads(body) for body in bodies]
