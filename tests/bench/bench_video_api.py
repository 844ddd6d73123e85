"""Benchmark: ``GET /videos/{id}`` of a ready video with 8 concurrent clients, each with its
own process, keep-alive connection and bearer token, over real HTTP to the pipeline on 127.0.0.1
(waitress, as served). Each request verifies a JWT, reads the video, checks access (the
enrolled student's path also reads their enrollment), mints a playback token and presigns
the thumbnails. Target: p99 < 20 ms.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests

from tests.bench.bench_playback import BENCH_AUTH_SECRET, bench_service, p
from tests.net import start_s3_process
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline import courses
from vod_testbed.pipeline.auth import Caller, mint_token
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.job_events import JobStateChange
from vod_testbed.storage.s3 import Storage

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS_PER_CLIENT = 250
WARMUP = 20
THUMBNAILS = 12
P99_TARGET_MS = 20.0


def seed(service: ContentService) -> str:
    """One ready video of ``teacher`` in course ``c1``, ``student`` actively enrolled."""
    teacher = Caller("teacher")
    courses.claim(service.db, teacher, "c1")
    courses.enroll(service.db, teacher, "c1", "student", "active")
    video = service.handle_video_upload("teacher", "lecture.mp4", "video/mp4", 10**9, "c1").video
    prefix = f"s3://{service.settings.bucket}/{video['key'].rsplit('.', 1)[0]}_processed"
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


def client(url: str, token: str, start: Any) -> list[float]:
    """One client: warm up, wait for the others, then time its requests (ms)."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    for _ in range(WARMUP):
        http.get(url, timeout=10)
    start.wait()
    times = []
    for _ in range(REQUESTS_PER_CLIENT):
        began = time.perf_counter()
        response = http.get(url, timeout=10)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200 and response.json()["playback"], response.text
    return times


def hammer(url: str, user: str) -> list[float]:
    """``CLIENTS`` client processes (so that they do not share the server's interpreter)
    GET ``url`` as ``user`` at once; every latency in ms, sorted."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start = manager.Barrier(CLIENTS)
        token = mint_token(BENCH_AUTH_SECRET, user)
        with context.Pool(CLIENTS) as pool:
            runs = pool.starmap(client, [(url, token, start)] * CLIENTS)
    return sorted(t for run in runs for t in run)


def main() -> int:
    logging.disable(logging.WARNING)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("PLAYBACK_TOKEN_SECRET", "bench")
    tmp = Path(tempfile.mkdtemp(prefix="bench-video-api-"))
    # An S3 in its own process: a COMPLETE lists the thumbnails folder; the requests measured
    # only presign, they read no object.
    s3, endpoint = start_s3_process()
    backend = replace(
        BackendSettings.from_env({}), s3_endpoint_url=endpoint, s3_bucket="bench-video-api"
    )
    Storage(backend).ensure_bucket(backend.s3_bucket)
    service = bench_service(backend, tmp)
    database = service.db
    video_id = seed(service)
    server = BackgroundServer(create_app({"CONTENT_SERVICE": service}), port=0).start()
    try:
        url = f"{server.url}/videos/{video_id}"
        results = {f"as the owner ({CLIENTS} clients)": hammer(url, "teacher")}
        results[f"as an enrolled student ({CLIENTS} clients)"] = hammer(url, "student")
    finally:
        server.stop()
        database.dispose()
        s3.kill()
        s3.wait(10)
    print(f"GET /videos/<id>, {CLIENTS} x {REQUESTS_PER_CLIENT} requests")
    print(f"{'caller':<40} {'p50 ms':>8} {'p99 ms':>8}")
    for name, times in results.items():
        print(f"{name:<40} {p(times, 0.5):8.2f} {p(times, 0.99):8.2f}")
    worst = max(p(times, 0.99) for times in results.values())
    ok = worst < P99_TARGET_MS
    print(f"\np99 {worst:.1f} ms (target < {P99_TARGET_MS:g}): " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
