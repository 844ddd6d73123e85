"""Image-based trick play through the emulator: boto3 CreateJob, real tiles in S3, the
same events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.emulator import create, done
from tests.support.fakes import WebhookReceiver
from tests.support.job_examples import AUDIO_SELECTORS, hls_group
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def test_thumbnail_and_fullframe_through_boto3(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
) -> None:
    source = put_clip(clip_path("short_2s"), "talk.mp4")
    group = hls_group(f"{s3_prefix}/talk/hls/index", ("_360p", 640, 360, 800_000))
    group["OutputGroupSettings"]["HlsGroupSettings"]["ImageBasedTrickPlay"] = (
        "THUMBNAIL_AND_FULLFRAME"
    )
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [group],
    }
    job = create(real_mc, Settings=settings)
    events = receiver.wait_for(done(job["Id"]), timeout=120)
    complete = events[-1]["detail"]
    assert complete["status"] == "COMPLETE", complete
    master = complete["outputGroupDetails"][0]["playlistFilePaths"][0]
    folder = f"{s3_prefix}/talk/hls"
    keys = sorted(uri.rsplit("/", 1)[1] for uri in storage.list(f"{folder}/"))
    # 2 s at one thumbnail per 2 s GOP: one thumbnail, one 3x3 tile; one full frame.
    assert [k for k in keys if "_Thumbnail" in k or "_FullFrame" in k] == [
        "index_FullFrame.m3u8",
        "index_FullFrame_000000001.jpg",
        "index_Thumbnail.m3u8",
        "index_Thumbnail_000000001.jpg",
    ]
    report = validate_hls(master, storage=storage)
    assert report.ok, report.render_text()
    assert {c.id for c in report.checks if c.id.startswith("tiles.")} == {
        "tiles.playlist",
        "tiles.image",
        "tiles.count",
    }
