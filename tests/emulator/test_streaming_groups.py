"""CMAF and DASH ISO groups through the emulator: boto3 CreateJob, real fMP4 output in S3,
the COMPLETE event naming the group's manifests (docs/jobs.md, "CMAF and DASH")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.emulator import create, done
from tests.support.fakes import WebhookReceiver
from tests.support.streaming_examples import cmaf_job, dash_job
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.dash import validate_dash
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def test_cmaf_and_dash_groups_through_boto3(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
) -> None:
    source = put_clip(clip_path("short_2s"), "talk.mp4")
    settings = cmaf_job(source, f"{s3_prefix}/cmaf/index", iframes=True)
    settings["OutputGroups"] += dash_job(source, f"{s3_prefix}/dash/")["OutputGroups"]
    job = create(real_mc, Settings=settings)
    events = receiver.wait_for(done(job["Id"]), timeout=120)
    complete = events[-1]["detail"]
    assert complete["status"] == "COMPLETE", complete

    cmaf, dash = complete["outputGroupDetails"]
    assert cmaf["type"] == "CMAF_GROUP" and dash["type"] == "DASH_ISO_GROUP"
    assert cmaf["playlistFilePaths"] == [
        f"{s3_prefix}/cmaf/index.m3u8",
        f"{s3_prefix}/cmaf/index.mpd",
    ]
    assert dash["playlistFilePaths"] == [f"{s3_prefix}/dash/talk.mpd"]
    for group in (cmaf, dash):
        assert all("outputFilePaths" not in o for o in group["outputDetails"])
        assert group["outputDetails"][0]["videoDetails"]["widthInPx"] == 640
    assert "videoDetails" not in cmaf["outputDetails"][2]  # the audio track

    hls = validate_hls(cmaf["playlistFilePaths"][0], storage=storage, fragment_seconds=1)
    assert hls.ok, hls.render_text()
    for mpd in (cmaf["playlistFilePaths"][1], dash["playlistFilePaths"][0]):
        report = validate_dash(mpd, storage=storage, fragment_seconds=1)
        assert report.ok, report.render_text()

    got = real_mc.get_job(Id=job["Id"])["Job"]
    assert [len(g["OutputDetails"]) for g in got["OutputGroupDetails"]] == [3, 2]


def test_what_the_emulator_does_not_build_is_refused_at_create_job(
    real_mc: Any, s3_prefix: str
) -> None:
    settings = cmaf_job(f"{s3_prefix}/in.mp4", f"{s3_prefix}/cmaf/index")
    group = settings["OutputGroups"][0]["OutputGroupSettings"]["CmafGroupSettings"]
    group["Encryption"] = {
        "EncryptionMethod": "SAMPLE_AES",
        "Type": "STATIC_KEY",
        "StaticKeyProvider": {"StaticKeyValue": "0" * 32, "Url": "https://keys.example/k"},
    }
    with pytest.raises(real_mc.exceptions.BadRequestException) as caught:
        create(real_mc, Settings=settings)
    message = caught.value.response["Error"]["Message"]
    assert "cmafGroupSettings/encryption" in message and "not supported" in message
