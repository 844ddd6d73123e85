"""An HLS group with alternate audio renditions through boto3 on the emulator: the job AWS's
user guide describes ("Creating an HLS output group with audio-only outputs"), real output,
the COMPLETE event naming every output, and a valid multivariant playlist."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import m3u8
import pytest

from tests.support.audio_groups import two_language_settings
from tests.support.emulator import create, done
from tests.support.fakes import WebhookReceiver
from tests.support.inputs import write_source
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def test_two_languages_as_an_audio_group_through_boto3(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    local = write_source(
        tmp_path / "lecture.mov", duration_s=3, tracks=((440, "eng", 2), (660, "spa", 2))
    )
    source = put_clip(local, "lecture.mov")
    settings = two_language_settings(source, f"{s3_prefix}/hls/master")
    job_id = create(real_mc, Settings=settings)["Id"]
    events = receiver.wait_for(done(job_id), timeout=180)
    detail = events[-1]["detail"]
    assert detail["status"] == "COMPLETE", detail

    (group,) = detail["outputGroupDetails"]
    assert group["playlistFilePaths"] == [f"{s3_prefix}/hls/master.m3u8"]
    paths = [o["outputFilePaths"][0].rsplit("/", 1)[1] for o in group["outputDetails"]]
    assert paths == [
        "master_180p.m3u8",
        "master_144p.m3u8",
        "master_audio_eng.m3u8",
        "master_audio_spa.m3u8",
    ]
    assert all(abs(o["durationInMs"] - 3000) <= 100 for o in group["outputDetails"])

    report = validate_hls(f"{s3_prefix}/hls/master.m3u8", storage=storage, source_duration_s=3.0)
    assert report.ok, report.render_text()
    master = m3u8.load(str(storage.fetch(f"{s3_prefix}/hls/master.m3u8", tmp_path / "m.m3u8")))
    assert [(m.language, m.default) for m in master.media if m.type == "AUDIO"] == [
        ("eng", "YES"),
        ("spa", "NO"),
    ]
    assert {v.stream_info.audio for v in master.playlists} == {"program_audio"}


def test_a_rendition_set_naming_no_group_is_refused_at_create_job(
    real_mc: Any, s3_prefix: str
) -> None:
    settings = two_language_settings(f"{s3_prefix}/in.mov", f"{s3_prefix}/hls/master")
    video = settings["OutputGroups"][0]["Outputs"][0]
    video["OutputSettings"]["HlsSettings"]["AudioRenditionSets"] = "commentary"
    with pytest.raises(real_mc.exceptions.BadRequestException, match="audioRenditionSets"):
        create(real_mc, Settings=settings)
