"""The job's pinned copy of an upload (``<input>_processed/source/``) is removed when its job
ends, over real HTTP: uploaded with the presigned URL, announced to ``/webhooks/s3``, the job
submitted with the copy as input, then its COMPLETE or ERROR event delivered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import upload
from tests.support.pipeline import SECRET, complete_detail, mc_event
from vod_testbed.common import signing
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.pipeline.workers.watcher import object_created_event
from vod_testbed.storage.s3 import Storage

CLIP = clip_path("short_2s")


@pytest.fixture
def server(pipeline_settings: PipelineSettings) -> Iterator[PipelineServer]:
    running = PipelineServer(
        pipeline_settings, transcoder=RecordingTranscoder(), port=0, watch=False
    ).start()
    yield running
    running.stop()


def post_signed(url: str, event: dict[str, Any]) -> requests.Response:
    body = json.dumps(event).encode()
    headers = {"Content-Type": "application/json", **signing.sign(body, SECRET)}
    return requests.post(url, data=body, headers=headers, timeout=10)


@pytest.mark.parametrize("end", ["COMPLETE", "ERROR"])
def test_the_pinned_source_goes_when_the_job_ends(server: PipelineServer, end: str) -> None:
    video_id = upload(server.url, CLIP, user_id="owner")
    video = server.service.get(video_id)
    assert video is not None
    bucket = server.settings.bucket
    s3_event = object_created_event(bucket, video["key"], CLIP.stat().st_size)
    announced = requests.post(
        f"{server.url}/webhooks/s3",
        json=s3_event,
        headers={"Authorization": f"Bearer {SECRET}"},
        timeout=30,
    )
    assert announced.json()["submitted"] == [video["key"]], announced.text
    transcoder = server.transcoder
    assert isinstance(transcoder, RecordingTranscoder)
    (job,) = transcoder.jobs.values()
    pinned = job.request.input_uri
    assert "_processed/source/" in pinned
    storage = Storage(server.settings.backend)
    assert storage.exists(pinned)
    detail = complete_detail() if end == "COMPLETE" else {"errorCode": 1010}
    ended = post_signed(
        f"{server.url}/webhooks/mediaconvert", mc_event(end, job.id, video_id, **detail)
    )
    assert ended.json()["outcome"] == "applied"
    assert not storage.exists(pinned)
    assert storage.exists(f"s3://{bucket}/{video['key']}")  # the upload itself stays
