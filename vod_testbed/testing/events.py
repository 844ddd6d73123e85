"""What a test sees of a stack's events: every MediaConvert job-state event and every
"video ready/failed" notification, received over HTTP like any webhook receiver receives
them (signed, duplicates included), and waited for with a condition variable rather than a
polling loop.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, jsonify, request

from vod_testbed.backends.job import Job, JobStatus
from vod_testbed.common import signing

# An event's status and a job's share the final ones' spelling.
FINAL_JOB_STATUSES = frozenset(status.value for status in JobStatus if status.is_final)
EVENTS_PATH = "/events"
VIDEOS_PATH = "/videos"


class EventTimeout(AssertionError):
    """What was waited for did not arrive in time, or the job or video ended otherwise."""


@dataclass(frozen=True)
class JobEvent:
    """One job-state event as received (a duplicate delivery is a second JobEvent).

    Attributes:
        id: the event's id (EventBridge's ``id``; ``<job>:<status>`` for in-process jobs).
        job_id: the job.
        status: ``detail.status``: INPUT_INFORMATION, PROGRESSING, STATUS_UPDATE, COMPLETE,
            ERROR, CANCELED, NEW_WARNING (in-process jobs: SUBMITTED, PROGRESSING, COMPLETE,
            ERROR, CANCELED).
        detail: the event's ``detail`` (in-process jobs: the job's fields).
        received_at: ``time.monotonic()`` on arrival.
    """

    id: str
    job_id: str
    status: str
    detail: dict[str, Any] = field(repr=False)
    received_at: float = field(repr=False)


@dataclass(frozen=True)
class VideoNotice:
    """A "video ready" or "video failed" notification from the pipeline."""

    id: str
    video_id: str
    status: str
    video: dict[str, Any] = field(repr=False)


class EventLog:
    """Job events and video notices of one stack, in arrival order, thread-safe."""

    def __init__(self) -> None:
        self._jobs: list[JobEvent] = []
        self._videos: list[VideoNotice] = []
        self._changed = threading.Condition()

    # -- recording ---------------------------------------------------------------------

    def record_job_event(self, event: JobEvent) -> None:
        with self._changed:
            self._jobs.append(event)
            self._changed.notify_all()

    def record_video_notice(self, notice: VideoNotice) -> None:
        with self._changed:
            self._videos.append(notice)
            self._changed.notify_all()

    def clear(self) -> None:
        """Forget everything recorded so far (the plugin does it before each test)."""
        with self._changed:
            self._jobs.clear()
            self._videos.clear()

    # -- reading -----------------------------------------------------------------------

    def for_job(self, job_id: str) -> list[JobEvent]:
        """Every event received for ``job_id``, in arrival order, duplicates included."""
        with self._changed:
            return [event for event in self._jobs if event.job_id == job_id]

    def statuses(self, job_id: str) -> list[str]:
        """The statuses of :meth:`for_job`, in arrival order."""
        return [event.status for event in self.for_job(job_id)]

    def duplicates(self, job_id: str) -> list[JobEvent]:
        """Events of ``job_id`` received more than once (each repeat listed)."""
        seen: set[str] = set()
        repeats = []
        for event in self.for_job(job_id):
            if event.id in seen:
                repeats.append(event)
            seen.add(event.id)
        return repeats

    def wait_for(self, job_id: str, status: str, timeout: float = 120.0) -> JobEvent:
        """Block until an event of ``job_id`` with ``status`` arrives; return it.

        Raises:
            EventTimeout: none in ``timeout`` seconds, or the job reached another final
                status first (the message gives the history and the job's error).
        """

        def outcome() -> JobEvent | str | None:
            events = [event for event in self._jobs if event.job_id == job_id]
            match = next((event for event in events if event.status == status), None)
            if match is not None:
                return match
            other = next((e for e in events if e.status in FINAL_JOB_STATUSES), None)
            if other is not None and status in FINAL_JOB_STATUSES:
                return f"it ended {other.status}{_job_error(other.detail)}"
            return None

        found = self._wait(outcome, timeout)
        if isinstance(found, JobEvent):
            return found
        why = found or f"nothing after {timeout:g} s"
        history = ", ".join(self.statuses(job_id)) or "no events"
        raise EventTimeout(f"job {job_id} never reached {status}: {why} (received: {history})")

    def wait_for_video(
        self, video_id: str, status: str = "ready", timeout: float = 120.0
    ) -> dict[str, Any]:
        """Block until the pipeline announces ``video_id`` as ``status`` (``ready`` or
        ``failed``); return the video as announced.

        Raises:
            EventTimeout: no such notice in ``timeout`` seconds, or the other one came.
        """

        def outcome() -> VideoNotice | None:
            return next((n for n in self._videos if n.video_id == video_id), None)

        notice = self._wait(outcome, timeout)
        if notice is None:
            raise EventTimeout(f"video {video_id} was not announced after {timeout:g} s")
        if notice.status != status:
            error = notice.video.get("error") or {}
            raise EventTimeout(
                f"video {video_id} is {notice.status}, not {status}: "
                f"[{error.get('code')}] {error.get('message')}"
            )
        return notice.video

    def _wait(self, outcome: Callable[[], Any], timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = outcome()
                left = deadline - time.monotonic()
                if found is not None or left <= 0:
                    return found
                self._changed.wait(left)

    # -- feeding -----------------------------------------------------------------------

    def on_job_change(self, job: Job) -> None:
        """A listener for an in-process transcoder (``Transcoder.subscribe``): records each
        status a job enters once (progress updates within a status are not events)."""
        status = str(job.status)
        with self._changed:
            if any(e.job_id == job.id and e.status == status for e in self._jobs):
                return
            detail = {"jobId": job.id, "status": status, "errorCode": job.error_code,
                      "errorMessage": job.error_message}  # fmt: skip
            self._jobs.append(
                JobEvent(f"{job.id}:{status}", job.id, status, detail, time.monotonic())
            )
            self._changed.notify_all()


def _job_error(detail: dict[str, Any]) -> str:
    code = detail.get("errorCode")
    return f" [{code}] {detail.get('errorMessage')}" if code else ""


def receiver_app(log: EventLog, secret: str) -> Flask:
    """A webhook receiver feeding ``log``: job-state events at ``/events`` (from the
    emulator) and video notices at ``/videos`` (from the pipeline). Requests without a valid
    signature get 401 and are not recorded, as at any receiver."""
    app = Flask(__name__)

    def authenticated_json() -> dict[str, Any]:
        body = request.get_data()
        signing.verify(dict(request.headers), body, secret)
        payload: dict[str, Any] = json.loads(body)
        return payload

    @app.errorhandler(signing.WebhookAuthError)
    def refused(error: signing.WebhookAuthError) -> tuple[Response, int]:
        return jsonify({"error": str(error)}), 401

    @app.post(EVENTS_PATH)
    def job_event() -> Response:
        event = authenticated_json()
        detail = event["detail"]
        log.record_job_event(
            JobEvent(event["id"], detail["jobId"], detail["status"], detail, time.monotonic())
        )
        return jsonify({"received": event["id"]})

    @app.post(VIDEOS_PATH)
    def video_notice() -> Response:
        payload = authenticated_json()
        video = payload["video"]
        log.record_video_notice(VideoNotice(payload["id"], video["id"], video["status"], video))
        return jsonify({"received": payload["id"]})

    return app
