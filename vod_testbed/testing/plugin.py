"""The vod-testbed pytest plugin (entry point ``pytest11``): the whole local stack for a
test session, and the fixtures a platform's end-to-end tests need.

It is inert until a test asks for one of its fixtures: this module imports only pytest and
the standard library, and the stack starts on first use (once per session, on free ports,
in a data dir of its own, stopped after the last test).

Fixtures: ``vod_stack``, ``mediaconvert_client``, ``s3_client``, ``vod_events``,
``sample_video``, ``assert_valid_hls``; override ``vod_stack_settings`` to change how the
stack starts (e.g. to add your own webhook as a receiver of job events).

Tests share the stack but not what one test does to it: each test that uses the stack
starts with no event recorded, and a fault it armed (``throttle``, ``fail_next_job``,
``duplicate_events``) and did not use is disarmed when it ends.

Options (command line, or the ini key of the same name with ``_`` and no ``--``):
``--vod-backend``, ``--vod-s3-port``, ``--vod-emulator-port``, ``--vod-api-port``,
``--vod-keep-data``, ``--vod-time-compression``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from vod_testbed.backends.ladder import Ladder
    from vod_testbed.stack.settings import StackSettings
    from vod_testbed.testing.events import EventLog
    from vod_testbed.testing.session import VodStack

BACKENDS = ("mediaconvert", "ffmpeg")
KEEP_DATA = ("never", "on-failure", "always")
KEPT_DATA_DIRS = pytest.StashKey[list[Path]]()
# Uploads are noticed this often (the embedded S3 cannot notify): short, for quick tests.
WATCH_INTERVAL_S = 0.2


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vod-testbed", "vod-testbed local stack")
    group.addoption(
        "--vod-backend",
        choices=BACKENDS,
        help="transcoder of the stack's pipeline: mediaconvert (the emulator's API, events "
        "over HTTP, as on AWS; default) or ffmpeg (in process)",
    )
    for part, what in (("s3", "embedded S3"), ("emulator", "emulator"), ("api", "pipeline API")):
        group.addoption(
            f"--vod-{part}-port", type=int, help=f"port of the {what} (default 0: a free one)"
        )
    group.addoption(
        "--vod-keep-data",
        nargs="?",
        const="on-failure",
        choices=KEEP_DATA,
        help="keep the stack's data dir (database, emulator state, work files): never "
        "(default), on-failure (the flag alone) or always; its path is printed",
    )
    group.addoption(
        "--vod-time-compression",
        type=float,
        help="divide the emulator's STATUS_UPDATE intervals by this (default 1: real time)",
    )
    parser.addini("vod_backend", "default of --vod-backend", default="mediaconvert")
    for part in ("s3", "emulator", "api"):
        parser.addini(f"vod_{part}_port", f"default of --vod-{part}-port", default="0")
    parser.addini("vod_keep_data", "default of --vod-keep-data", default="never")
    parser.addini("vod_time_compression", "default of --vod-time-compression", default="1")


def _option(config: pytest.Config, name: str) -> str:
    """The command line's value, else the ini file's."""
    value = config.getoption(f"--{name.replace('_', '-')}")
    return str(value) if value is not None else str(config.getini(name))


def _port(config: pytest.Config, part: str) -> int:
    raw = _option(config, f"vod_{part}_port")
    try:
        return int(raw)
    except ValueError:
        raise pytest.UsageError(f"vod_{part}_port must be an integer, got {raw!r}") from None


@pytest.fixture(scope="session")
def vod_stack_settings(
    pytestconfig: pytest.Config, request: pytest.FixtureRequest
) -> Iterator[StackSettings]:
    """How ``vod_stack`` starts (a :class:`vod_testbed.stack.StackSettings`), from the
    options. Override it in a ``conftest.py`` (asking for this one) to change any setting::

        @pytest.fixture(scope="session")
        def vod_stack_settings(vod_stack_settings, my_webhook_url):
            emulator = vod_stack_settings.emulator.replace(webhook_urls=(my_webhook_url,))
            return vod_stack_settings.replace(emulator=emulator)
    """

    from vod_testbed.common.settings import BackendSettings
    from vod_testbed.emulator.config import EmulatorSettings
    from vod_testbed.pipeline.config import PipelineSettings
    from vod_testbed.stack.settings import StackSettings

    backend = _option(pytestconfig, "vod_backend")
    if backend not in BACKENDS:
        raise pytest.UsageError(f"vod_backend must be one of {BACKENDS}, got {backend!r}")
    try:
        compression = float(_option(pytestconfig, "vod_time_compression"))
        emulator = EmulatorSettings(time_compression=compression)
    except ValueError as exc:
        raise pytest.UsageError(f"vod_time_compression: {exc}") from None
    data_dir = Path(tempfile.mkdtemp(prefix="vod-stack-"))
    yield StackSettings(
        data_dir=data_dir,
        s3_port=_port(pytestconfig, "s3"),
        emulator_port=_port(pytestconfig, "emulator"),
        api_port=_port(pytestconfig, "api"),
        pipeline=PipelineSettings(
            backend=BackendSettings().replace(transcoder_backend=backend),
            watch_interval_s=WATCH_INTERVAL_S,
        ),
        emulator=emulator,
    )
    _dispose_data_dir(pytestconfig, data_dir, failed=request.session.testsfailed > 0)


def _dispose_data_dir(config: pytest.Config, data_dir: Path, failed: bool) -> None:
    keep = _option(config, "vod_keep_data")
    if keep == "always" or (keep == "on-failure" and failed):
        config.stash.setdefault(KEPT_DATA_DIRS, []).append(data_dir)
    else:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def vod_stack(vod_stack_settings: StackSettings) -> Iterator[VodStack]:
    """The whole local stack - embedded S3, MediaConvert emulator, pipeline API with its
    webhook and upload watcher - for this session (a
    :class:`vod_testbed.testing.session.VodStack`)."""
    from vod_testbed.testing.session import VodStack

    stack = VodStack.start(vod_stack_settings)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(autouse=True)
def _vod_test_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Around each test that uses the stack: its event log emptied before, its unused
    faults disarmed after. A test that does not use the stack starts nothing."""
    if "vod_stack" not in request.fixturenames:
        yield
        return
    stack: VodStack = request.getfixturevalue("vod_stack")
    stack.events.clear()
    yield
    stack.clear_faults()


@pytest.fixture(scope="session")
def mediaconvert_client(vod_stack: VodStack) -> Any:
    """A boto3 ``mediaconvert`` client pointed at the stack's emulator."""
    return vod_stack.client("mediaconvert")


@pytest.fixture(scope="session")
def s3_client(vod_stack: VodStack) -> Any:
    """A boto3 ``s3`` client pointed at the stack's S3 (the bucket is ``vod_stack.bucket``)."""
    return vod_stack.client("s3")


@pytest.fixture
def vod_events(vod_stack: VodStack) -> EventLog:
    """The job events and video notices the stack sent: ``wait_for(job_id, status,
    timeout)``, ``wait_for_video(video_id, status, timeout)``, ``statuses(job_id)``,
    ``for_job(job_id)``, ``duplicates(job_id)``."""
    return vod_stack.events


@pytest.fixture(scope="session")
def sample_video() -> Callable[..., Path]:
    """``sample_video(duration_s=2.0, size=(640, 360), audio=True, rotation=0, rate=30)``:
    a generated MP4 (cached across sessions)."""
    from vod_testbed.testing.media import sample_video as make

    return make


@pytest.fixture(scope="session")
def assert_valid_hls(vod_stack: VodStack) -> Callable[..., None]:
    """``assert_valid_hls(uri, ladder=None, source_duration_s=None)``: validate the HLS
    output at ``uri`` (``s3://`` in the stack's bucket, or local); an AssertionError lists
    every failed check. ``ladder`` enables the per-rung checks (e.g. ``DEFAULT_LADDER``)."""
    from vod_testbed.testing.media import check_hls

    storage = vod_stack.storage()

    def check(
        uri: str | Path, ladder: Ladder | None = None, source_duration_s: float | None = None
    ) -> None:
        check_hls(uri, storage, ladder=ladder, source_duration_s=source_duration_s)

    return check


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    for data_dir in config.stash.get(KEPT_DATA_DIRS, []):
        terminalreporter.write_line(f"vod-testbed: the stack's data is kept in {data_dir}")
