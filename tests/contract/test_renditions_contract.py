"""Captions and audio-only ladders through both backends (the FFmpeg backend in-process, the
MediaConvert backend against the emulator): the same keys, the same tracks, durations
within a frame, both outputs valid (docs/captions.md)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.contract import BACKENDS, TIMEOUT_S, Run, relative_keys
from tests.support.settings_matrix import assert_equally_loud, hls_loudness
from vod_testbed.backends.captions import CaptionDestination, CaptionTrack
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder, Rung
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import ValidationReport, validate_hls
from vod_testbed.media.captions import CaptionFormat
from vod_testbed.media.probe import probe
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

LADDER = Ladder(
    rungs=(
        Rung("360p", 640, 360, 800_000, audio_bitrate=64_000),
        Rung("240p", 426, 240, 400_000, audio_bitrate=64_000),
    ),
    segment_seconds=2,
    thumbnails=None,
)
SRT = (
    b"1\n00:00:00,200 --> 00:00:01,500\nWelcome\n\n"
    b"2\n00:00:01,800 --> 00:00:02,600\nto the course\n"
)
VTT = b"WEBVTT\n\n00:00.300 --> 00:01.200\nBienvenue\n"


def _put(storage: Storage, uri: str, data: bytes, tmp: Path) -> str:
    local = tmp / uri.rsplit("/", 1)[-1]
    local.write_bytes(data)
    storage.put(local, uri)
    return uri


def _run(transcoder: Transcoder, prefix: str, request: JobRequest) -> Run:
    submitted = transcoder.submit(request)
    return Run(transcoder, prefix, transcoder.wait(submitted.id, timeout=TIMEOUT_S))


def _both(
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    bucket: str,
    clip: str,
    request_for: Callable[[str, str], JobRequest],
    tmp_path: Path,
) -> dict[str, Run]:
    runs = {}
    for name in BACKENDS:
        prefix = f"s3://{bucket}/renditions-{uuid.uuid4().hex[:10]}"
        path = clip_path(clip)
        source = f"{prefix}/in/talk{path.suffix}"
        storage.put(path, source)
        runs[name] = _run(make_transcoder(name), prefix, request_for(source, prefix))
    return runs


def _reports(runs: dict[str, Run], storage: Storage, ladder: Ladder) -> dict[str, ValidationReport]:
    reports = {}
    for name, run in runs.items():
        assert run.job.status is JobStatus.COMPLETE, (name, run.job.error_message)
        assert run.job.outputs is not None
        reports[name] = validate_hls(
            run.job.outputs.master_playlist_uri, expected=ladder, storage=storage
        )
        assert reports[name].ok, (name, reports[name].render_text())
    return reports


def _loudness(runs: dict[str, Run], storage: Storage, tmp: Path) -> None:
    """Every playlist with sound within 1 LU across the backends (ITU-R BS.1770-4)."""
    loudness = {}
    for name, run in runs.items():
        assert run.job.outputs is not None
        master = run.job.outputs.master_playlist_uri
        loudness[name] = hls_loudness(storage, master, tmp / f"loudness-{name}")
    assert any(v is not None for v in loudness["ffmpeg"].values())
    assert_equally_loud(loudness["ffmpeg"], loudness["mediaconvert"])


def test_captions_sidecar_and_burn_in_alike_on_both_backends(
    make_transcoder, storage: Storage, backend_settings: BackendSettings, tmp_path: Path
) -> None:
    def request_for(source: str, prefix: str) -> JobRequest:
        srt = _put(storage, f"{prefix}/in/talk.en.srt", SRT, tmp_path)
        vtt = _put(storage, f"{prefix}/in/talk.fr.vtt", VTT, tmp_path)
        tracks = (
            CaptionTrack(srt, CaptionFormat.SRT, "eng", "English"),
            CaptionTrack(vtt, CaptionFormat.WEBVTT, "fra", "Français", time_delta_ms=500),
            CaptionTrack(srt, CaptionFormat.SRT, "eng", destination=CaptionDestination.BURN_IN),
        )
        return JobRequest.for_prefix(source, f"{prefix}/out", ladder=LADDER, captions=tracks)

    runs = _both(
        make_transcoder, storage, backend_settings.s3_bucket, "small", request_for, tmp_path
    )
    reports = _reports(runs, storage, LADDER)
    keys = {name: relative_keys(storage, run.prefix) for name, run in runs.items()}
    assert keys["ffmpeg"] == keys["mediaconvert"]
    assert "hls/master_captions_fra_00002.vtt" in keys["ffmpeg"]
    tracks = {
        name: [(s.language, s.name, s.default, s.segment_count, s.cue_count) for s in r.subtitles]
        for name, r in reports.items()
    }
    # The cue spanning 2 s is in both English segments; TimeDelta moves the French one.
    assert tracks["ffmpeg"] == tracks["mediaconvert"]
    assert tracks["ffmpeg"] == [
        ("eng", "English", True, 2, 3),
        ("fra", "Français", False, 2, 1),
    ]
    durations = {name: [f.duration_s for f in r.renditions] for name, r in reports.items()}
    for ours, theirs in zip(durations["ffmpeg"], durations["mediaconvert"], strict=True):
        assert ours == pytest.approx(theirs, abs=1 / 30)
    _loudness(runs, storage, tmp_path)


def test_an_audio_only_source_alike_on_both_backends(
    make_transcoder, storage: Storage, backend_settings: BackendSettings, tmp_path: Path
) -> None:
    ladder = replace(DEFAULT_LADDER, audio_only=True)

    def request_for(source: str, prefix: str) -> JobRequest:
        return JobRequest.for_prefix(source, f"{prefix}/out", ladder=ladder)

    runs = _both(
        make_transcoder, storage, backend_settings.s3_bucket, "audio_mp3", request_for, tmp_path
    )
    reports = _reports(runs, storage, ladder)
    keys = {name: relative_keys(storage, run.prefix) for name, run in runs.items()}
    assert keys["ffmpeg"] == keys["mediaconvert"]
    assert "hls/master_audio_128k_00001.ts" in keys["ffmpeg"]
    for report in reports.values():
        assert [(f.name, f.codecs) for f in report.renditions] == [
            ("audio_128k", "mp4a.40.2"),
            ("audio_96k", "mp4a.40.2"),
            ("audio_64k", "mp4a.40.2"),
        ]
        assert report.renditions[0].duration_s == pytest.approx(
            probe(clip_path("audio_mp3"), audio_only=True).duration_s, abs=0.1
        )
    _loudness(runs, storage, tmp_path)
