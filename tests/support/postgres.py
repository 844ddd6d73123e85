"""A throwaway PostgreSQL server for the tests that ``TEST_DATABASE=postgresql`` runs on it.

The server is the machine's own (Debian's ``postgresql`` package: ``initdb`` and ``pg_ctl``
on PATH or under ``/usr/lib/postgresql/<version>/bin``), initialised in a temporary folder,
listening only on a Unix socket in that folder, with durability off (a test server loses
nothing it needs). PostgreSQL refuses to run as root, and CI runs as root: then the server
runs as the ``postgres`` user. (pytest-postgresql's process fixture runs ``pg_ctl`` as the
current user, hence this small fixture rather than that one.)

Each test gets a database of its own (:meth:`PostgresServer.new_database`), dropped after it.
The fixtures below give the pipeline's tests their database: a SQLite file, or with
``TEST_DATABASE=postgresql`` a database on that server, started once per session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

# Durability is not what a test server is for: these make it start and write faster.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def _bindir() -> Path:
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    installed = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    found = sorted(installed, key=lambda path: int(path.split("/")[4]))
    if not found:
        raise RuntimeError(
            "TEST_DATABASE=postgresql needs PostgreSQL's server programs (pg_ctl, initdb): "
            "install the postgresql package (Debian: apt-get install postgresql)"
        )
    return Path(found[-1]).parent


def _run_as() -> dict[str, Any]:
    """subprocess arguments that run the server's programs as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": pwd.getpwnam("postgres").pw_gid}


class PostgresServer:
    """A PostgreSQL server in its own temporary folder, reachable by a Unix socket there."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="vod-pg-"))
        self.data = self.folder / "data"
        self._as = _run_as()
        if self._as:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)

    def start(self) -> PostgresServer:
        self._pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        options = " ".join(
            ["-c listen_addresses=''", f"-k {self.folder}", *(f"-c {s}" for s in FAST_SETTINGS)]
        )
        self._pg(
            "pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options,
        )  # fmt: skip
        return self

    def stop(self) -> None:
        self._pg("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _pg(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [str(self.bindir / program), *args], capture_output=True, text=True, **self._as
        )
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stderr.strip()} {tail}")

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of one of the server's databases (psycopg 3 driver)."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}"

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(host=str(self.folder), user="postgres", autocommit=True)

    def new_database(self) -> str:
        """Create an empty database; returns its name."""
        name = "t_" + uuid.uuid4().hex[:16]
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_report_header(config: pytest.Config) -> str:
    return f"pipeline database: {_test_database()}"


def _test_database() -> str:
    wanted = os.environ.get("TEST_DATABASE") or "sqlite"
    if wanted not in ("sqlite", "postgresql"):
        # Asked for by name: a run that silently used SQLite would prove nothing.
        pytest.exit(f"TEST_DATABASE={wanted}: expected sqlite or postgresql", returncode=2)
    return wanted


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


def _fresh_database(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    if _test_database() == "sqlite":
        yield f"sqlite:///{folder / 'pipeline.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.new_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for the pipeline: SQLite, or PostgreSQL (``TEST_DATABASE``)."""
    yield from _fresh_database(request, tmp_path)


@pytest.fixture(scope="module")
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """:func:`database_url` for a module's tests to share (a server started once)."""
    yield from _fresh_database(request, tmp_path_factory.mktemp("db"))
