"""Caption outputs through boto3 on the emulator: sidecar SRT and WebVTT files beside an
MP4 in a file group, a WebVTT rendition beside segment modifiers in an HLS group, embedded
CEA-608 captions as a WebVTT rendition, and what ends a job in ERROR instead: a hostile
caption file with far too many cues, an input without the embedded captions it should
carry."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import pytest

from tests.support.caption_jobs import (
    captioned_input,
    embedded_input,
    hls_with_captions,
    hls_with_captions_and_modifiers,
    sidecar,
)
from tests.support.embedded_captions import write_captioned_clip
from tests.support.emulator import create, done
from tests.support.fakes import WebhookReceiver
from tests.support.job_examples import file_group, hls_group, mp4_output
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.captions import CaptionFormat, Cue, read_cues
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

ENGLISH = (
    "1\n00:00:00,200 --> 00:00:01,000\nHello <i>there</i>\n\n"
    "2\n00:00:01,200 --> 00:00:01,800\nBye\n"
)
SPANISH = "WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nHola\n"


def _captions(tmp_path: Path, put_clip: Callable[..., str], english: str = ENGLISH) -> tuple:
    (tmp_path / "en.srt").write_text(english, "utf-8")
    (tmp_path / "es.vtt").write_text(SPANISH, "utf-8")
    return put_clip(tmp_path / "en.srt"), put_clip(tmp_path / "es.vtt")


def _finished(receiver: WebhookReceiver, job_id: str) -> dict[str, Any]:
    detail: dict[str, Any] = receiver.wait_for(done(job_id), timeout=180)[-1]["detail"]
    return detail


def test_sidecar_srt_and_webvtt_files_beside_an_mp4(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    settings = {
        "Inputs": [captioned_input(source, *_captions(tmp_path, put_clip))],
        "OutputGroups": [
            file_group(
                f"{s3_prefix}/out/",
                mp4_output(modifier="_video"),
                sidecar("_en", "SRT"),
                sidecar("_es", "WEBVTT", "Captions Selector 2"),
            )
        ],
    }
    job_id = create(real_mc, Settings=settings)["Id"]
    detail = _finished(receiver, job_id)
    assert detail["status"] == "COMPLETE", detail
    (group,) = detail["outputGroupDetails"]
    paths = [o["outputFilePaths"][0] for o in group["outputDetails"]]
    assert paths == [
        f"{s3_prefix}/out/lecture_video.mp4",
        f"{s3_prefix}/out/lecture_en.srt",
        f"{s3_prefix}/out/lecture_es.vtt",
    ]
    english = storage.fetch(paths[1], tmp_path / "got.srt").read_bytes()
    assert read_cues(english, CaptionFormat.SRT) == (
        Cue(0.2, 1.0, "Hello <i>there</i>"),
        Cue(1.2, 1.8, "Bye"),
    )
    spanish = storage.fetch(paths[2], tmp_path / "got.vtt").read_bytes()
    # TimeDelta 1 s shows the cue 1 s later.
    assert read_cues(spanish, CaptionFormat.WEBVTT) == (Cue(1.0, 1.5, "Hola"),)


def test_a_webvtt_rendition_beside_segment_modifiers(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    settings = {
        "Inputs": [captioned_input(source, *_captions(tmp_path, put_clip))],
        "OutputGroups": [hls_with_captions_and_modifiers(f"{s3_prefix}/hls/master")],
    }
    job_id = create(real_mc, Settings=settings)["Id"]
    detail = _finished(receiver, job_id)
    assert detail["status"] == "COMPLETE", detail
    report = validate_hls(f"{s3_prefix}/hls/master.m3u8", storage=storage, source_duration_s=2.0)
    assert report.ok, report.render_text()
    keys = sorted(uri.rsplit("/", 1)[1] for uri in storage.list(f"{s3_prefix}/hls/"))
    assert "master_captions_eng.m3u8" in keys
    assert "master_captions_eng_00001.vtt" in keys
    # $dt$ sits between the name modifier and the segment index.
    assert any(k.startswith("master_360p2") and k.endswith("_00001.ts") for k in keys), keys
    assert any(c.id.startswith("subtitles.") for c in report.checks), report.render_text()


def test_a_caption_file_of_too_many_cues_ends_the_job_in_error(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    # 100,000 cues (3.5 MB), five times the default CAPTION_MAX_CUES.
    hostile = "1\n00:00:00,000 --> 00:00:00,001\na\n\n" * 100_000
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    settings = {
        "Inputs": [captioned_input(source, *_captions(tmp_path, put_clip, hostile))],
        "OutputGroups": [
            file_group(f"{s3_prefix}/out/", mp4_output(modifier="_video"), sidecar("_en", "SRT"))
        ],
    }
    started = time.monotonic()
    job_id = create(real_mc, Settings=settings)["Id"]
    detail = _finished(receiver, job_id)
    assert detail["status"] == "ERROR", detail
    assert detail["errorCode"] == 1010
    assert detail["errorMessage"] == (
        "Caption file en.srt (SRT, eng) has 100000 cues, more than the 20000 a caption file "
        "may hold (a lecture of several hours has a few thousand)."
    )
    assert time.monotonic() - started < 60
    assert not list(storage.list(f"{s3_prefix}/out/"))


def test_embedded_608_captions_become_a_webvtt_rendition(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    clip = write_captioned_clip(tmp_path / "broadcast.mp4", ENGLISH, duration_s=3.0)
    settings = {
        "Inputs": [embedded_input(put_clip(clip))],
        "OutputGroups": [hls_with_captions(f"{s3_prefix}/hls/master")],
    }
    detail = _finished(receiver, create(real_mc, Settings=settings)["Id"])
    assert detail["status"] == "COMPLETE", detail
    report = validate_hls(f"{s3_prefix}/hls/master.m3u8", storage=storage, source_duration_s=3.0)
    assert report.ok, report.render_text()
    segments = sorted(uri for uri in storage.list(f"{s3_prefix}/hls/") if uri.endswith(".vtt"))
    bodies = [
        storage.fetch(uri, tmp_path / f"s{i}.vtt").read_bytes() for i, uri in enumerate(segments)
    ]
    # Segments without a cue hold the header alone.
    texts = [c.text for b in bodies if b"-->" in b for c in read_cues(b, CaptionFormat.WEBVTT)]
    # The 608 decoder's text, as the SRT said it (a cue spanning segments repeats).
    assert dict.fromkeys(texts) == {"Hello there": None, "Bye": None}


def test_an_input_without_embedded_captions_ends_the_job_in_error(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
) -> None:
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    settings = {
        "Inputs": [embedded_input(source)],
        "OutputGroups": [hls_with_captions(f"{s3_prefix}/hls/master")],
    }
    detail = _finished(receiver, create(real_mc, Settings=settings)["Id"])
    assert detail["status"] == "ERROR", detail
    assert detail["errorCode"] == 1010
    assert detail["errorMessage"] == (
        "The embedded CEA-608 captions (CC1) of input lecture.mp4, caption selector "
        "Captions Selector 1, holds no captions."
    )
    assert not list(storage.list(f"{s3_prefix}/hls/"))


def test_captions_burnt_into_an_hls_rung_and_an_mp4_beside_a_plain_mp4(
    real_mc: Any,
    put_clip: Callable[..., str],
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    (tmp_path / "burn.srt").write_text("1\n00:00:00,000 --> 00:00:02,000\nWWWWWWWW\n", "utf-8")
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    burn = [
        {
            "CaptionSelectorName": "Captions Selector 1",
            "DestinationSettings": {"DestinationType": "BURN_IN"},
        }
    ]
    hls = hls_group(f"{s3_prefix}/hls/master", ("_360p", 640, 360, 800_000))
    hls["Outputs"][0]["CaptionDescriptions"] = burn
    burnt_mp4 = {**mp4_output(modifier="_burnt"), "CaptionDescriptions": burn}
    settings = {
        "Inputs": [captioned_input(source, put_clip(tmp_path / "burn.srt"), "s3://unused/es.vtt")],
        "OutputGroups": [
            hls,
            file_group(f"{s3_prefix}/files/", mp4_output(modifier="_plain"), burnt_mp4),
        ],
    }
    detail = _finished(receiver, create(real_mc, Settings=settings)["Id"])
    assert detail["status"] == "COMPLETE", detail
    plain = _bottom_rows(storage.fetch(f"{s3_prefix}/files/lecture_plain.mp4", tmp_path / "p.mp4"))
    for name, uri in (
        ("b.mp4", f"{s3_prefix}/files/lecture_burnt.mp4"),
        ("b.ts", f"{s3_prefix}/hls/master_360p_00001.ts"),
    ):
        burnt = _bottom_rows(storage.fetch(uri, tmp_path / name))
        # libass draws in the bottom band: many pixels change sharply there (the encoders
        # alone move a pixel by a few levels, never by 64).
        changed = sum(abs(a - b) > 64 for a, b in zip(plain, burnt, strict=True))
        assert changed / len(plain) > 0.02, (uri, changed)


def _bottom_rows(path: Path) -> list[int]:
    """The luma of the first frame's bottom 60 rows."""
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        luma = frame.planes[0]
        data = bytes(luma)
    rows = range(frame.height - 60, frame.height)
    return [v for y in rows for v in data[y * luma.line_size : y * luma.line_size + frame.width]]
