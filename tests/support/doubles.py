"""Test doubles shared by the pipeline's tests."""

from __future__ import annotations

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job, JobRequest, JobStatus, new_job_id


class RecordingTranscoder(Transcoder):
    """Accepts jobs and remembers them; runs nothing."""

    name = "recording"

    def __init__(self) -> None:
        super().__init__()
        self.jobs: dict[str, Job] = {}

    def submit(self, request: JobRequest) -> Job:
        job = Job(id=new_job_id(), request=request)
        self.jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Job:
        return self.jobs[job_id]

    def list(self, status: JobStatus | None = None) -> list[Job]:
        return list(self.jobs.values())

    def cancel(self, job_id: str) -> Job:
        return self.jobs[job_id]
