"""What the emulator tests share: the emulator's test credentials and a Flask test client
that signs with them, boto3 clients, job settings builders, and jobs made and awaited
through boto3.

The emulator checks SigV4 and an admin token as it does outside tests: boto3 clients sign
with ``ACCESS_KEY``/``SECRET_KEY``, admin calls send ``ADMIN``, and the Flask test client
(:class:`SigningClient`) signs what a test sends without saying so.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from flask import Flask
from flask.testing import EnvironBuilder, FlaskClient

from tests.support.fakes import FakeTranscoder
from tests.support.polling import eventually
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.emulator.app import create_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.records import JobRecord
from vod_testbed.emulator.server import EmulatorServer

ROLE = "arn:aws:iam::123456789012:role/MediaConvertRole"
SECRET = "test-webhook-secret"
ACCESS_KEY = "AKIDEMULATORTEST"
SECRET_KEY = "emulator-test-secret-key"
ADMIN_TOKEN = "emulator-test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
REGION = "us-east-1"


def sign_environ(environ: dict[str, Any], body: bytes) -> None:
    """Add SigV4 headers for the emulator's test credentials to a WSGI environ."""
    headers = {"Host": environ["HTTP_HOST"]}
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    url = f"http://{environ['HTTP_HOST']}{environ['REQUEST_URI']}"
    signed = AWSRequest(method=environ["REQUEST_METHOD"], url=url, headers=headers, data=body)
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "mediaconvert", REGION).add_auth(signed)
    environ["HTTP_AUTHORIZATION"] = signed.headers["Authorization"]
    environ["HTTP_X_AMZ_DATE"] = signed.headers["X-Amz-Date"]


class SigningClient(FlaskClient):
    """A test client that authenticates as boto3 and an admin would: SigV4 on the
    MediaConvert API, the bearer token on ``/_emulator``, unless the test set its own
    Authorization header."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if args and not isinstance(args[0], str):
            return super().open(*args, **kwargs)
        builder = EnvironBuilder(self.application, *args, **kwargs)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        body = environ["wsgi.input"].read()
        environ["wsgi.input"] = io.BytesIO(body)
        if "HTTP_AUTHORIZATION" not in environ:
            if environ["PATH_INFO"].startswith("/2017-08-29/"):
                sign_environ(environ, body)
            elif environ["PATH_INFO"].startswith("/_emulator/"):
                environ["HTTP_AUTHORIZATION"] = ADMIN["Authorization"]
        return super().open(environ)


def ladder_settings(
    input_uri: str = "s3://media/video/u1/clip.mp4",
    prefix: str = "s3://media/video/u1/clip_processed",
    ladder: Ladder = DEFAULT_LADDER,
) -> dict[str, Any]:
    """CreateJob Settings (boto3 PascalCase) for a ladder plus thumbnails, as the
    MediaConvert backend renders them."""
    return render_job_settings(
        JobRequest(
            input_uri=input_uri,
            hls_destination=f"{prefix}/hls/master",
            thumbnail_destination=f"{prefix}/thumbnails/master",
            ladder=ladder,
        )
    )


def wire(settings: dict[str, Any]) -> dict[str, Any]:
    """boto3 PascalCase settings -> the camelCase wire form."""
    return to_wire_case(settings)


AppFactory = Callable[..., Flask]


def boto_client(
    url: str,
    key: str = ACCESS_KEY,
    secret: str = SECRET_KEY,
    region: str = REGION,
    **config: Any,
) -> Any:
    """A boto3 MediaConvert client for ``url``, signing with the emulator's test
    credentials unless told otherwise; ``config`` goes to botocore's Config."""
    return boto3.client(
        "mediaconvert",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(**config) if config else None,
    )


def create(mc: Any, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"Role": ROLE, "Settings": ladder_settings()}
    kwargs.update(overrides)
    return mc.create_job(**kwargs)["Job"]


def wait_status(mc: Any, job_id: str, status: str, timeout: float = 10) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def reached() -> dict[str, Any] | None:
        seen.clear()
        seen.update(mc.get_job(Id=job_id)["Job"])
        return seen if seen["Status"] == status else None

    return eventually(
        reached, timeout, what=lambda: f"job {job_id} {status} (it is {seen.get('Status')})"
    )


def statuses(events: list[dict[str, Any]]) -> list[str]:
    return [e["detail"]["status"] for e in events]


def done(job_id: str) -> Any:
    return lambda events: any(
        e["detail"]["jobId"] == job_id
        and e["detail"]["status"] in ("COMPLETE", "ERROR", "CANCELED")
        for e in events
    )


def template_settings() -> dict[str, Any]:
    settings = ladder_settings()
    input_template = dict(settings["Inputs"][0])
    del input_template["FileInput"]  # InputTemplate has no FileInput
    settings["Inputs"] = [input_template]
    return settings


def job_record(**overrides: object) -> JobRecord:
    """A job as the store keeps it; ``overrides`` replace its fields."""
    fields: dict[str, object] = {
        "id": "1700000000000-abc123",
        "arn": "arn:aws:mediaconvert:us-east-1:123456789012:jobs/1700000000000-abc123",
        "status": JobStatus.SUBMITTED,
        "created_at": 1_700_000_000,
        "role": "arn:aws:iam::123456789012:role/MediaConvertRole",
        "queue": "arn:aws:mediaconvert:us-east-1:123456789012:queues/Default",
        "settings": {"inputs": [{"fileInput": "s3://in/a.mp4"}]},
        "settings_warnings": [[230005, "a warning"]],
        **overrides,
    }
    return JobRecord(**fields)  # type: ignore[arg-type]


# -- fixtures (this module is a plugin of the suite: tests/support/__init__.py) -----------


@pytest.fixture
def transcoder() -> FakeTranscoder:
    return FakeTranscoder()


@pytest.fixture
def emulator_settings(tmp_path: Path) -> EmulatorSettings:
    return EmulatorSettings(
        data_dir=tmp_path / "emulator-data",
        webhook_secret=SECRET,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
        admin_token=ADMIN_TOKEN,
        time_compression=100.0,
        delivery_base_delay_s=0.05,
        delivery_max_delay_s=0.2,
        delivery_timeout_s=2.0,
    )


@pytest.fixture
def make_app(
    emulator_settings: EmulatorSettings, transcoder: FakeTranscoder
) -> Iterator[AppFactory]:
    """Build emulator apps (closed at teardown); keyword arguments override settings,
    ``clock`` the app's time (default ``time.time``)."""
    apps: list[Flask] = []

    def make(
        transcoder_factory: Callable[[], Any] | None = None,
        clock: Callable[[], float] | None = None,
        **overrides: Any,
    ) -> Flask:
        settings = emulator_settings.replace(**overrides)
        config = {
            "TESTING": True,
            "EMULATOR_SETTINGS": settings,
            "TRANSCODER_FACTORY": transcoder_factory or (lambda: transcoder),
        }
        app = create_app({**config, "CLOCK": clock} if clock else config)
        app.test_client_class = SigningClient
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["emulator"].close()


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], EmulatorServer]]:
    servers: list[EmulatorServer] = []

    def start(app: Flask) -> EmulatorServer:
        server = EmulatorServer(app).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
