"""The tables of the emulator's store (SQLAlchemy Core), which its migrations build.

Records are stored as JSON in ``body``; the columns beside it exist only to filter and
order. ``seq`` columns are AUTOINCREMENT: a sequence is never reused, so a page token that
points past a deleted row still continues where it was.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, Table, Text, UniqueConstraint

metadata = MetaData()

jobs = Table(
    "jobs",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("id", Text, unique=True, nullable=False),
    Column("queue", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("client_token", Text),
    Column("created_ms", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Index("jobs_by_token", "client_token"),
    Index("jobs_by_status", "status", "queue"),
    sqlite_autoincrement=True,
)

resources = Table(
    "resources",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("body", Text, nullable=False),
    UniqueConstraint("kind", "name"),
    sqlite_autoincrement=True,
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("id", Text, unique=True, nullable=False),
    Column("job_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("body", Text, nullable=False),
    sqlite_autoincrement=True,
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("event_id", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", Float, nullable=False),
    Column("delivered_at", Float),
    Column("last_error", Text),
    Column("created_at", Float, nullable=False, server_default="0"),
    Column("dead_at", Float),
    Column("dead_reason", Text),
    Index("outbox_due", "delivered_at", "next_attempt_at"),
    sqlite_autoincrement=True,
)
