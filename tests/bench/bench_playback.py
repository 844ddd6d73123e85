"""Benchmark: the console's video list and the rewritten playlists of playback.

* ``GET /videos?limit=100`` and ``GET /console/rows`` with 100 ready videos in the database
  (no presigning in a list);
* ``GET /play/<id>/master.m3u8`` and ``GET /play/<id>/master_1080p.m3u8`` for a one-hour
  lecture (600 segments of 6 s, every one presigned per request);
* the same 600 presigned URLs made with botocore's client, for comparison.

Over real HTTP to the pipeline on 127.0.0.1, S3 in a child process. Targets: list < 100 ms,
rewritten playlist p50 < 5 ms.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

from tests.support.net import start_s3_process
from tests.support.pipeline import record_job
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.storage.s3 import Storage, s3_client

VIDEOS = 100
LECTURE_SEGMENTS = 600
RUNGS = ("1080p", "720p", "480p", "360p")
LIST_TARGET_MS, PLAYLIST_TARGET_MS = 100.0, 5.0
BENCH_AUTH_SECRET = "bench-auth-secret-of-at-least-32-bytes"


def lecture_playlists() -> dict[str, str]:
    master = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    texts = {}
    for rung in RUNGS:
        master += ["#EXT-X-STREAM-INF:BANDWIDTH=5000000,RESOLUTION=1x1", f"master_{rung}.m3u8"]
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:6",
                 "#EXT-X-MEDIA-SEQUENCE:1", "#EXT-X-PLAYLIST-TYPE:VOD"]  # fmt: skip
        for n in range(1, LECTURE_SEGMENTS + 1):
            lines += ["#EXTINF:6.000000,", f"master_{rung}_{n:05d}.ts"]
        texts[f"master_{rung}.m3u8"] = "\n".join([*lines, "#EXT-X-ENDLIST", ""])
    texts["master.m3u8"] = "\n".join([*master, ""])
    return texts


def timed_ms(call: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def p(times: list[float], q: float) -> float:
    return times[min(len(times) - 1, int(q * len(times)))]


def seed(service: ContentService, storage: Storage) -> str:
    """100 ready videos; the last one's outputs are a one-hour lecture. Returns its id."""
    bucket = service.settings.bucket
    prefix = f"video/bench/{uuid.uuid4().hex}-lecture_processed"
    for name, text in lecture_playlists().items():
        storage.client.put_object(Bucket=bucket, Key=f"{prefix}/hls/{name}", Body=text.encode())
    video_id = ""
    for n in range(VIDEOS):
        video = service.handle_video_upload(
            "bench", f"lecture-{n:03d}.mp4", "video/mp4", 10**9, "bench"
        ).video
        record_job(service, video, f"job-{n}")
        video_id = video["id"]
        service.apply_job_change(
            JobStateChange(
                event_id=f"complete-{n}",
                job_id=f"job-{n}",
                status=EventStatus.COMPLETE,
                asset_id=video_id,
                master_playlist_uri=f"s3://{bucket}/{prefix}/hls/master.m3u8",
                thumbnail_uris=tuple(
                    f"s3://{bucket}/{prefix}/thumbnails/master_thumb.{i:07d}.jpg"
                    for i in range(360)
                ),
            )
        )
    return video_id


def bench_service(backend: BackendSettings, folder: Path) -> ContentService:
    """A content service on a fresh SQLite file in ``folder``, tokens with the bench secret."""
    settings = PipelineSettings(
        backend=backend,
        database_url=f"sqlite:///{folder / 'p.sqlite3'}",
        auth_jwt_secret=BENCH_AUTH_SECRET,
    )
    database = Database(settings.database_url)
    database.migrate()
    return ContentService(settings, database)


def main() -> int:
    logging.disable(logging.WARNING)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("PLAYBACK_TOKEN_SECRET", "bench")
    proc, endpoint = start_s3_process()
    tmp = Path(tempfile.mkdtemp(prefix="bench-playback-"))
    try:
        backend = BackendSettings.from_env({}).replace(
            s3_endpoint_url=endpoint, s3_bucket="bench-playback"
        )
        storage = Storage(backend)
        storage.ensure_bucket(backend.s3_bucket)
        service = bench_service(backend, tmp)
        lecture = seed(service, storage)
        app = create_app(service)
        server = BackgroundServer(app, port=0).start()
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {mint_token(BENCH_AUTH_SECRET, 'bench')}"
        api = server.url

        def get(path: str) -> requests.Response:
            response = http.get(api + path, timeout=10)
            assert response.status_code == 200, (path, response.status_code)
            return response

        assert len(get("/videos?limit=100").json()["videos"]) == VIDEOS
        results = {
            "GET /videos?limit=100 (100 ready videos)": timed_ms(
                lambda: get("/videos?limit=100"), 30
            ),
            "GET /console/rows (100 ready videos)": timed_ms(lambda: get("/console/rows"), 30),
            "GET /videos/<id> (its grant reused within the minute)": timed_ms(
                lambda: get(f"/videos/{lecture}"), 30
            ),
        }
        playback = app.extensions["vod_playback"]

        def first_in_a_minute() -> None:
            playback.forget(lecture)  # as after a minute: nothing of the grant is reused
            get(f"/videos/{lecture}")

        results["GET /videos/<id> (mints a token, presigns 360 thumbnails)"] = timed_ms(
            first_in_a_minute, 30
        )
        tokens = playback.tokens
        fresh = iter([tokens.mint(lecture).token for _ in range(400)])
        variant = f"/play/{lecture}/master_1080p.m3u8?token="
        assert get(variant + next(fresh)).text.count("X-Amz-Signature=") == LECTURE_SEGMENTS
        # A new token each time: nothing of one viewer's playlist is reused for the next.
        results["GET /play/<id>/master.m3u8 (4 variants, a new token each)"] = timed_ms(
            lambda: get(f"/play/{lecture}/master.m3u8?token={next(fresh)}"), 150
        )
        results[
            f"GET /play/<id>/master_1080p.m3u8 ({LECTURE_SEGMENTS} segments, a new token each)"
        ] = timed_ms(lambda: get(variant + next(fresh)), 150)
        client = s3_client(backend)
        results[f"for comparison: botocore presigning {LECTURE_SEGMENTS} URLs"] = timed_ms(
            lambda: [
                client.generate_presigned_url(
                    "get_object", Params={"Bucket": "b", "Key": f"k/{n}.ts"}, ExpiresIn=21600
                )
                for n in range(LECTURE_SEGMENTS)
            ],
            5,
        )
        server.stop()
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"{'request':<72} {'p50 ms':>8} {'p99 ms':>8}")
    for name, times in results.items():
        print(f"{name:<72} {p(times, 0.5):8.2f} {p(times, 0.99):8.2f}")
    list_ms = p(results["GET /videos?limit=100 (100 ready videos)"], 0.5)
    rows_ms = p(results["GET /console/rows (100 ready videos)"], 0.5)
    playlist_ms = max(p(t, 0.5) for name, t in results.items() if name.startswith("GET /play/"))
    ok = max(list_ms, rows_ms) < LIST_TARGET_MS and playlist_ms < PLAYLIST_TARGET_MS
    print(
        f"\nlist p50 {max(list_ms, rows_ms):.1f} ms (target < {LIST_TARGET_MS:g}); "
        f"rewritten playlist p50 {playlist_ms:.2f} ms (target < {PLAYLIST_TARGET_MS:g}): "
        + ("PASS" if ok else "FAIL")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
