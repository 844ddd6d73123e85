"""The FFmpeg backend end to end: generated clips -> S3 -> ladder -> S3 -> validation."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.ffmpeg_jobs import run_job, valid_ladder, validated
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import Job, JobPhase, JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, UpscalePolicy
from vod_testbed.common import errors
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.probe import probe
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def run_on_a_backend_of_its_own(settings, storage: Storage, work_dir: Path, source: str) -> Job:
    backend = FFmpegBackend(settings=settings.replace(work_dir=work_dir), storage=storage)
    try:
        job, _ = run_job(backend, JobRequest.for_prefix(source))
    finally:
        backend.close()
    return job


def keys_under(storage: Storage, prefix: str) -> list[str]:
    return sorted(uri[len(prefix) + 1 :] for uri in storage.list(prefix + "/"))


def test_ladder_lands_in_s3_with_mediaconvert_names_and_validates(
    ffmpeg_backend, storage, put_clip, s3_prefix
):
    clip = clip_path("landscape_1080p")
    source = put_clip(clip, "video/u1/2026/11/abc-1700000000-lecture.mp4")
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source))

    assert job.status is JobStatus.COMPLETE, job.error_message
    out = "video/u1/2026/11/abc-1700000000-lecture_processed"
    keys = keys_under(storage, f"{s3_prefix}/{out}")
    rungs = ["1080p", "720p", "480p", "360p"]
    assert [k for k in keys if k.endswith(".m3u8")] == sorted(
        ["hls/master.m3u8", "hls/master_Thumbnail.m3u8"] + [f"hls/master_{r}.m3u8" for r in rungs]
    )
    # The ladder's THUMBNAIL trick play: 4 s at one thumbnail per 2 s GOP, one 3x3 tile.
    assert [k for k in keys if "_Thumbnail_" in k] == ["hls/master_Thumbnail_000000001.jpg"]
    for rung in rungs:
        assert f"hls/master_{rung}_00001.ts" in keys
    assert "thumbnails/master_thumb.0000000.jpg" in keys

    assert job.outputs is not None
    assert job.outputs.master_playlist_uri == f"{s3_prefix}/{out}/hls/master.m3u8"
    assert [(r.name, r.width, r.height) for r in job.outputs.renditions] == [
        ("1080p", 1920, 1080),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    assert all(abs(r.duration_ms - 4000) <= 100 for r in job.outputs.renditions)

    report = validated(job, DEFAULT_LADDER, clip, storage)
    assert report.ok, report.render_text()


def test_lifecycle_phases_and_progress(ffmpeg_backend, put_clip):
    job, seen = run_job(ffmpeg_backend, JobRequest.for_prefix(put_clip(clip_path("short_2s"))))
    assert job.status is JobStatus.COMPLETE
    statuses = [j.status for j in seen]
    assert statuses[0] is JobStatus.SUBMITTED
    assert statuses[1] is JobStatus.PROGRESSING
    assert statuses[-1] is JobStatus.COMPLETE
    phases = [j.phase for j in seen if j.phase]
    assert phases.index(JobPhase.PROBING) < phases.index(JobPhase.TRANSCODING)
    assert phases.index(JobPhase.TRANSCODING) < phases.index(JobPhase.UPLOADING)
    percents = [j.percent_complete for j in seen]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert job.input_details is not None
    assert job.input_details["video"][0]["width"] == 1280
    assert job.source_duration_s == pytest.approx(2.0, abs=0.05)
    assert ffmpeg_backend.get(job.id) == job
    assert job in ffmpeg_backend.list(JobStatus.COMPLETE)


# The sources whose policy both backends must resolve alike (no audio, portrait padded or
# turned, small without upscaling, anamorphic) are transcoded and validated by the transcoder
# contract (tests/contract/test_transcoder_contract.py), which `make test-system-ffmpeg` runs
# too; these are the rest.
@pytest.mark.parametrize(
    ("clip", "ladder", "sizes"),
    [
        (
            "odd_dimensions",
            DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP),
            [(854, 480), (640, 360)],
        ),
        # Shown as 720x1280: every pillarboxed rung is a downscale, so DROP keeps all four.
        (
            "rotated",
            DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP),
            [(1920, 1080), (1280, 720), (854, 480), (640, 360)],
        ),
        (
            "variable_frame_rate",
            DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP),
            [(1280, 720), (854, 480), (640, 360)],
        ),
        (
            "ten_bit",
            DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP),
            [(1280, 720), (854, 480), (640, 360)],
        ),
        (
            "yuv444",
            DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP),
            [(1280, 720), (854, 480), (640, 360)],
        ),
    ],
)
def test_awkward_sources_give_a_valid_ladder(
    ffmpeg_backend, storage, put_clip, clip, ladder, sizes
):
    path = clip_path(clip)
    valid_ladder(ffmpeg_backend, storage, path, put_clip(path), ladder, sizes)


@pytest.mark.parametrize(
    ("clip", "code", "words"),
    [
        ("not_video", errors.INPUT_ERROR, "not a media file"),
        ("empty", errors.INPUT_ERROR, "empty"),
        ("audio_only", errors.INPUT_ERROR, "no video stream"),
        ("truncated_moov_end", errors.INPUT_ERROR, "not a media file"),
        ("truncated_faststart", errors.INPUT_ERROR, "truncated or corrupt"),
    ],
)
def test_bad_input_ends_in_error_and_publishes_nothing(
    ffmpeg_backend, storage, put_clip, s3_prefix, clip, code, words
):
    source = put_clip(clip_path(clip), "in/source.mp4")
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source))
    assert job.status is JobStatus.ERROR
    assert job.error_code == code
    assert words in (job.error_message or "")
    assert keys_under(storage, s3_prefix) == ["in/source.mp4"]


def test_missing_object_is_error_1404(ffmpeg_backend, s3_prefix):
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(f"{s3_prefix}/nope.mp4"))
    assert job.status is JobStatus.ERROR
    assert job.error_code == errors.FILE_NOT_FOUND
    assert "does not exist" in (job.error_message or "")


def test_unreachable_storage_is_a_readable_error(backend_settings, tmp_path):
    settings = backend_settings.replace(s3_endpoint_url="http://127.0.0.1:9", work_dir=tmp_path)
    backend = FFmpegBackend(settings=settings)
    try:
        job, _ = run_job(backend, JobRequest.for_prefix("s3://bucket/in.mp4"))
    finally:
        backend.close()
    assert job.status is JobStatus.ERROR
    assert job.error_code == errors.FILE_OPEN_ERROR
    assert "unreachable" in (job.error_message or "")


def test_cancel_kills_the_encode_and_publishes_nothing(
    ffmpeg_backend, storage, put_clip, s3_prefix
):
    source = put_clip(clip_path("landscape_1080p"), "in/long.mp4")
    transcoding = threading.Event()

    def on_change(job: Job) -> None:
        if job.phase is JobPhase.TRANSCODING:
            transcoding.set()

    unsubscribe = ffmpeg_backend.subscribe(on_change)
    job = ffmpeg_backend.submit(JobRequest.for_prefix(source))
    try:
        assert transcoding.wait(60)
        ffmpeg_backend.cancel(job.id)
        final = ffmpeg_backend.wait(job.id, timeout=30)
    finally:
        unsubscribe()
    assert final.status is JobStatus.CANCELED
    assert final.outputs is None
    assert keys_under(storage, s3_prefix) == ["in/long.mp4"]
    with pytest.raises(errors.InvalidRequestError, match="only SUBMITTED or PROGRESSING"):
        ffmpeg_backend.cancel(job.id)


def test_unknown_job_and_bad_requests(ffmpeg_backend):
    with pytest.raises(errors.JobNotFoundError):
        ffmpeg_backend.get("1700000000000-zzzzzz")
    with pytest.raises(errors.InvalidRequestError, match="input_uri"):
        ffmpeg_backend.submit(JobRequest.for_prefix("/no/such/file.mp4"))
    with pytest.raises(errors.InvalidRequestError, match="no bucket"):
        ffmpeg_backend.submit(JobRequest.for_prefix("s3:///key.mp4"))
    # A destination without a base name takes the input's, which here holds a '%'.
    request = replace(JobRequest.for_prefix("s3://b/clip%d.mp4"), hls_destination="s3://b/out/hls/")
    with pytest.raises(errors.InvalidRequestError, match="may not contain '%'"):
        ffmpeg_backend.submit(request)


def test_damaged_input_completes_with_a_warning(ffmpeg_backend, storage, put_clip):
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(put_clip(clip_path("corrupt_ts"))))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert len(job.warnings) == 1
    assert "damaged data" in job.warnings[0]
    assert job.outputs is not None
    assert validate_hls(job.outputs.master_playlist_uri, storage=storage).ok


def test_clean_input_has_no_warning(ffmpeg_backend, put_clip):
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(put_clip(clip_path("short_2s"))))
    assert job.status is JobStatus.COMPLETE
    assert job.warnings == ()


def test_cancel_while_uploading_withdraws_what_was_written(
    backend_settings, storage, put_clip, s3_prefix, tmp_path
):
    source = put_clip(clip_path("short_2s"), "in/clip.mp4")
    uploading = threading.Event()
    proceed = threading.Event()

    class SlowStorage(Storage):
        """Holds the first upload batch until the test has cancelled the job."""

        def put_many(self, pairs, workers=8, written=None):
            super().put_many(pairs, workers, written)
            uploading.set()
            proceed.wait(30)

    backend = FFmpegBackend(
        settings=backend_settings.replace(work_dir=tmp_path),
        storage=SlowStorage(backend_settings, storage.client),
    )
    try:
        job = backend.submit(JobRequest.for_prefix(source))
        assert uploading.wait(60)
        assert any(k.startswith("in/clip_processed/") for k in keys_under(storage, s3_prefix))
        backend.cancel(job.id)
        proceed.set()
        final = backend.wait(job.id, timeout=30)
    finally:
        proceed.set()
        backend.close()
    assert final.status is JobStatus.CANCELED
    assert keys_under(storage, s3_prefix) == ["in/clip.mp4"]


def test_video_only_ladder_leaves_the_source_audio_out(ffmpeg_backend, storage, put_clip):
    ladder = replace(DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP), audio=None)
    path = clip_path("short_2s")
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(put_clip(path), ladder=ladder))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    report = validated(job, ladder, path, storage)
    assert report.ok, report.render_text()
    assert all(r.audio is None for r in report.renditions)
    assert all("mp4a" not in (r.codecs or "") for r in report.renditions)


def test_withdrawal_removes_only_what_this_job_wrote(
    backend_settings, storage, put_clip, s3_prefix, tmp_path
):
    """A re-run into the same folder fails while uploading: the earlier run's files stay."""
    source = put_clip(clip_path("short_2s"), "in/clip.mp4")
    first = run_on_a_backend_of_its_own(backend_settings, storage, tmp_path / "a", source)
    assert first.status is JobStatus.COMPLETE
    before = keys_under(storage, s3_prefix)

    class FailingPlaylists(Storage):
        """Segments upload; the playlists' upload fails."""

        def put_many(self, pairs, workers=8, written=None):
            if any(uri.endswith(".m3u8") for _, uri in pairs):
                raise errors.TranscodeError(errors.FILE_OPEN_ERROR, "storage went away")
            super().put_many(pairs, workers, written)

    failing = FailingPlaylists(backend_settings, storage.client)
    second = run_on_a_backend_of_its_own(backend_settings, failing, tmp_path / "b", source)
    assert second.status is JobStatus.ERROR
    # The segments the second run rewrote are withdrawn; playlists it never wrote remain.
    after = keys_under(storage, s3_prefix)
    assert [k for k in after if k.endswith(".m3u8")] == [k for k in before if k.endswith(".m3u8")]
    assert not any(k.endswith(".ts") for k in after)


def test_audio_longer_than_the_video_is_not_a_truncation(ffmpeg_backend, put_clip):
    media = probe(clip_path("audio_tail"))
    assert media.video_duration_s is not None
    assert media.duration_s > media.video_duration_s + 1  # the clip is what it says
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(put_clip(clip_path("audio_tail"))))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    assert all(r.duration_ms >= 1900 for r in job.outputs.renditions)
