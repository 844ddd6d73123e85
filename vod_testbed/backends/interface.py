"""The transcoder interface every backend implements."""

from __future__ import annotations

import abc
import contextlib
import logging
import threading
import time
from collections.abc import Callable

from vod_testbed.backends.job import Job, JobRequest, JobStatus

log = logging.getLogger(__name__)

JobListener = Callable[[Job], None]


class Transcoder(abc.ABC):
    """Submit, inspect and cancel transcoding jobs; be told when they change.

    Implementations: :class:`vod_testbed.backends.ffmpeg.backend.FFmpegBackend` (in-process) and
    :class:`backends.mediaconvert.backend.MediaConvertBackend` (the MediaConvert API, real
    or emulated). Jobs are immutable snapshots; listeners receive a new snapshot whenever
    status, phase or percent complete changes.
    """

    name: str = ""

    def __init__(self) -> None:
        self._listeners: list[JobListener] = []
        self._listeners_lock = threading.Lock()

    @abc.abstractmethod
    def submit(self, request: JobRequest) -> Job:
        """Create a job and start it. Returns the job in SUBMITTED state.

        Raises:
            InvalidRequestError: an argument is malformed (the field is named).
        """

    @abc.abstractmethod
    def get(self, job_id: str) -> Job:
        """The job's current snapshot. Raises JobNotFoundError."""

    @abc.abstractmethod
    def list(self, status: JobStatus | None = None) -> list[Job]:
        """Jobs, newest first, optionally only those with ``status``."""

    @abc.abstractmethod
    def cancel(self, job_id: str) -> Job:
        """Stop a job; nothing of it is published. Raises JobNotFoundError."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release workers and connections."""

    def subscribe(self, listener: JobListener) -> Callable[[], None]:
        """Call ``listener(job)`` on every change. Returns a function that unsubscribes."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, job: Job) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(job)
            except Exception:
                # A faulty listener must not break the job that notified it.
                log.exception("job listener failed", extra={"job_id": job.id})

    def wait(self, job_id: str, timeout: float | None = None, poll_s: float = 0.25) -> Job:
        """Block until the job is COMPLETE, ERROR or CANCELED (or ``timeout`` passes)."""
        done = threading.Event()

        def on_change(job: Job) -> None:
            if job.id == job_id and job.status.is_final:
                done.set()

        unsubscribe = self.subscribe(on_change)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while True:
                job = self.get(job_id)
                if job.status.is_final:
                    return job
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError(f"job {job_id} still {job.status} after {timeout} s")
                done.wait(poll_s if remaining is None else min(poll_s, remaining))
        finally:
            unsubscribe()
