"""The job table of a transcoder whose jobs run in this process, on its worker threads."""

from __future__ import annotations

import threading
from typing import Any

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job, JobStatus
from vod_testbed.common import errors


class InProcessTranscoder(Transcoder):
    """A transcoder that holds the latest snapshot of each of its jobs in memory.

    Subclasses start jobs with :meth:`_add` and move them on with :meth:`_update`, from any
    thread; :meth:`get` and :meth:`list` answer from the snapshots.
    """

    def __init__(self) -> None:
        super().__init__()
        self._jobs: dict[str, Job] = {}
        self._jobs_lock = threading.Lock()

    def get(self, job_id: str) -> Job:
        with self._jobs_lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise errors.JobNotFoundError(job_id)
        return job

    def list(self, status: JobStatus | None = None) -> list[Job]:
        with self._jobs_lock:
            jobs = list(self._jobs.values())
        jobs.sort(key=lambda j: j.created_at, reverse=True)
        return [j for j in jobs if status is None or j.status is status]

    def _add(self, job: Job) -> None:
        """Hold a new job's first snapshot, and tell the listeners."""
        with self._jobs_lock:
            self._jobs[job.id] = job
        self._notify(job)

    def _update(self, job_id: str, **changes: Any) -> Job:
        """Apply ``changes`` to the job and tell the listeners; returns the job as it is now.
        A final job is left as it is (a final state is never left)."""
        with self._jobs_lock:
            job = self._jobs[job_id]
            if job.status.is_final:
                return job
            job = job.evolve(**changes)
            self._jobs[job_id] = job
        self._notify(job)
        return job
