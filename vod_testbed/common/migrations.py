"""Schema migrations with Alembic, for each database a part owns (docs/migrations.md).

A part keeps its history in a ``migrations`` package beside its code (``env.py`` calls
:func:`run_env`, ``versions/`` holds the revisions) and brings a database to the newest
revision on start with :func:`upgrade`. A database made before the part had migrations has
its tables but no version: the part's ``adopt`` says which revision it already matches, that
revision is recorded, and only the later ones run, so nothing in it is lost. An empty
database gets the newest tables in one step and is stamped with the newest revision, as
Alembic's cookbook builds a database from scratch: replaying every revision (SQLite copies a
table for each ALTER) cost each new database tens of milliseconds. Each part's tests replay
the revisions on an empty database and compare the result with its tables.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, MetaData, create_engine, text

# Alembic announces each of its plugins at INFO as it is imported: noise in every start's
# log, so quieted before the import.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

from alembic import command, context  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402

# Held while a PostgreSQL database migrates, so two processes starting at once on one
# database take turns instead of both creating the tables (any constant; only this uses it).
_MIGRATION_LOCK_KEY = 0x766F64


def config(scripts: Path, url: str | None = None) -> Config:
    """The Alembic configuration of one part's history; ``url`` for the command line."""
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@functools.cache
def _script_directory(scripts: Path) -> ScriptDirectory:
    # Read once per process: a part's revisions do not change while it runs.
    return ScriptDirectory.from_config(config(scripts))


def head(scripts: Path) -> str | None:
    return _script_directory(scripts).get_current_head()


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(
    connection: Connection,
    scripts: Path,
    adopt: Callable[[Connection], str | None],
    metadata: MetaData,
) -> None:
    """Bring the database on ``connection`` to the newest revision in ``scripts``.

    ``adopt(connection)`` is asked only when the database has no recorded revision: it names
    the revision the existing tables already are (None: an empty database, which gets
    ``metadata``'s tables, the newest revision's). Commits what it did.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    at = current(connection)
    adopted = adopt(connection) if at is None else None
    if at is None and adopted is None:
        metadata.create_all(connection)
        MigrationContext.configure(connection).stamp(_script_directory(scripts), "head")
    elif at != head(scripts):
        cfg = config(scripts)
        cfg.attributes["connection"] = connection
        if adopted is not None:
            command.stamp(cfg, adopted)
        command.upgrade(cfg, "head")
    connection.commit()


def run_env(metadata: MetaData) -> None:
    """The body of a part's ``env.py``: migrate the connection :func:`upgrade` handed over,
    or, from the command line, the database of the ``sqlalchemy.url`` option."""
    cfg = context.config
    connection = cfg.attributes.get("connection")
    if connection is not None:
        _run(connection, metadata)
        return
    url = cfg.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no database: give its URL (vod-testbed db --database-url URL)")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            _run(connection, metadata)
    finally:
        engine.dispose()


def _run(connection: Connection, metadata: MetaData) -> None:
    # SQLite alters a table by copying it ("batch" mode); PostgreSQL alters in place.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
