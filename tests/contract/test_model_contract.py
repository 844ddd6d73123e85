"""A job model through both backends: the FFmpeg backend runs it in-process, the MediaConvert
backend renders it into Settings and the emulator runs those. Same groups, same object keys,
same durations (docs/ARCHITECTURE.md, "The job model")."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.contract import Run, model_request, relative_keys, run_on_both
from tests.support.job_examples import hls_with_downloads_job
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.common.settings import BackendSettings
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def with_downloads(source: str, out: str) -> JobRequest:
    return model_request(hls_with_downloads_job(source, out))


@pytest.fixture(scope="module")
def runs(
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    backend_settings: BackendSettings,
) -> dict[str, Run]:
    return run_on_both(
        make_transcoder, storage, backend_settings.s3_bucket, "small", with_downloads
    )


def test_a_model_job_writes_the_same_files_on_both_backends(
    runs: dict[str, Run], storage: Storage
) -> None:
    for run in runs.values():
        assert run.job.status is JobStatus.COMPLETE, run.job.error_message
    keys = {name: relative_keys(storage, run.prefix) for name, run in runs.items()}
    assert keys["ffmpeg"] == keys["mediaconvert"]
    assert {
        "files/small_hevc.mp4",
        "files/small_audio.m4a",
        "files/small_mp3.mp3",
        "files/small_wav.wav",
        "hls/index.m3u8",
    } <= keys["ffmpeg"]


def test_a_model_job_reports_its_groups_alike_on_both_backends(runs: dict[str, Run]) -> None:
    groups = {}
    for name, run in runs.items():
        assert run.job.outputs is not None
        groups[name] = [
            (
                g.type,
                g.playlist_uri.removeprefix(run.prefix),
                [(o.uris[-1].removeprefix(run.prefix), o.width, o.height) for o in g.outputs],
            )
            for g in run.job.outputs.groups
        ]
        durations = [o.duration_ms for g in run.job.outputs.groups for o in g.outputs]
        assert all(abs(d - 3000) <= 200 for d in durations), (name, durations)
    assert groups["ffmpeg"] == groups["mediaconvert"]
