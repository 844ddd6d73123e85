"""CMAF and DASH ISO groups on the FFmpeg backend: fMP4 tracks under MediaConvert's names,
an HLS and a DASH manifest over one set of segments, validated."""

from __future__ import annotations

import pytest

from tests.support.ffmpeg_jobs import run_job
from tests.support.streaming_examples import cmaf_job, dash_job
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.dash import validate_dash
from vod_testbed.hls.validation import validate_hls

pytestmark = pytest.mark.e2e


def _run(backend, settings):
    model = parse_job_settings(to_wire_case(settings)).job
    job, _ = run_job(backend, JobRequest.for_model(model))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    return job.outputs.groups[0]


def test_cmaf_group_writes_both_manifests_over_one_set_of_segments(
    ffmpeg_backend, put_clip, s3_prefix, storage
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    group = _run(ffmpeg_backend, cmaf_job(source, f"{s3_prefix}/cmaf/index", iframes=True))

    assert group.type == "CMAF_GROUP"
    assert (group.playlist_uri, group.more_playlist_uris) == (
        f"{s3_prefix}/cmaf/index.m3u8",
        (f"{s3_prefix}/cmaf/index.mpd",),
    )
    assert [(o.width, o.height) for o in group.outputs] == [(640, 360), (320, 180), (0, 0)]
    assert all(o.uris == () and abs(o.duration_ms - 2000) <= 100 for o in group.outputs)
    # The video's own bit rate, under the 1 Mb/s cap; none for the audio track.
    assert [0 < o.average_bitrate < 1_100_000 for o in group.outputs] == [True, True, False]
    keys = sorted(uri.rsplit("/", 1)[1] for uri in storage.list(f"{s3_prefix}/cmaf/"))
    # AAC frames do not end on the 2 s mark: the audio track may end with a short segment.
    assert next(k for k in keys if k.startswith("index_audio_0")) == "index_audio_000000001.cmfa"
    assert [k for k in keys if not k.startswith("index_audio_0")] == [
        "index.m3u8",
        "index.mpd",
        "index_180p.m3u8",
        "index_180p_000000001.cmfv",
        "index_180pinit.cmfv",
        "index_360p.m3u8",
        "index_360p_000000001.cmfv",
        "index_360p_I-Frame.m3u8",
        "index_360pinit.cmfv",
        "index_audio.m3u8",
        "index_audioinit.cmfa",
    ]


def test_dash_iso_group_writes_one_mpd_with_separate_audio(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    group = _run(ffmpeg_backend, dash_job(source, f"{s3_prefix}/dash/"))

    assert (group.type, group.playlist_uri, group.more_playlist_uris) == (
        "DASH_ISO_GROUP",
        f"{s3_prefix}/dash/lecture.mpd",
        (),
    )
    text = storage.fetch(group.playlist_uri, tmp_path / "m.mpd").read_text()
    assert text.count("<AdaptationSet") == 2
    assert 'contentType="video"' in text and 'contentType="audio"' in text
    keys = {uri.rsplit("/", 1)[1] for uri in storage.list(f"{s3_prefix}/dash/")}
    assert {"lecture_360pinit.mp4", "lecture_360p_000000001.mp4", "lecture_audioinit.mp4"} <= keys
    assert not any(k.endswith(".m3u8") for k in keys)


def test_cmaf_hls_passes_the_validator_with_its_fragments(
    ffmpeg_backend, put_clip, s3_prefix, storage
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    group = _run(ffmpeg_backend, cmaf_job(source, f"{s3_prefix}/v/index", iframes=True))

    report = validate_hls(group.playlist_uri, storage=storage, fragment_seconds=1)
    assert report.ok, [(c.id, c.message) for c in report.errors]
    ids = {c.id for c in report.checks if c.ok}
    assert {"fmp4.init", "fmp4.fragments", "fmp4.duration", "fmp4.fragment-length"} <= ids
    assert {"iframes.keyframe-start", "media.codecs", "bandwidth.peak"} <= ids
    assert validate_hls(group.playlist_uri, storage=storage, fragment_seconds=0.5).errors


@pytest.mark.parametrize("timeline", ["DISABLED", "ENABLED"])
def test_both_groups_mpds_pass_the_dash_validator(
    ffmpeg_backend, put_clip, s3_prefix, storage, timeline
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    group = {"WriteSegmentTimelineInRepresentation": timeline}
    cmaf = _run(ffmpeg_backend, cmaf_job(source, f"{s3_prefix}/c{timeline}/index", **group))
    dash = _run(ffmpeg_backend, dash_job(source, f"{s3_prefix}/d{timeline}/", **group))

    for mpd in (cmaf.more_playlist_uris[0], dash.playlist_uri):
        report = validate_dash(mpd, storage=storage, fragment_seconds=1)
        assert report.ok, [(c.id, c.message) for c in report.errors]
        ids = {c.id for c in report.checks if c.ok}
        assert {"mpd.adaptation-sets", "dash.files", "dash.codecs", "dash.duration"} <= ids
        assert {"dash.bandwidth", "fmp4.fragment-length"} <= ids
