"""The content service's database: video assets and the job events already applied.

SQLAlchemy 2 ORM; any SQLAlchemy URL works (``DATABASE_URL``): a SQLite file by default,
PostgreSQL in a deployment. Four tables (videos, applied events, courses, enrollments), whose
changes are Alembic migrations (``migrations/``, docs/migrations.md) run on start
(:meth:`Database.migrate`): a change to a model below comes with a new revision.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    DateTime,
    Engine,
    Integer,
    String,
    Text,
    create_engine,
    event,
    inspect,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from vod_testbed.common import migrations
from vod_testbed.pipeline.assets.asset_states import AssetStatus

MIGRATIONS = Path(__file__).with_name("migrations")
# The first revision: the schema as it was when tables were still created on start.
BASELINE = "0001"


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class VideoAsset(Base):
    """One uploaded video, from the presigned upload to its HLS outputs."""

    __tablename__ = "video_assets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    course_id: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    uploaded_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    input_key: Mapped[str] = mapped_column(String(1024), unique=True)
    status: Mapped[str] = mapped_column(
        String(20), index=True, default=AssetStatus.PENDING_UPLOAD.value
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    failure_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    master_playlist_key: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    thumbnail_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Optimistic locking: an UPDATE of a row changed since it was read fails (and is
    # retried by the content service) instead of overwriting the newer state.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's API

    @property
    def asset_status(self) -> AssetStatus:
        return AssetStatus(self.status)


class ProcessedEvent(Base):
    """An event already applied (or knowingly ignored): a redelivery of the same ``id`` is
    answered without touching the asset again.

    An event of a job that may be the asset's own but is not recorded yet is ``held``: the
    change is kept in ``held_change`` until the trigger records the asset's job, then applied
    (that job's) or ignored (any other job's) - see ``ContentService.apply_job_change``."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    asset_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    held_change: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Course(Base):
    """A course: its videos are played by its actively enrolled users. Created by the first
    video registered in it, owned by that video's owner, who manages its enrollments."""

    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Enrollment(Base):
    """A user's enrollment in a course; only ``active`` grants playback."""

    __tablename__ = "enrollments"

    course_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        # Webhook deliveries and job listeners write from several threads at once.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        else:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            # WAL lets readers (GET /videos) proceed while an event is being written.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


def _adopt(connection: Connection) -> str | None:
    """A database made before migrations (its tables created on start) is the baseline."""
    return BASELINE if inspect(connection).has_table(VideoAsset.__tablename__) else None


class Database:
    """An engine and its session factory for ``url``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (a new database gets every table)."""
        with self.engine.connect() as connection:
            migrations.upgrade(connection, MIGRATIONS, _adopt, Base.metadata)

    def dispose(self) -> None:
        self.engine.dispose()
