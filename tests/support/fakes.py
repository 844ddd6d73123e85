"""Test doubles for the emulator: a scriptable Transcoder and a webhook receiver.

The fake transcoder walks a job through the FFmpeg backend's snapshots (PROBING with
input details, TRANSCODING, UPLOADING, COMPLETE with outputs named as MediaConvert names
them) without running ffmpeg, so queue, event and delivery tests take milliseconds. Tests
hold jobs PROGRESSING by clearing ``gate``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from tests.support.polling import eventually
from vod_testbed.backends import naming
from vod_testbed.backends.in_process import InProcessTranscoder
from vod_testbed.backends.job import (
    Job,
    JobOutputs,
    JobPhase,
    JobRequest,
    JobStatus,
    RenditionOutput,
    new_job_id,
)


class FakeTranscoder(InProcessTranscoder):
    name = "fake"

    def __init__(self, step_s: float = 0.01) -> None:
        super().__init__()
        self.step_s = step_s
        self.gate = threading.Event()
        self.gate.set()
        self.fail_with: tuple[int, str] | None = None
        self.submitted: list[JobRequest] = []
        self.canceled: list[str] = []

    @property
    def jobs(self) -> dict[str, Job]:
        """The latest snapshot of every job, by id."""
        return {job.id: job for job in self.list()}

    def submit(self, request: JobRequest) -> Job:
        job = Job(id=new_job_id(), request=request)
        self.submitted.append(request)
        self._add(job)
        threading.Thread(target=self._run, args=(job.id,), daemon=True).start()
        return job

    def cancel(self, job_id: str) -> Job:
        self.canceled.append(job_id)
        return self._update(job_id, status=JobStatus.CANCELED, finished_at=time.time())

    def emit(self, job_id: str, **changes: Any) -> None:
        """Send a snapshot of the job with ``changes``, final or not (a backend's late word)."""
        self._notify(self.get(job_id).evolve(**changes))

    def running(self) -> int:
        return len(self.list(JobStatus.PROGRESSING))

    def _run(self, job_id: str) -> None:
        request = self.get(job_id).request
        self._update(
            job_id, status=JobStatus.PROGRESSING, phase=JobPhase.PROBING, started_at=time.time()
        )
        time.sleep(self.step_s)
        self._update(
            job_id,
            input_details={"id": 1, "uri": request.input_uri, "audio": [], "video": []},
            percent_complete=2,
        )
        self._update(job_id, phase=JobPhase.TRANSCODING, percent_complete=50)
        while not self.gate.wait(0.01):
            if self.get(job_id).status.is_final:
                return
        if self.fail_with:
            code, message = self.fail_with
            self._update(job_id, status=JobStatus.ERROR, error_code=code, error_message=message)
            return
        self._update(job_id, phase=JobPhase.UPLOADING, percent_complete=95)
        time.sleep(self.step_s)
        self._update(
            job_id,
            status=JobStatus.COMPLETE,
            phase=None,
            percent_complete=100,
            outputs=fake_outputs(request),
            finished_at=time.time(),
        )


def fake_outputs(request: JobRequest) -> JobOutputs:
    folder, base = naming.destination_base(request.hls_destination, request.input_uri)
    thumb_folder, thumb_base = naming.destination_base(
        request.thumbnail_destination, request.input_uri
    )
    spec = request.ladder.thumbnails
    return JobOutputs(
        master_playlist_uri=naming.join_uri(folder, naming.master_playlist_name(base)),
        renditions=tuple(
            RenditionOutput(
                name=rung.name,
                playlist_uri=naming.join_uri(
                    folder, naming.media_playlist_name(base, rung.name_modifier)
                ),
                duration_ms=4000,
                width=rung.width,
                height=rung.height,
            )
            for rung in request.ladder.rungs
        ),
        thumbnail_uris=tuple(
            naming.join_uri(thumb_folder, naming.thumbnail_name(thumb_base, spec.name_modifier, i))
            for i in range(1)
        )
        if spec
        else (),
        thumbnail_width=spec.width if spec else 0,
        thumbnail_height=spec.height if spec else 0,
    )


@dataclass(frozen=True)
class Received:
    """One POST the receiver got, and the status it answered."""

    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


class QuickStopServer(HTTPServer):
    """pytest-httpserver's server, stopping within milliseconds: werkzeug's server looks
    for the stop request every 0.5 s by default, which each test paid at its teardown."""

    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.01)


class WebhookReceiver:
    """A webhook receiver on 127.0.0.1 (pytest-httpserver) recording every POST; ``status``
    is what it answers (5xx: the sender retries), and may change while it runs."""

    def __init__(self, port: int = 0, status: int = 200) -> None:
        self.status = status
        self.posts: list[Received] = []
        self._server = QuickStopServer(host="127.0.0.1", port=port)
        self._server.expect_request("/events", method="POST").respond_with_handler(self._answer)

    def _answer(self, request: Request) -> Response:
        status = self.status
        self.posts.append(Received(dict(request.headers), request.get_data(), status))
        return Response(status=status)

    @property
    def port(self) -> int:
        """The port it listens on once started (and keeps after stopping)."""
        port: int = self._server.port
        return port

    @property
    def url(self) -> str:
        return self._server.url_for("/events")

    @property
    def received(self) -> list[Received]:
        """The POSTs answered with a 2xx: the deliveries."""
        return [post for post in list(self.posts) if post.status < 300]

    @property
    def refused(self) -> int:
        return sum(post.status >= 300 for post in list(self.posts))

    def start(self) -> WebhookReceiver:
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server.is_running():
            self._server.stop()

    def events(self, status: str | None = None) -> list[dict[str, Any]]:
        """The delivered events, those of job status ``status`` when given."""
        found = [r.event for r in self.received]
        return [e for e in found if status is None or e["detail"]["status"] == status]

    def posted(self) -> list[dict[str, Any]]:
        """Every POST's body, delivered or refused."""
        return [post.event for post in list(self.posts)]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The delivered events, once ``predicate`` holds for them."""

        def held() -> tuple[list[dict[str, Any]]] | None:
            # A tuple, so that an empty list of events can satisfy the predicate too.
            events = self.events()
            return (events,) if predicate(events) else None

        return eventually(
            held,
            timeout,
            what=lambda: f"webhook condition; got {[e['detail']['status'] for e in self.events()]}",
        )[0]
