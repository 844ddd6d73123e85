"""Caption outputs of a job model on the FFmpeg backend itself: a WebVTT rendition beside
rungs with segment modifiers (the model path once crashed on it: the group's outputs and
the ladder's renditions were paired by position), sidecar files of a file group, and a
sidecar file of the CEA-608 captions embedded in the input's video."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support.caption_jobs import (
    captioned_input,
    embedded_input,
    hls_with_captions_and_modifiers,
    sidecar,
)
from tests.support.embedded_captions import write_captioned_clip
from tests.support.ffmpeg_jobs import run_job
from tests.support.job_examples import file_group, mp4_output
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.jobmodel.model import CaptionDescription
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.common import errors
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.captions import CaptionFormat, read_cues

pytestmark = pytest.mark.e2e

ENGLISH = "1\n00:00:00,200 --> 00:00:01,500\nHello\n"
SPANISH = "WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nHola\n"


@pytest.fixture
def captioned(put_clip, tmp_path):
    (tmp_path / "en.srt").write_text(ENGLISH, "utf-8")
    (tmp_path / "es.vtt").write_text(SPANISH, "utf-8")
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    return captioned_input(source, put_clip(tmp_path / "en.srt"), put_clip(tmp_path / "es.vtt"))


def test_webvtt_beside_segment_modifiers_on_the_ffmpeg_backend(
    ffmpeg_backend, captioned, s3_prefix, storage, tmp_path
):
    settings = {
        "Inputs": [captioned],
        "OutputGroups": [hls_with_captions_and_modifiers(f"{s3_prefix}/hls/master")],
    }
    parsed = parse_job_settings(to_wire_case(settings))
    assert parsed.ladder is None  # segment modifiers: only the model path writes them
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(parsed.job))

    assert job.status is JobStatus.COMPLETE, job.error_message
    report = validate_hls(f"{s3_prefix}/hls/master.m3u8", storage=storage, source_duration_s=2.0)
    assert report.ok, report.render_text()
    assert job.outputs is not None
    (track,) = job.outputs.captions
    assert (track.playlist_uri, track.language, track.name) == (
        f"{s3_prefix}/hls/master_captions_eng.m3u8",
        "eng",
        "English",
    )
    master = storage.fetch(f"{s3_prefix}/hls/master.m3u8", tmp_path / "m.m3u8").read_text()
    assert 'TYPE=SUBTITLES,GROUP-ID="subs",NAME="English"' in master
    assert 'URI="master_captions_eng.m3u8"' in master


def test_sidecar_files_of_a_file_group_on_the_ffmpeg_backend(
    ffmpeg_backend, captioned, s3_prefix, storage, tmp_path
):
    settings = {
        "Inputs": [captioned],
        "OutputGroups": [
            file_group(
                f"{s3_prefix}/files/",
                mp4_output(modifier="_video"),
                sidecar("_en", "SRT"),
                sidecar("_es", "WEBVTT", "Captions Selector 2"),
            ),
            # A group of captions alone runs no ffmpeg at all.
            file_group(f"{s3_prefix}/text/", sidecar("_en", "SRT")),
        ],
    }
    job, _ = run_job(
        ffmpeg_backend, JobRequest.for_model(parse_job_settings(to_wire_case(settings)).job)
    )

    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    files, text = job.outputs.groups
    assert [o.uris[0].rsplit("/", 1)[1] for o in files.outputs] == [
        "lecture_video.mp4",
        "lecture_en.srt",
        "lecture_es.vtt",
    ]
    (only,) = text.outputs
    local = storage.fetch(only.uris[0], tmp_path / "en.srt")
    ((start, end, words),) = [
        (c.start_s, c.end_s, c.text) for c in read_cues(local.read_bytes(), CaptionFormat.SRT)
    ]
    assert (start, end, words) == (0.2, 1.5, "Hello")


def test_embedded_608_captions_as_a_sidecar_file_on_the_ffmpeg_backend(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    clip = write_captioned_clip(tmp_path / "broadcast.mp4", ENGLISH, duration_s=3.0)
    settings = {
        "Inputs": [embedded_input(put_clip(clip))],
        "OutputGroups": [
            file_group(f"{s3_prefix}/files/", mp4_output(modifier="_video"), sidecar("_cc", "SRT"))
        ],
    }
    job, _ = run_job(
        ffmpeg_backend, JobRequest.for_model(parse_job_settings(to_wire_case(settings)).job)
    )

    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    (files,) = job.outputs.groups
    uri = files.outputs[1].uris[0]
    assert uri == f"{s3_prefix}/files/broadcast_cc.srt"
    (cue,) = read_cues(storage.fetch(uri, tmp_path / "cc.srt").read_bytes(), CaptionFormat.SRT)
    # The 608 decoder shows the pop-on caption when its end-of-caption arrives: within a
    # few frames of the SRT's times.
    assert cue.text == "Hello"
    assert cue.start_s == pytest.approx(0.2, abs=0.3)
    assert cue.end_s == pytest.approx(1.5, abs=0.3)


def test_a_model_whose_captions_the_backend_cannot_write_fails_rather_than_drops_them(
    ffmpeg_backend, captioned, s3_prefix
):
    # The emulator refuses captions inside a media file (but burnt in) when it reads the
    # Settings; a model handed to the backend directly fails with the reason instead of
    # losing its captions.
    settings = {
        "Inputs": [captioned],
        "OutputGroups": [
            file_group(f"{s3_prefix}/files/", mp4_output(modifier="_video"), sidecar("_en", "SRT"))
        ],
    }
    model = parse_job_settings(to_wire_case(settings)).job
    group = model.output_groups[0]
    video = group.outputs[0]
    burnt = replace(video, captions=(CaptionDescription("Captions Selector 1", "WEBVTT"),))
    model = replace(model, output_groups=(replace(group, outputs=(burnt,)),))
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(model))

    assert job.status is JobStatus.ERROR
    assert job.error_code == errors.SETTINGS_ERROR
    assert job.error_message == (
        "Captions inside a media file are written only burnt into its video (one BURN_IN "
        "description)."
    )
