"""The ladder of the fixtures' 1080p clip, transcoded once per session into a local folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.interface import JobStatus
from vod_testbed.backends.job import JobRequest
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures.media import clip_path


@pytest.fixture(scope="session")
def ladder_1080p(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(master playlist, source clip) of the default ladder made from ``landscape_1080p``."""
    source = clip_path("landscape_1080p")
    out = tmp_path_factory.mktemp("report") / "clip_processed"
    backend = FFmpegBackend(settings=BackendSettings.from_env())
    try:
        job = backend.wait(backend.submit(JobRequest.for_prefix(str(source), str(out))).id, 180)
    finally:
        backend.close()
    assert job.status is JobStatus.COMPLETE, job.error_message
    return out / "hls" / "master.m3u8", source
