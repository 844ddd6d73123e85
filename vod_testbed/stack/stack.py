"""The whole pipeline on one machine, in one process: storage (the embedded S3 unless an
endpoint is configured), the MediaConvert emulator and the pipeline (API, webhook receiver,
upload trigger fed by a watcher), wired from one :class:`StackSettings`.

Nothing here reads or writes the process environment: every part gets explicit settings, so
two stacks in one process (or a test session beside a developer's stack) cannot see each other's
configuration. Two stacks share nothing when their data dirs differ, and a second stack on
the same data dir is refused.
"""

from __future__ import annotations

import functools
import logging
import secrets
import shlex
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from vod_testbed import __version__
from vod_testbed.common.dirlock import DirInUseError, lock_dir
from vod_testbed.common.hosts import allowed_hosts
from vod_testbed.common.serving import listen
from vod_testbed.emulator.app import create_app as create_emulator_app
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.emulator.service import ffmpeg_transcoder
from vod_testbed.pipeline.auth import INSTRUCTOR_ROLE, mint_token
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.stack.settings import StackSettings
from vod_testbed.storage.cors import allow_origins, console_origins
from vod_testbed.storage.embedded import EmbeddedS3, new_credentials, start_embedded_s3
from vod_testbed.storage.s3 import Storage

log = logging.getLogger(__name__)

LOCK_FILE = "stack.lock"
# The local user a stack signs its token for, and how long that token lasts.
LOCAL_USER = "dev"
LOCAL_TOKEN_TTL_S = 24 * 3600
WEBHOOK_PATH = "/webhooks/mediaconvert"


class StackInUseError(DirInUseError):
    """Another stack holds the data dir."""


@dataclass(frozen=True)
class Endpoints:
    """Where each part answers, as local clients reach it."""

    s3: str
    mediaconvert: str
    emulator: str
    pipeline: str

    @property
    def webhook(self) -> str:
        """The pipeline's receiver of MediaConvert job-state events."""
        return self.pipeline + WEBHOOK_PATH

    @property
    def emulator_admin(self) -> str:
        """The emulator's fault-injection and event-history API."""
        return self.emulator + "/_emulator"


def _local(url: str, host: str) -> str:
    """``url`` as other local processes reach a server bound to ``host``."""
    wildcard = host in ("0.0.0.0", "::", "")  # noqa: S104 - compared, not bound
    return url.replace(f"//{host}:", "//127.0.0.1:") if wildcard else url


def _prepare_data_dir(data_dir: Path) -> IO[str] | None:
    # 0700: the folder holds the database, uploads being transcoded and the webhook secret.
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        return lock_dir(data_dir, LOCK_FILE, "vod-testbed stack")
    except DirInUseError as exc:
        raise StackInUseError(f"{exc}; stop it or pass another --data-dir") from None


class Stack:
    """A running stack; :func:`start_stack` makes one. ``stop()`` (or leaving a ``with``
    block) stops every part and releases the data dir.

    Attributes:
        settings: what it was started from.
        pipeline_settings: the pipeline's settings as wired (endpoints, secret, database).
        endpoints: where each part answers.
        webhook_secret: signs the emulator's deliveries; the pipeline checks it.
        admin_token: bearer token of the emulator's admin API (faults, event history).
        auth_secret: signs the pipeline's bearer tokens (HS256).
        access_key_id, secret_access_key: the stack's own S3 and MediaConvert credentials
            (the embedded S3 and the emulator take them and nothing else): the settings'
            pair, else a random one per start, like every other secret here.
        any_credentials: the embedded S3 and the emulator accept any credentials
            (``VOD_AUTH=off`` or ``EMULATOR_AUTH=off``), as moto does.
        user_id, user_token: the local user and its bearer token for the pipeline's API
            (None when an identity provider's keys are configured).
        s3, emulator, pipeline: the running parts (``s3`` is None with an external S3).
    """

    def __init__(self, settings: StackSettings) -> None:
        self.settings = settings
        self.webhook_secret = settings.webhook_secret or secrets.token_urlsafe(24)
        self.admin_token = settings.emulator.admin_token or secrets.token_urlsafe(24)
        pipeline = settings.pipeline
        self.auth_secret = pipeline.auth_jwt_secret or secrets.token_urlsafe(32)
        if settings.access_key_id and settings.secret_access_key:
            self.access_key_id = settings.access_key_id
            self.secret_access_key = settings.secret_access_key
        else:
            self.access_key_id, self.secret_access_key = new_credentials()
        # One switch relaxes every check of the stack; the emulator's own one relaxes the
        # credentials it shares with the embedded S3.
        self.any_credentials = not (pipeline.auth_enabled and settings.emulator.auth)
        self.user_id = LOCAL_USER
        # With an identity provider's keys (staging) only its tokens count: none to mint.
        self.user_token = (
            None
            if pipeline.auth_jwks_url
            else mint_token(
                self.auth_secret,
                LOCAL_USER,
                ttl_s=LOCAL_TOKEN_TTL_S,
                # The local user creates courses by uploading to them (docs/security.md).
                roles=[INSTRUCTOR_ROLE],
                audience=pipeline.auth_jwt_audience,
                issuer=pipeline.auth_jwt_issuer,
            )
        )
        self.s3: EmbeddedS3 | None = None
        self.emulator: EmulatorServer | None = None
        self.pipeline: PipelineServer | None = None
        self.pipeline_settings: PipelineSettings = settings.pipeline
        self.endpoints: Endpoints | None = None
        self._lock: IO[str] | None = None

    def _start(self) -> None:
        settings = self.settings
        host = settings.host
        allowed = allowed_hosts(host, settings.servers)
        self._lock = _prepare_data_dir(settings.data_dir)
        backend = settings.pipeline.backend
        if backend.s3_endpoint_url is None:
            # The stack's own credentials, given to the server and to every client here: no
            # real secret of the user's is ever sent to it or written into a ready file, and
            # no key anyone knows opens it.
            self.s3 = start_embedded_s3(
                host,
                settings.s3_port,
                credentials={self.access_key_id: self.secret_access_key},
                any_credentials=self.any_credentials,
                allowed=allowed,
            )
            backend = backend.replace(
                s3_endpoint_url=_local(self.s3.endpoint_url, host),
                aws_access_key_id=self.access_key_id,
                aws_secret_access_key=self.secret_access_key,
            )
        # The emulator's socket first: the pipeline needs its URL, and the emulator needs
        # the pipeline's webhook URL.
        listener = listen(host, settings.emulator_port)
        emulator_url = _local(f"http://{host}:{listener.getsockname()[1]}", host)
        backend = backend.replace(
            mediaconvert_endpoint=backend.mediaconvert_endpoint or emulator_url,
            work_dir=settings.data_dir / "work",
        )
        self.pipeline_settings = settings.pipeline.replace(
            backend=backend,
            database_url=settings.pipeline_database_url,
            webhook_secret=self.webhook_secret,
            auth_jwt_secret=self.auth_secret,
        )
        try:
            self.pipeline = PipelineServer(
                self.pipeline_settings,
                host=host,
                port=settings.api_port,
                watch=settings.watch,
                allowed=allowed,
            )
            pipeline_url = _local(self.pipeline.url, host)
            emulator_settings = settings.emulator.replace(
                data_dir=settings.emulator_data_dir,
                webhook_urls=(pipeline_url + WEBHOOK_PATH, *settings.emulator.webhook_urls),
                webhook_secret=self.webhook_secret,
                region=backend.aws_region,
                # MediaConvert calls are signed with the stack's credentials, as on AWS.
                access_key_id=backend.aws_access_key_id or settings.emulator.access_key_id,
                secret_access_key=backend.aws_secret_access_key
                or settings.emulator.secret_access_key,
                admin_token=self.admin_token,
                auth=not self.any_credentials,
            )
            app = create_emulator_app(
                {
                    "EMULATOR_SETTINGS": emulator_settings,
                    "TRANSCODER_FACTORY": functools.partial(ffmpeg_transcoder, backend),
                }
            )
        except BaseException:
            listener.close()
            raise
        try:
            self.emulator = EmulatorServer(app, listener=listener, allowed=allowed).start()
        except BaseException:
            app.extensions["emulator"].close()
            raise
        self.pipeline.start()
        # The console (a page of the pipeline) PUTs uploads and plays media from the bucket.
        allow_origins(Storage(backend).client, self.bucket, console_origins(pipeline_url))
        assert backend.s3_endpoint_url is not None
        self.endpoints = Endpoints(
            s3=backend.s3_endpoint_url,
            mediaconvert=backend.mediaconvert_endpoint or emulator_url,
            emulator=emulator_url,
            pipeline=pipeline_url,
        )

    def stop(self) -> None:
        """Stop the pipeline, the emulator and the S3 server, then release the data dir."""
        for part in (self.pipeline, self.emulator, self.s3):
            if part is not None:
                try:
                    part.stop()
                except Exception:
                    # One part failing to stop must not leave the others running.
                    log.exception("stopping %s failed", type(part).__name__)
        self.pipeline = self.emulator = self.s3 = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> Stack:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def bucket(self) -> str:
        return self.pipeline_settings.bucket

    @property
    def region(self) -> str:
        return self.pipeline_settings.backend.aws_region

    @property
    def transcoder_backend(self) -> str:
        return self.pipeline_settings.backend.transcoder_backend

    def _endpoints(self) -> Endpoints:
        if self.endpoints is None:
            raise RuntimeError("the stack is not running")
        return self.endpoints

    def credentials(self) -> dict[str, str]:
        """The credentials clients should use as boto3 keyword arguments (empty: their own,
        from boto3's chain)."""
        backend = self.pipeline_settings.backend
        if not (backend.aws_access_key_id and backend.aws_secret_access_key):
            return {}
        return {
            "aws_access_key_id": backend.aws_access_key_id,
            "aws_secret_access_key": backend.aws_secret_access_key,
        }

    def environment(self) -> dict[str, str]:
        """The variables that point a shell (boto3, the AWS CLI, ``vod-testbed upload``) at
        this stack: endpoints in botocore's names and this project's, region, bucket,
        secret, and the credentials when they are the stack's own (the embedded S3's)."""
        endpoints = self._endpoints()
        env = {
            "AWS_ENDPOINT_URL_S3": endpoints.s3,
            "S3_ENDPOINT_URL": endpoints.s3,
            "AWS_ENDPOINT_URL_MEDIACONVERT": endpoints.mediaconvert,
            "MEDIACONVERT_ENDPOINT": endpoints.mediaconvert,
            # botocore reads AWS_DEFAULT_REGION; the AWS CLI and this project AWS_REGION.
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "S3_BUCKET": self.bucket,
            "WEBHOOK_SECRET": self.webhook_secret,
            "EMULATOR_ADMIN_TOKEN": self.admin_token,
            "AUTH_JWT_SECRET": self.auth_secret,
            "TRANSCODER_BACKEND": self.transcoder_backend,
            "PIPELINE_PORT": endpoints.pipeline.rsplit(":", 1)[1],
            "VOD_PIPELINE_URL": endpoints.pipeline,
        }
        if self.user_token:
            env["VOD_TOKEN"] = self.user_token
        if self.s3 is not None:
            env["AWS_ACCESS_KEY_ID"] = self.access_key_id
            env["AWS_SECRET_ACCESS_KEY"] = self.secret_access_key
        return dict(sorted(env.items()))

    def export_lines(self) -> list[str]:
        """:meth:`environment` as ``export`` lines a POSIX shell can paste."""
        return [f"export {key}={shlex.quote(value)}" for key, value in self.environment().items()]

    def describe(self) -> dict[str, Any]:
        """What a client in any language needs, as the ready file holds it."""
        endpoints = self._endpoints()
        credentials = self.credentials()
        return {
            "version": __version__,
            "data_dir": str(self.settings.data_dir),
            "endpoints": {
                "s3": endpoints.s3,
                "mediaconvert": endpoints.mediaconvert,
                "emulator": endpoints.emulator,
                "emulator_admin": endpoints.emulator_admin,
                "pipeline": endpoints.pipeline,
                "webhook": endpoints.webhook,
            },
            "bucket": self.bucket,
            "region": self.region,
            "embedded_s3": self.s3 is not None,
            "credentials": credentials or None,
            "webhook_secret": self.webhook_secret,
            "emulator_admin_token": self.admin_token,
            "auth_jwt_secret": self.auth_secret,
            "user": {"id": self.user_id, "token": self.user_token},
            "webhook_api_key_header": self.pipeline_settings.webhook_api_key_header,
            "transcoder_backend": self.transcoder_backend,
            "environment": self.environment(),
        }


def start_stack(settings: StackSettings) -> Stack:
    """Start every part from ``settings``; on any failure, stop what started and re-raise.

    Raises:
        StackInUseError: another stack holds ``settings.data_dir``.
        OSError: (EADDRINUSE) a port is taken.
    """
    stack = Stack(settings)
    try:
        stack._start()
    except BaseException:
        stack.stop()
        raise
    log.info("stack up (data in %s): %s", settings.data_dir, stack.endpoints)
    return stack
