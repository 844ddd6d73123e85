"""Inputs are media, never instructions: an upload that is a playlist or a concat list
naming files of the server is refused with 1010 wherever it enters - the prober, the FFmpeg
backend, the emulator's CreateJob, the upload trigger and ``vod-testbed transcode`` - and
nothing of the server's files is read or published."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.support.attacks import ATTACKS, mediaconvert
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.cli.main import main
from vod_testbed.common import errors
from vod_testbed.media.probe import probe
from vod_testbed.pipeline.assets.content_service import ContentService, ServiceReporter
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.pipeline.workers.watcher import object_created_event
from vod_testbed.storage.s3 import Storage

WHAT = {
    "hls-to-server-video": "an HLS/M3U playlist",
    "hls-to-etc-passwd": "an HLS/M3U playlist",
    "concat-to-server-video": "an ffconcat list",
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_prober_refuses_a_playlist_or_list_with_1010(
    host_files: dict[str, Path], attack: str
) -> None:
    with pytest.raises(errors.TranscodeError) as refused:
        probe(host_files[attack])
    assert refused.value.code == errors.INPUT_ERROR
    assert refused.value.message.startswith(f"The input is {WHAT[attack]}; only video files")
    assert str(host_files["private"].parent) not in refused.value.message


@pytest.mark.e2e
def test_the_ffmpeg_backend_fails_the_job_with_1010_and_publishes_nothing(
    ffmpeg_backend: FFmpegBackend, host_files: dict[str, Path], tmp_path: Path
) -> None:
    request = JobRequest.for_prefix(str(host_files["hls-to-server-video"]), str(tmp_path / "out"))
    job = ffmpeg_backend.wait(ffmpeg_backend.submit(request).id, timeout=120)
    assert (job.status, job.error_code) == (JobStatus.ERROR, errors.INPUT_ERROR)
    assert "HLS/M3U playlist" in (job.error_message or "")
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_the_emulator_fails_a_createjob_on_a_playlist_with_1010(
    make_app: Any,
    serve: Any,
    backend_settings: Any,
    storage: Storage,
    s3_prefix: str,
    host_files: dict[str, Path],
) -> None:
    source = f"{s3_prefix}/lecture.m3u8"
    storage.put(host_files["hls-to-server-video"], source)
    server = serve(
        make_app(
            transcoder_factory=lambda: FFmpegBackend(settings=backend_settings, storage=storage)
        )
    )
    mc = mediaconvert(server.url)
    settings = render_job_settings(JobRequest.for_prefix(source, f"{s3_prefix}/out"))
    job_id = mc.create_job(Role="arn:aws:iam::123456789012:role/R", Settings=settings)["Job"]["Id"]
    deadline = time.monotonic() + 120
    job = mc.get_job(Id=job_id)["Job"]
    while job["Status"] not in ("COMPLETE", "ERROR") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = mc.get_job(Id=job_id)["Job"]
    assert (job["Status"], job["ErrorCode"]) == ("ERROR", 1010)
    assert "HLS/M3U playlist" in job["ErrorMessage"]
    assert list(storage.list(f"{s3_prefix}/out/")) == []


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_uploaded_playlist_fails_the_video_with_1010_and_gets_no_job(
    service: ContentService,
    pipeline_settings: PipelineSettings,
    storage: Storage,
    host_files: dict[str, Path],
    attack: str,
) -> None:
    class NoJobs:
        name = "none"

        def submit(self, request: JobRequest) -> Any:
            raise AssertionError("a job was created for an instruction file")

    upload = host_files[attack]
    # POST /videos refuses a .m3u8 name (uploads end with a video extension); the same
    # instructions under a video name must still be refused, by their content.
    video = service.handle_video_upload(
        "user-1", f"{upload.stem}.mp4", "video/mp4", upload.stat().st_size, "course-1"
    ).video
    storage.client.put_object(
        Bucket=pipeline_settings.bucket,
        Key=video["key"],
        Body=upload.read_bytes(),
        ContentType="video/mp4",
    )
    trigger = UploadTrigger(pipeline_settings, NoJobs(), ServiceReporter(service))  # type: ignore[arg-type]
    event = object_created_event(pipeline_settings.bucket, video["key"], video["size_bytes"])
    assert trigger.handle(event)["rejected"] == [video["key"]]
    failed = service.get(video["id"])
    assert failed is not None
    assert (failed["status"], failed["error"]["code"]) == ("failed", 1010)
    assert WHAT[attack] in failed["error"]["message"]


@pytest.mark.e2e
def test_vod_testbed_transcode_refuses_a_playlist(
    host_files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("VOD_WORK_DIR", str(tmp_path / f"work-{uuid.uuid4().hex[:6]}"))
    out = tmp_path / "out"
    code = main(["transcode", str(host_files["hls-to-server-video"]), "--out", str(out)])
    assert code == 1
    assert "ERROR: [1010] The input is an HLS/M3U playlist" in capsys.readouterr().err
    assert not out.exists()
