"""Shared fixtures: an S3 endpoint for the whole session and backends that use it.

S3 comes from, in order: ``TEST_S3=minio`` (testcontainers' MinIO; the run stops with an
error when no Docker engine answers), a configured endpoint (``AWS_ENDPOINT_URL_S3``,
``S3_ENDPOINT_URL``, ``AWS_ENDPOINT_URL``: any S3 already running), else
the embedded moto server over real HTTP on 127.0.0.1.

ffmpeg is the one the project's policy picks (``FFMPEG_BINARY``, PATH, the wheel's), unless
``TEST_FFMPEG`` names one: ``wheel`` (the imageio-ffmpeg wheel's), ``system`` (``ffmpeg`` on
PATH, such as Debian's 5.1) or a path. The run stops when that one is missing or unusable,
and the header of every run says which ffmpeg it used.

The pipeline's database is a SQLite file per test, or with ``TEST_DATABASE=postgresql`` a
database per test on a throwaway PostgreSQL server the session starts
(fixtures of ``tests/support/postgres.py``).
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures import media
from vod_testbed.storage.embedded import start_embedded_s3
from vod_testbed.storage.s3 import Storage

TEST_BUCKET = "vod-testbed-test"

# The helpers and fixtures every directory shares (tests/support/__init__.py).
pytest_plugins = ["tests.support"]


def pytest_configure(config: pytest.Config) -> None:
    wanted = os.environ.get("TEST_FFMPEG")
    if not wanted:
        return
    if wanted == "wheel":
        chosen: str | None = binary.wheel_ffmpeg()
    elif wanted == "system":
        chosen = shutil.which("ffmpeg")
    else:
        chosen = wanted
    try:
        if chosen is None:
            raise binary.UnusableFFmpegError("no ffmpeg on PATH")
        binary.find_ffmpeg(chosen)
    except binary.UnusableFFmpegError as exc:
        # Asked for by name: a run that silently used another ffmpeg would prove nothing.
        pytest.exit(f"TEST_FFMPEG={wanted}: {exc}", returncode=2)
    # Every backend, fixture generator and subprocess of the run reads it from here.
    os.environ["FFMPEG_BINARY"] = chosen


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # What is loaded by now (the project, its libraries, the collected tests) lives until the
    # run ends; frozen, Python's full collections stop scanning it again and again. They were
    # 5 s of each worker's 35 s in `make test-fast`.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


def pytest_report_header(config: pytest.Config) -> str:
    path = binary.find_ffmpeg()
    return f"ffmpeg: {path} (version {binary.describe_ffmpeg(path).version})"


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env().ping()
    except Exception:
        return False
    return True


@pytest.fixture(autouse=True)
def transcoding_only_in_e2e(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that makes (or reads) a fixture clip is an e2e test: ``make test-fast``
    transcodes nothing, and this makes an unmarked one fail instead of slowing it down."""
    if request.node.get_closest_marker("e2e") is not None:
        return

    def refused(*args: object, **kwargs: object) -> Path:
        raise AssertionError(
            f"{request.node.nodeid} uses a fixture clip (made by ffmpeg): mark it e2e"
        )

    monkeypatch.setattr(media, "materialize", refused)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    if os.environ.get("TEST_S3") == "minio":
        if not _docker_answers():
            # Asked for by name: a run that silently skipped every S3 test would look green.
            pytest.exit("TEST_S3=minio but no Docker engine answers", returncode=2)
        from testcontainers.minio import MinioContainer

        with MinioContainer() as minio:
            config = minio.get_config()
            os.environ["AWS_ACCESS_KEY_ID"] = config["access_key"]
            os.environ["AWS_SECRET_ACCESS_KEY"] = config["secret_key"]
            yield f"http://{config['endpoint']}"
        return
    configured = BackendSettings.from_env().s3_endpoint_url
    if configured:
        yield configured
        return
    server = start_embedded_s3()
    # The server's random pair, for every client of the run (as the MinIO branch does).
    os.environ["AWS_ACCESS_KEY_ID"] = server.access_key_id
    os.environ["AWS_SECRET_ACCESS_KEY"] = server.secret_access_key
    try:
        yield server.endpoint_url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def backend_settings(s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> BackendSettings:
    return BackendSettings.from_env({}).replace(
        s3_endpoint_url=s3_endpoint,
        s3_bucket=TEST_BUCKET,
        work_dir=tmp_path_factory.mktemp("work"),
        ffmpeg_binary=os.environ.get("FFMPEG_BINARY") or None,
        max_concurrent_jobs=2,
    )


@pytest.fixture(scope="session")
def storage(backend_settings: BackendSettings) -> Storage:
    store = Storage(backend_settings)
    store.ensure_bucket(backend_settings.s3_bucket)
    return store


@pytest.fixture
def s3_prefix(backend_settings: BackendSettings) -> str:
    """A fresh folder in the test bucket, so tests never see each other's objects."""
    return f"s3://{backend_settings.s3_bucket}/t-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def put_clip(storage: Storage, s3_prefix: str) -> Callable[..., str]:
    """Upload a local clip into this test's folder; returns its s3:// URI."""

    def put(clip: Path, name: str | None = None) -> str:
        uri = f"{s3_prefix}/{name or clip.name}"
        storage.put(clip, uri)
        return uri

    return put


@pytest.fixture(scope="session")
def ffmpeg_backend(backend_settings: BackendSettings, storage: Storage) -> Iterator[FFmpegBackend]:
    backend = FFmpegBackend(settings=backend_settings, storage=storage)
    yield backend
    backend.close()
