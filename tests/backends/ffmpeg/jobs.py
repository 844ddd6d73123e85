"""Running one job on the FFmpeg backend and validating what it wrote."""

from __future__ import annotations

from pathlib import Path

from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import Job, JobRequest
from vod_testbed.backends.ladder import Ladder
from vod_testbed.hls.validation import ValidationReport, validate_hls
from vod_testbed.media.probe import probe
from vod_testbed.storage.s3 import Storage

TIMEOUT = 180


def run_job(backend: FFmpegBackend, request: JobRequest) -> tuple[Job, list[Job]]:
    seen: list[Job] = []
    unsubscribe = backend.subscribe(seen.append)
    job = backend.submit(request)
    try:
        final = backend.wait(job.id, timeout=TIMEOUT)
    finally:
        unsubscribe()
    return final, [j for j in seen if j.id == job.id]


def validated(job: Job, ladder: Ladder, source: Path, storage: Storage) -> ValidationReport:
    """The validation report of a completed job's outputs, against its ladder and source."""
    assert job.outputs is not None
    return validate_hls(
        job.outputs.master_playlist_uri,
        expected=ladder,
        source_duration_s=probe(source).duration_s,
        storage=storage,
    )
