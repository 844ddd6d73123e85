"""The emulator store's migrations: a state file written before the store had migrations,
with data in it, opens at the newest revision and loses nothing; a new state file gets the
tables the store describes."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from tests.emulator.old_stores import BEFORE_MIGRATIONS, write_state_file
from tests.support.emulator import job_record
from vod_testbed.common import migrations
from vod_testbed.emulator.records import QueueRecord
from vod_testbed.emulator.store import MIGRATIONS, STATE_FILE, Store
from vod_testbed.emulator.tables import metadata

JOB = job_record()
QUEUE = QueueRecord(
    name="Night",
    arn="arn:aws:mediaconvert:us-east-1:1:queues/Night",
    created_at=1_700_000_000,
    last_updated=1_700_000_000,
)
EVENT = {"id": "e-1", "detail": {"jobId": JOB.id, "status": "COMPLETE"}}


def _state_file_before_migrations(data_dir: Path) -> None:
    def quoted(value: object) -> str:
        return "'" + json.dumps(value).replace("'", "''") + "'"

    write_state_file(
        data_dir / STATE_FILE,
        BEFORE_MIGRATIONS,
        "INSERT INTO jobs (id, queue, status, priority, client_token, created_ms, body)"
        f" VALUES ('{JOB.id}', '{JOB.queue}', 'SUBMITTED', 0, 'token-1', 1700000000000,"
        f" {quoted(JOB.to_stored())})",
        "INSERT INTO resources (kind, name, body)"
        f" VALUES ('queues', 'Night', {quoted(QUEUE.to_stored())})",
        "INSERT INTO events (id, job_id, status, body)"
        f" VALUES ('e-1', '{JOB.id}', 'COMPLETE', {quoted(EVENT)})",
        "INSERT INTO outbox (event_id, url, attempts, next_attempt_at, last_error, created_at,"
        " dead_at, dead_reason) VALUES ('e-1', 'http://127.0.0.1:9/x', 3, 5, 'HTTP 500', 2,"
        " 9, 'retried 3 times')",
    )


def _revision_and_differences(data_dir: Path) -> tuple[str | None, list[object]]:
    engine = create_engine(f"sqlite:///{data_dir / STATE_FILE}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            return migrations.current(connection), list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_a_state_file_from_before_migrations_opens_at_the_newest_revision_with_everything(
    tmp_path: Path,
) -> None:
    _state_file_before_migrations(tmp_path)
    store = Store(tmp_path)
    try:
        assert store.get_job(JOB.id) == JOB
        assert store.job_for_token("token-1", since_ms=0) == JOB
        assert store.get_resource(QueueRecord, "Night") == QUEUE
        assert store.list_events(job_id=JOB.id) == [EVENT]
        (dead,) = store.list_dead_letters()
        assert (dead.event_id, dead.attempts, dead.created_at, dead.dead_reason) == (
            "e-1",
            3,
            2.0,
            "retried 3 times",
        )
        assert store.redrive(now=20) == 1
        (due,) = store.due_deliveries(now=20)
        assert due.seq == dead.seq
    finally:
        store.close()
    revision, differences = _revision_and_differences(tmp_path)
    # What the hand-written SQL spelled otherwise (REAL for FLOAT, an INTEGER PRIMARY KEY
    # without NOT NULL) shows as a "modify" (a list); a missing table, column or index as an
    # "add" (a tuple): there must be none.
    assert (revision, [d for d in differences if isinstance(d, tuple)]) == (
        migrations.head(MIGRATIONS),
        [],
    )


def test_a_new_state_file_has_the_tables_the_store_describes(tmp_path: Path) -> None:
    Store(tmp_path).close()
    Store(tmp_path).close()  # opening again finds nothing to do
    assert _revision_and_differences(tmp_path) == (migrations.head(MIGRATIONS), [])


def test_every_revision_replayed_on_an_empty_file_gives_the_same_tables(tmp_path: Path) -> None:
    """A new state file is made from the tables in one step; this fails when a table changes
    without a revision that makes the same change to a file that replays them all."""
    url = f"sqlite:///{tmp_path / STATE_FILE}"
    command.upgrade(migrations.config(MIGRATIONS, url), "head")
    assert _revision_and_differences(tmp_path) == (migrations.head(MIGRATIONS), [])
