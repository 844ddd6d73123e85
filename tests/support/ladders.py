"""The default ladder of the fixtures' 1080p clip, transcoded once per session (per xdist
worker: tests/conftest.py keeps every test that uses it on one worker) into a local folder.
The validator's tests and the report's read it; a test that breaks a ladder breaks a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures.media import clip_path

LANDSCAPE_CLIP = "landscape_1080p"


@pytest.fixture(scope="session")
def landscape_ladder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder (``hls/``, ``thumbnails/``) of ``landscape_1080p``'s default ladder."""
    return transcode_locally(tmp_path_factory, LANDSCAPE_CLIP)


def transcode_locally(
    tmp_path_factory: pytest.TempPathFactory, clip_name: str, ladder: Ladder = DEFAULT_LADDER
) -> Path:
    """Run the FFmpeg backend once on a generated clip, into a fresh local folder."""
    clip = clip_path(clip_name)
    out_dir = tmp_path_factory.mktemp(clip_name) / "out"
    # A private work folder: the default one under /tmp is shared by every run on the machine.
    settings = BackendSettings.from_env().replace(work_dir=tmp_path_factory.mktemp("work"))
    backend = FFmpegBackend(settings=settings)
    try:
        job = backend.submit(JobRequest.for_prefix(str(clip), str(out_dir), ladder=ladder))
        job = backend.wait(job.id, timeout=180)
    finally:
        backend.close()
    assert job.status is JobStatus.COMPLETE, job.error_message
    return out_dir
