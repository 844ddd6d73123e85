"""State files of the emulator as earlier versions wrote them, frozen here (the store's
tables move on, these do not): the first release's, and the last one before the store had
migrations (its outbox with the dead-letter columns, added by hand)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

_TABLES = """
CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    queue TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    client_token TEXT,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX jobs_by_token ON jobs (client_token);
CREATE INDEX jobs_by_status ON jobs (status, queue);
CREATE TABLE resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, name)
);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL
);
"""
_FIRST_OUTBOX = """
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    url TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    delivered_at REAL,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at);
"""
_DEAD_LETTER_COLUMNS = """
ALTER TABLE outbox ADD COLUMN created_at REAL NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN dead_at REAL;
ALTER TABLE outbox ADD COLUMN dead_reason TEXT;
"""
FIRST_RELEASE = _TABLES + _FIRST_OUTBOX
BEFORE_MIGRATIONS = FIRST_RELEASE + _DEAD_LETTER_COLUMNS


def write_state_file(path: Path, schema: str, *statements: str) -> None:
    """A state file of ``schema`` holding what ``statements`` insert."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as db:
        db.executescript(schema)
        for statement in statements:
            db.execute(statement)
        db.commit()
