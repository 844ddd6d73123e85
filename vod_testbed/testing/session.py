"""The stack as a test session holds it: the running parts, a receiver recording their
events, and the few calls a platform's tests make (upload through the API, arm a fault).
"""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.config import Config

from vod_testbed.common.serving import BackgroundServer
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import Endpoints, Stack, start_stack
from vod_testbed.storage.s3 import Storage
from vod_testbed.testing.events import EVENTS_PATH, VIDEOS_PATH, EventLog, receiver_app

HTTP_TIMEOUT_S = 30.0


class VodStack:
    """A running stack with an event recorder. Start it with :meth:`start`.

    Attributes:
        stack: the running parts (:class:`vod_testbed.stack.Stack`).
        events: every job event and video notice received (see ``vod_events``).
        endpoints: where S3, the MediaConvert API (the emulator), the emulator and the
            pipeline answer.
        bucket, region, webhook_secret: as configured.
        admin_token: bearer token of the emulator's admin API (``/_emulator/...``).
        user_id, user_token: the local user and its bearer token for the pipeline's API.
    """

    def __init__(self, stack: Stack, events: EventLog, receiver: BackgroundServer) -> None:
        self.stack = stack
        self.events = events
        self._receiver = receiver
        assert stack.endpoints is not None
        self.endpoints: Endpoints = stack.endpoints
        self.bucket = stack.bucket
        self.region = stack.region
        self.webhook_secret = stack.webhook_secret
        self.admin_token = stack.admin_token
        self._http = requests.Session()
        self._admin = {"Authorization": f"Bearer {stack.admin_token}"}
        self.user_id = stack.user_id
        self.user_token = stack.user_token

    @classmethod
    def start(cls, settings: StackSettings) -> VodStack:
        """Start a recorder, then the stack with the recorder among its event receivers
        and as the pipeline's "video ready" webhook (unless ``settings`` names one)."""
        events = EventLog()
        secret = settings.webhook_secret or secrets.token_urlsafe(24)
        receiver = BackgroundServer(receiver_app(events, secret), name="vod-events").start()
        pipeline = settings.pipeline
        try:
            settings = settings.replace(
                webhook_secret=secret,
                emulator=settings.emulator.replace(
                    webhook_urls=(*settings.emulator.webhook_urls, receiver.url + EVENTS_PATH),
                ),
                pipeline=pipeline.replace(
                    video_ready_webhook_url=pipeline.video_ready_webhook_url
                    or receiver.url + VIDEOS_PATH,
                ),
            )
            stack = start_stack(settings)
        except BaseException:
            receiver.stop()
            raise
        if stack.pipeline is not None and stack.pipeline.bridge is not None:
            # In-process jobs send no events over HTTP: record their status changes.
            stack.pipeline.transcoder.subscribe(events.on_job_change)
        return cls(stack, events, receiver)

    def stop(self) -> None:
        """Stop the stack, then the recorder."""
        self._http.close()
        self.stack.stop()
        self._receiver.stop()

    # -- clients ---------------------------------------------------------------------------

    def client(self, service: str, **config: Any) -> Any:
        """A boto3 client of ``service`` (``s3``, ``mediaconvert``) pointed at the stack;
        ``config`` goes to botocore's ``Config`` (e.g. ``retries={"max_attempts": 1}``)."""
        endpoint = {"s3": self.endpoints.s3, "mediaconvert": self.endpoints.mediaconvert}
        if service not in endpoint:
            raise ValueError(f"service must be 's3' or 'mediaconvert', got {service!r}")
        if service == "s3":
            config.setdefault("s3", {"addressing_style": "path"})
            config.setdefault("signature_version", "s3v4")
        backend = self.stack.pipeline_settings.backend
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=endpoint[service],
            region_name=self.region,
            aws_access_key_id=backend.aws_access_key_id,
            aws_secret_access_key=backend.aws_secret_access_key,
            config=Config(**config),
        )

    def storage(self) -> Storage:
        """The project's S3 access, configured for this stack (HLS validation uses it)."""
        return Storage(self.stack.pipeline_settings.backend)

    # -- the pipeline's API ----------------------------------------------------------------

    def _user(self, token: str | None) -> dict[str, str]:
        token = token or self.user_token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def upload_video(
        self,
        path: Path,
        course_id: str = "test-course",
        content_type: str | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """Upload ``path`` as an app would: ``POST /videos`` as the local user (or the
        bearer ``token`` given), then a PUT of the file to the presigned URL with the headers
        the API asked for. Returns the ``POST`` answer (``id``, ``key``, ``video``...).

        Raises:
            AssertionError: the API refused the upload or the PUT failed (with the answer).
        """
        content_type = content_type or mimetypes.guess_type(path.name)[0] or "video/mp4"
        created = self._http.post(
            f"{self.endpoints.pipeline}/videos",
            json={
                "filename": path.name,
                "content_type": content_type,
                "size": path.stat().st_size,
                "course_id": course_id,
            },
            headers=self._user(token),
            timeout=HTTP_TIMEOUT_S,
        )
        assert created.status_code == 201, f"POST /videos: {created.status_code} {created.text}"
        ticket: dict[str, Any] = created.json()
        with path.open("rb") as body:
            put = self._http.put(
                ticket["upload_url"], data=body, headers=ticket["upload_headers"], timeout=600
            )
        assert put.ok, f"upload PUT: {put.status_code} {put.text[:500]}"
        return ticket

    def video(self, video_id: str, token: str | None = None) -> dict[str, Any]:
        """``GET /videos/<id>`` as the local user (or ``token``): the video's status, job,
        error and playback URLs."""
        response = self._http.get(
            f"{self.endpoints.pipeline}/videos/{video_id}",
            headers=self._user(token),
            timeout=HTTP_TIMEOUT_S,
        )
        assert response.status_code == 200, f"GET /videos/{video_id}: {response.text}"
        video: dict[str, Any] = response.json()
        return video

    # -- the emulator's faults -------------------------------------------------------------

    def _arm(self, path: str, body: dict[str, Any]) -> None:
        response = self._http.post(
            f"{self.endpoints.emulator_admin}{path}",
            json=body,
            headers=self._admin,
            timeout=HTTP_TIMEOUT_S,
        )
        assert response.status_code == 201, f"POST /_emulator{path}: {response.text}"

    def throttle(
        self,
        count: int = 1,
        operations: list[str] | None = None,
        error: str = "TooManyRequestsException",
    ) -> None:
        """Answer the next ``count`` MediaConvert calls (of ``operations``, e.g.
        ``["CreateJob"]``; default any) with ``error``, as AWS throttles."""
        body: dict[str, Any] = {"count": count, "error": error}
        if operations is not None:
            body["operations"] = operations
        self._arm("/faults/api", body)

    def fail_next_job(
        self, error_code: int = 1010, message: str = "", job_id: str | None = None
    ) -> None:
        """End the next job to start (or ``job_id``) in ERROR with this MediaConvert code."""
        body: dict[str, Any] = {"errorCode": error_code, "errorMessage": message}
        if job_id is not None:
            body["jobId"] = job_id
        self._arm("/faults/jobs", body)

    def duplicate_events(self, count: int = 1) -> None:
        """Deliver each of the next ``count`` events twice (EventBridge delivers at least
        once)."""
        self._arm("/faults/deliveries", {"duplicate": count})

    def clear_faults(self) -> None:
        """Disarm every fault not yet used."""
        response = self._http.delete(
            f"{self.endpoints.emulator_admin}/faults", headers=self._admin, timeout=HTTP_TIMEOUT_S
        )
        assert response.ok, f"DELETE /_emulator/faults: {response.text}"
