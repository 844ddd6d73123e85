"""Running one job on the FFmpeg backend and validating what it wrote."""

from __future__ import annotations

import threading
from pathlib import Path

from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import Job, JobRequest, JobStatus
from vod_testbed.backends.ladder import Ladder
from vod_testbed.hls.validation import ValidationReport, validate_hls
from vod_testbed.media.probe import probe
from vod_testbed.storage.s3 import Storage

TIMEOUT = 180


def run_job(backend: FFmpegBackend, request: JobRequest) -> tuple[Job, list[Job]]:
    """Submit ``request`` and wait for its final state; returns the final job and every
    state of it that listeners were told of, the final one included."""
    seen: list[Job] = []
    lock = threading.Lock()
    told_final = threading.Event()
    job_id: list[str] = []

    def record(job: Job) -> None:
        with lock:
            seen.append(job)
            if job_id and job.id == job_id[0] and job.status.is_final:
                told_final.set()

    unsubscribe = backend.subscribe(record)
    try:
        job = backend.submit(request)
        with lock:
            job_id.append(job.id)
            if any(j.id == job.id and j.status.is_final for j in seen):
                told_final.set()
        final = backend.wait(job.id, timeout=TIMEOUT)
        # wait() sees the final state as soon as it is stored, which can be before the
        # worker has told the listeners about it.
        assert told_final.wait(TIMEOUT), "listeners were never told of the final state"
    finally:
        unsubscribe()
    return final, [j for j in seen if j.id == job.id]


def validated(job: Job, ladder: Ladder, source: Path, storage: Storage) -> ValidationReport:
    """The validation report of a completed job's outputs, against its ladder and source."""
    assert job.outputs is not None
    return validate_hls(
        job.outputs.master_playlist_uri,
        expected=ladder,
        source_duration_s=probe(source, audio_only=ladder.audio_only).duration_s,
        storage=storage,
    )


def valid_ladder(
    backend: FFmpegBackend,
    storage: Storage,
    source: Path,
    uri: str,
    ladder: Ladder,
    sizes: list[tuple[int, int]],
) -> ValidationReport:
    """Transcode ``source`` (uploaded at ``uri``) and check that the job completed with
    renditions of ``sizes`` and an output that validates; returns the validation report."""
    job, _ = run_job(backend, JobRequest.for_prefix(uri, ladder=ladder))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    assert [(r.width, r.height) for r in job.outputs.renditions] == sizes
    report = validated(job, ladder, source, storage)
    assert report.ok, report.render_text()
    return report
