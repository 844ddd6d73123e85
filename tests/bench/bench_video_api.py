"""Benchmark: ``GET /videos/{id}`` of a ready video with 8 concurrent clients, each with its
own process, keep-alive connection and bearer token, over real HTTP to the pipeline on 127.0.0.1
(waitress with ``PIPELINE_HTTP_THREADS`` threads, as ``vod-testbed dev`` serves it). Each
request authenticates its JWT, reads the video and the caller's access in one statement (the
enrolled student's path goes through their enrollment) and hands out the video's playback
grant. Target: p99 < 20 ms.

The clients are ``http.client`` connections: a load generator must cost less than the server
it measures, and on a 2-core machine a ``requests.Session`` (about 0.55 ms of CPU per call,
more than the server's 0.45 ms) takes the CPU the server needs. ``BENCH_HTTP_CLIENT=requests``
measures with it anyway. The CPU each side spends per request is printed too.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import requests

from tests.bench.bench_playback import BENCH_AUTH_SECRET, bench_service
from tests.bench.load import Load, hammer
from tests.support.net import start_s3_process
from tests.support.pipeline import record_job
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.assets import courses
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.auth import Caller, mint_token
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.storage.s3 import Storage

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
HTTP_CLIENT = os.environ.get("BENCH_HTTP_CLIENT", "http.client")
REQUESTS_PER_CLIENT = 250
WARMUP = 20
THUMBNAILS = 12
P99_TARGET_MS = 20.0


def seed(service: ContentService) -> str:
    """One ready video of ``teacher`` in course ``c1``, ``student`` actively enrolled."""
    teacher = Caller("teacher", instructor=True)
    courses.claim(service.db, teacher, "c1")
    courses.enroll(service.db, teacher, "c1", "student", "active")
    video = service.handle_video_upload("teacher", "lecture.mp4", "video/mp4", 10**9, "c1").video
    prefix = f"s3://{service.settings.bucket}/{video['key'].rsplit('.', 1)[0]}_processed"
    record_job(service, video, "job-1")
    service.apply_job_change(
        JobStateChange(
            event_id="complete",
            job_id="job-1",
            status=EventStatus.COMPLETE,
            asset_id=video["id"],
            master_playlist_uri=f"{prefix}/hls/master.m3u8",
            thumbnail_uris=tuple(
                f"{prefix}/thumbnails/master_thumb.{i:07d}.jpg" for i in range(THUMBNAILS)
            ),
        )
    )
    return str(video["id"])


def getter(url: str, token: str) -> Callable[[], tuple[int, bytes]]:
    """A keep-alive GET of ``url`` with ``token``: (status, body)."""
    if HTTP_CLIENT == "requests":
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"

        def get_with_requests() -> tuple[int, bytes]:
            response = session.get(url, timeout=10)
            return response.status_code, response.content

        return get_with_requests
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    headers = {"Authorization": f"Bearer {token}"}

    def get() -> tuple[int, bytes]:
        connection.request("GET", parts.path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    return get


def checked_getter(url: str, token: str) -> Callable[[], object]:
    """A client's call: :func:`getter`, failing unless the video comes with its playback."""
    get = getter(url, token)

    def get_video() -> None:
        status, body = get()
        assert status == 200 and json.loads(body)["playback"], body

    return get_video


def hammer_as(url: str, user: str) -> Load:
    """``CLIENTS`` client processes (so that they do not share the server's interpreter)
    GET ``url`` as ``user`` at once."""
    token = mint_token(BENCH_AUTH_SECRET, user)
    return hammer(
        checked_getter, (url, token), clients=CLIENTS, calls=REQUESTS_PER_CLIENT, warmup=WARMUP
    )


def main() -> int:
    logging.disable(logging.WARNING)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("PLAYBACK_TOKEN_SECRET", "bench")
    tmp = Path(tempfile.mkdtemp(prefix="bench-video-api-"))
    # An S3 in its own process: a COMPLETE lists the thumbnails folder; the requests measured
    # only presign, they read no object.
    s3, endpoint = start_s3_process()
    backend = BackendSettings.from_env({}).replace(
        s3_endpoint_url=endpoint, s3_bucket="bench-video-api"
    )
    Storage(backend).ensure_bucket(backend.s3_bucket)
    service = bench_service(backend, tmp)
    database = service.db
    video_id = seed(service)
    threads = PipelineSettings.from_env().http_threads
    app = create_app(service)
    server = BackgroundServer(app, port=0, threads=threads).start()
    try:
        url = f"{server.url}/videos/{video_id}"
        results = {"as the owner": hammer_as(url, "teacher")}
        results["as an enrolled student"] = hammer_as(url, "student")
    finally:
        server.stop()
        database.dispose()
        s3.kill()
        s3.wait(10)
    print(
        f"GET /videos/<id>: {CLIENTS} {HTTP_CLIENT} clients x {REQUESTS_PER_CLIENT} requests, "
        f"{threads} server threads"
    )
    print(f"{'caller':<24} {'p50 ms':>8} {'p99 ms':>8} {'server us/req':>14} {'client us/req':>14}")
    for name, run in results.items():
        print(
            f"{name:<24} {run.percentile(0.5):8.2f} {run.percentile(0.99):8.2f} "
            f"{run.server_cpu_us:14.0f} {run.client_cpu_us:14.0f}"
        )
    worst = max(run.percentile(0.99) for run in results.values())
    ok = worst < P99_TARGET_MS
    print(f"\np99 {worst:.1f} ms (target < {P99_TARGET_MS:g}): " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
