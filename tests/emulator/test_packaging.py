"""Packaging through the emulator: boto3 CreateJob, a real transcode, the same events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.emulator import create, done
from tests.support.fakes import WebhookReceiver
from tests.support.job_examples import iframe_job
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def test_iframe_only_manifest_include_through_boto3(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
) -> None:
    source = put_clip(clip_path("short_2s"), "talk.mp4")
    job = create(real_mc, Settings=iframe_job(source, f"{s3_prefix}/talk"))
    events = receiver.wait_for(done(job["Id"]), timeout=120)
    complete = events[-1]["detail"]
    assert complete["status"] == "COMPLETE", complete
    (hls,) = complete["outputGroupDetails"]
    assert hls["type"] == "HLS_GROUP"
    master = hls["playlistFilePaths"][0]
    assert master == f"{s3_prefix}/talk/hls/index.m3u8"
    assert storage.exists(f"{s3_prefix}/talk/hls/index_720p_I-Frame.m3u8")
    report = validate_hls(master, storage=storage)
    assert report.ok, report.render_text()
    assert any(c.id == "iframes.keyframe-start" and c.ok for c in report.checks)
