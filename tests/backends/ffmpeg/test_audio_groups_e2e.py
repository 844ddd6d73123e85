"""An HLS group with alternate audio renditions on the FFmpeg backend: video variants that
name an audio group, one rendition per language from its own selector, as AWS's user guide
describes them ("Creating an HLS output group with audio-only outputs"; HlsSettings
AudioGroupId, AudioTrackType, AudioRenditionSets in the service model)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import m3u8
import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.shared_data import SharedDataMiddleware

from tests.support.audio_groups import audio_rendition, two_language_settings
from tests.support.browser import wait_until
from tests.support.ffmpeg_jobs import run_job
from tests.support.inputs import h264_output, hls_group, write_source
from tests.support.job_examples import AUDIO_SELECTORS
from tests.support.net import serving
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.segments import inspect_segment
from vod_testbed.pipeline.console.vendor import TARGET as HLS_JS

pytestmark = pytest.mark.e2e


def test_alternate_languages_become_an_audio_rendition_group(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path: Path
):
    local = write_source(
        tmp_path / "two_languages.mov", duration_s=3, tracks=((440, "eng", 2), (660, "spa", 2))
    )
    source = put_clip(local, "two_languages.mov")
    parsed = parse_job_settings(
        to_wire_case(two_language_settings(source, f"{s3_prefix}/hls/master"))
    )
    assert parsed.ladder is None
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(parsed.job))

    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    (group,) = job.outputs.groups
    names = [o.uris[0].rsplit("/", 1)[1] for o in group.outputs]
    assert names == [
        "master_180p.m3u8",
        "master_144p.m3u8",
        "master_audio_eng.m3u8",
        "master_audio_spa.m3u8",
    ]
    assert [(o.width, o.height) for o in group.outputs] == [(320, 180), (256, 144), (0, 0), (0, 0)]

    report = validate_hls(f"{s3_prefix}/hls/master.m3u8", storage=storage, source_duration_s=3.0)
    assert report.ok, report.render_text()
    assert {c.id for c in report.checks} >= {"audio.group", "audio.renditions"}

    master_path = storage.fetch(f"{s3_prefix}/hls/master.m3u8", tmp_path / "master.m3u8")
    master = m3u8.load(str(master_path))
    audio = [m for m in master.media if m.type == "AUDIO"]
    assert [(m.group_id, m.language, m.name, m.default, m.autoselect) for m in audio] == [
        ("program_audio", "eng", "English", "YES", "YES"),
        ("program_audio", "spa", "Spanish", "NO", "YES"),
    ]
    assert [v.stream_info.audio for v in master.playlists] == ["program_audio"] * 2
    assert all("mp4a.40.2" in v.stream_info.codecs for v in master.playlists)
    # Each rendition's segments: its own language's track, at its own sample rate.
    rates = []
    for rendition in audio:
        playlist = m3u8.load(
            str(storage.fetch(f"{s3_prefix}/hls/{rendition.uri}", tmp_path / rendition.uri))
        )
        first = playlist.segments[0].uri
        media = inspect_segment(storage.fetch(f"{s3_prefix}/hls/{first}", tmp_path / first))
        assert media.video_packets == 0 and media.audio is not None
        rates.append(media.audio.sample_rate)
    assert rates == [48_000, 44_100]


_PAGE = """<!doctype html><meta charset="utf-8"><video id="video" muted autoplay></video>
<script src="hls.min.js"></script>
<script>
const hls = new Hls();
window.state = {tracks: [], errors: []};
hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, (_, data) => {
  window.state.tracks = data.audioTracks.map(t => [t.lang, t.name, t.default]);
});
hls.on(Hls.Events.ERROR, (_, data) => { if (data.fatal) window.state.errors.push(data.details); });
hls.loadSource("master.m3u8");
hls.attachMedia(document.getElementById("video"));
window.hls = hls;
</script>
"""


def test_hls_js_plays_each_language_of_the_group(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path: Path, browser: Any
):
    """hls.js (the console's pinned copy) lists both renditions of the group and plays the
    Spanish one past 2 s in headless Chromium."""
    local = write_source(
        tmp_path / "lecture.mov", duration_s=4, tracks=((440, "eng", 2), (660, "spa", 2))
    )
    source = put_clip(local, "lecture.mov")
    settings = two_language_settings(source, f"{s3_prefix}/hls/master")
    job, _ = run_job(
        ffmpeg_backend, JobRequest.for_model(parse_job_settings(to_wire_case(settings)).job)
    )
    assert job.status is JobStatus.COMPLETE, job.error_message
    site = storage.download_tree(f"{s3_prefix}/hls", tmp_path / "site")
    shutil.copy(HLS_JS, site / "hls.min.js")
    (site / "index.html").write_text(_PAGE, encoding="utf-8")
    # werkzeug's static files middleware, every path under site/ (NotFound answers the rest).
    with serving(SharedDataMiddleware(NotFound(), {"/": str(site)})) as url:
        page = browser.new_page()
        page.goto(f"{url}/index.html")
        wait_until(page, "window.state.tracks.length === 2", timeout_s=30)
        assert page.evaluate("window.state.tracks") == [
            ["eng", "English", True],
            ["spa", "Spanish", False],
        ]
        page.evaluate("window.hls.audioTrack = 1")
        wait_until(page, "document.getElementById('video').currentTime > 2", timeout_s=60)
        assert page.evaluate("window.hls.audioTrack") == 1
        assert page.evaluate("window.state.errors") == []


def test_each_rendition_keeps_its_own_aac_settings(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path: Path
):
    """Outputs of one HLS group with their own AAC bit rate, sample rate and coding mode, as
    MediaConvert encodes each output's audio description on its own; the job is still a
    ladder, and validates against it rung by rung."""
    source = put_clip(write_source(tmp_path / "talk.mov", duration_s=3), "talk.mov")
    rungs = [h264_output("_180p"), h264_output("_144p", 256, 144), h264_output("_90p", 160, 90)]
    aac = [r["AudioDescriptions"][0]["CodecSettings"]["AacSettings"] for r in rungs]
    aac[1].update({"SampleRate": 44_100, "Bitrate": 64_000})
    aac[2].update({"CodingMode": "CODING_MODE_1_0", "Bitrate": 48_000, "SampleRate": 32_000})
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [hls_group(f"{s3_prefix}/hls/master", *rungs)],
    }
    parsed = parse_job_settings(to_wire_case(settings))
    assert parsed.ladder is not None
    job, _ = run_job(ffmpeg_backend, parsed.ladder)
    assert job.status is JobStatus.COMPLETE, job.error_message

    report = validate_hls(
        f"{s3_prefix}/hls/master.m3u8",
        expected=parsed.ladder.ladder,
        storage=storage,
        source_duration_s=3.0,
    )
    assert report.ok, report.render_text()
    audio = {f.name: f.audio for f in report.renditions}
    assert audio == {
        "180p": "aac LC 2 ch 48000 Hz",
        "144p": "aac LC 2 ch 44100 Hz",
        "90p": "aac LC 1 ch 32000 Hz",
    }


def test_an_audio_only_variant_stream_beside_video_is_a_variant_of_its_own(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path: Path
):
    """AUDIO_ONLY_VARIANT_STREAM: "Represented as an EXT-X-STREAM-INF in the HLS manifest"
    (HlsSettings.AudioTrackType), beside a video variant that keeps its own audio."""
    source = put_clip(write_source(tmp_path / "talk.mov", duration_s=3), "talk.mov")
    audio = audio_rendition(
        "_audio_64k", "Audio Selector 1", "ENG", "AUDIO_ONLY_VARIANT_STREAM", 64_000
    )
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [hls_group(f"{s3_prefix}/hls/master", h264_output("_180p"), audio)],
    }
    parsed = parse_job_settings(to_wire_case(settings))
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(parsed.job))
    assert job.status is JobStatus.COMPLETE, job.error_message
    report = validate_hls(f"{s3_prefix}/hls/master.m3u8", storage=storage, source_duration_s=3.0)
    assert report.ok, report.render_text()
    master = m3u8.load(str(storage.fetch(f"{s3_prefix}/hls/master.m3u8", tmp_path / "m.m3u8")))
    assert [m for m in master.media if m.type == "AUDIO"] == []
    assert [(v.uri, v.stream_info.resolution) for v in master.playlists] == [
        ("master_180p.m3u8", (320, 180)),
        ("master_audio_64k.m3u8", None),
    ]
    assert master.playlists[1].stream_info.codecs == "mp4a.40.2"
