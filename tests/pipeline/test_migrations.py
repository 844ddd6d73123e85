"""The pipeline database's migrations: a database made before migrations existed (its tables
created on start, with data in it) is upgraded to the newest revision and loses nothing; a new
database gets the schema the models describe. Runs on SQLite, and on PostgreSQL with
``TEST_DATABASE=postgresql``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
    text,
)

from vod_testbed.common import migrations
from vod_testbed.pipeline.db import MIGRATIONS, Base, Course, Database, Enrollment, VideoAsset

# The schema as the pipeline created it on start before it had migrations, frozen here: the
# models move on, this does not.
YESTERDAY = MetaData()
Table(
    "video_assets",
    YESTERDAY,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(64), index=True, nullable=False),
    Column("course_id", String(64), index=True, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(255), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("uploaded_bytes", BigInteger),
    Column("input_key", String(1024), unique=True, nullable=False),
    Column("status", String(20), index=True, nullable=False),
    Column("progress", Integer, nullable=False),
    Column("job_id", String(64), index=True),
    Column("failure_reason", String(32)),
    Column("error_code", Integer),
    Column("error_message", Text),
    Column("master_playlist_key", String(1024)),
    Column("thumbnail_keys", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
)
Table(
    "processed_events",
    YESTERDAY,
    Column("event_id", String(128), primary_key=True),
    Column("asset_id", String(36)),
    Column("job_id", String(64)),
    Column("status", String(32), nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
Table(
    "courses",
    YESTERDAY,
    Column("id", String(64), primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Table(
    "enrollments",
    YESTERDAY,
    Column("course_id", String(64), primary_key=True),
    Column("user_id", String(64), primary_key=True, index=True),
    Column("status", String(16), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
VIDEO = {
    "id": "5f0c6a55-0f4e-4c7e-9a64-3d2b8c1f0a11",
    "user_id": "user-1",
    "course_id": "course-1",
    "filename": "lecture.mp4",
    "content_type": "video/mp4",
    "size_bytes": 123456789,
    "uploaded_bytes": 123456789,
    "input_key": "video/user-1/2026/12/5f0c6a55-0f4e-4c7e-9a64-3d2b8c1f0a11-1-lecture.mp4",
    "status": "ready",
    "progress": 100,
    "job_id": "1764064325000-abc123",
    "failure_reason": None,
    "error_code": None,
    "error_message": None,
    "master_playlist_key": "video/user-1/2026/12/x_processed/hls/master.m3u8",
    "thumbnail_keys": ["video/user-1/2026/12/x_processed/thumbnails/master_thumb.0000000.jpg"],
    "created_at": AT,
    "updated_at": AT,
    "finished_at": AT,
    "version": 4,
}


@pytest.fixture
def yesterdays_database(database_url: str) -> Iterator[str]:
    """``database_url`` holding yesterday's schema and one row in each table."""
    engine = create_engine(database_url)
    with engine.begin() as db:
        YESTERDAY.create_all(db)
        tables = YESTERDAY.tables
        db.execute(insert(tables["video_assets"]), VIDEO)
        db.execute(
            insert(tables["processed_events"]),
            {
                "event_id": "evt-1",
                "asset_id": VIDEO["id"],
                "job_id": VIDEO["job_id"],
                "status": "COMPLETE",
                "outcome": "applied",
                "received_at": AT,
            },
        )
        db.execute(
            insert(tables["courses"]), {"id": "course-1", "owner_id": "user-1", "created_at": AT}
        )
        db.execute(
            insert(tables["enrollments"]),
            {"course_id": "course-1", "user_id": "user-2", "status": "active", "updated_at": AT},
        )
    engine.dispose()
    yield database_url


def _utc(value: object) -> object:
    """SQLite hands times back without their zone (stored as UTC); PostgreSQL with it."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _differences(database: Database) -> list[object]:
    with database.engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def test_yesterdays_database_is_upgraded_to_the_newest_revision_and_loses_nothing(
    yesterdays_database: str,
) -> None:
    database = Database(yesterdays_database)
    try:
        database.migrate()
        with database.engine.connect() as connection:
            assert migrations.current(connection) == migrations.head(MIGRATIONS)
        with database.sessions() as session:
            video = session.get(VideoAsset, VIDEO["id"])
            assert video is not None
            kept = {name: getattr(video, name) for name in VIDEO}
            enrollment = session.scalars(select(Enrollment)).one()
            course = session.scalars(select(Course)).one()
        assert {name: _utc(value) for name, value in kept.items()} == VIDEO
        assert (course.id, course.owner_id) == ("course-1", "user-1")
        assert (enrollment.user_id, enrollment.status) == ("user-2", "active")
        assert _differences(database) == []
        # The upgraded row is written as any other: the optimistic lock counts on from 4.
        with database.sessions() as session, session.begin():
            row = session.get(VideoAsset, VIDEO["id"])
            assert row is not None
            row.progress = 99
        with database.sessions() as session:
            assert session.get(VideoAsset, VIDEO["id"]).version == 5  # type: ignore[union-attr]
    finally:
        database.dispose()


def test_a_new_database_gets_the_schema_the_models_describe(database_url: str) -> None:
    """A new database is made from the models in one step; this fails when a model changes
    without a migration that makes the same change to a database that replays them all."""
    made, replayed = Database(database_url), None
    try:
        made.migrate()
        made.migrate()  # a second start finds nothing to do
        assert _differences(made) == []
        with made.engine.connect() as connection:
            assert migrations.current(connection) == migrations.head(MIGRATIONS)
        for table in reversed(Base.metadata.sorted_tables):
            table.drop(made.engine)
        _drop_version_table(made)
        command.upgrade(migrations.config(MIGRATIONS, database_url), "head")
        replayed = Database(database_url)
        assert _differences(replayed) == []
    finally:
        made.dispose()
        if replayed is not None:
            replayed.dispose()


def _drop_version_table(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
