"""``vod-testbed db``: the schema migrations of the pipeline's database and the emulator's
store, outside a start (which runs them anyway). See docs/migrations.md."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

PARTS = ("pipeline", "emulator")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db",
        help="migrate the pipeline's database and the emulator's store, or add a migration",
        description="upgrade: bring the pipeline's database (DATABASE_URL, else the SQLite "
        "file in the data dir) and the emulator's store (in the data dir) to their newest "
        "schema, as every start does. status: their revisions. revision: write a new "
        "migration of a part from the difference between its tables in the code and its "
        "newest revision (review it, then commit it).",
    )
    parser.add_argument("action", choices=["upgrade", "status", "revision"])
    parser.add_argument(
        "--data-dir", type=Path, help="the stack's data dir (default: $VOD_DATA_DIR or the "
        "per-user state folder)"
    )  # fmt: skip
    parser.add_argument("--database-url", help="the pipeline's database (default: $DATABASE_URL)")
    parser.add_argument("--part", choices=PARTS, help="revision: whose history")
    parser.add_argument("-m", "--message", help="revision: what the migration changes")
    parser.set_defaults(func=run)


def _scripts(part: str) -> Path:
    from vod_testbed.emulator.store import MIGRATIONS as EMULATOR
    from vod_testbed.pipeline.db import MIGRATIONS as PIPELINE

    return PIPELINE if part == "pipeline" else EMULATOR


def run(args: argparse.Namespace) -> int:
    if args.action == "revision":
        if not (args.part and args.message):
            print("error: revision needs --part and -m MESSAGE", file=sys.stderr)
            return 2
        print(new_revision(args.part, args.message))
        return 0
    from vod_testbed.stack.settings import StackSettings

    settings = StackSettings.from_env()
    settings = settings.replace(
        data_dir=args.data_dir or settings.data_dir,
        database_url=args.database_url or settings.database_url,
    )
    url, emulator_dir = settings.pipeline_database_url, settings.emulator_data_dir
    if args.action == "upgrade":
        upgrade(url, emulator_dir)
    for part, revision in status(url, emulator_dir).items():
        print(f"{part:9} {revision}")
    return 0


def upgrade(database_url: str, emulator_dir: Path) -> None:
    from vod_testbed.emulator.store import Store
    from vod_testbed.pipeline.db import Database

    database = Database(database_url)
    try:
        database.migrate()
    finally:
        database.dispose()
    Store(emulator_dir).close()  # opening the store migrates it


def status(database_url: str, emulator_dir: Path) -> dict[str, str]:
    """Each part's revision against its newest ("0002 (newest)", "none: 0001 is the newest")."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from vod_testbed.common import migrations
    from vod_testbed.emulator.store import STATE_FILE

    found: dict[str, str] = {}
    for part, url in (
        ("pipeline", database_url),
        ("emulator", f"sqlite:///{emulator_dir / STATE_FILE}"),
    ):
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
            found[part] = "no database yet"
            continue
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                at = migrations.current(connection)
        finally:
            engine.dispose()
        newest = migrations.head(_scripts(part))
        found[part] = (
            f"{at} (newest)" if at == newest else f"{at or 'none'}: {newest} is the newest"
        )
    return found


def new_revision(part: str, message: str) -> str:
    """Autogenerate the next revision of ``part`` against a scratch database at its newest
    revision; returns the new file's path. Revisions are numbered 0001, 0002, ..."""
    from alembic import command

    from vod_testbed.common import migrations

    scripts = _scripts(part)
    newest = migrations.head(scripts)
    number = f"{int(newest or 0) + 1:04d}"
    with tempfile.TemporaryDirectory(prefix="vod-revision-") as scratch:
        cfg = migrations.config(scripts, f"sqlite:///{Path(scratch) / 'head.sqlite3'}")
        command.upgrade(cfg, "head")
        script = command.revision(cfg, message=message, autogenerate=True, rev_id=number)
    assert script is not None and not isinstance(script, list)
    return str(script.path)
