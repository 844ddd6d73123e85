"""A job's run bookkeeping: its cancel flag and ffmpeg process, its progress shares, and the
context every step of a job works through (status updates, warnings, one ffmpeg command,
publishing then completing)."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from vod_testbed.backends.ffmpeg.diagnostics import (
    classify_failure,
    count_concealed_errors,
    stderr_tail,
)
from vod_testbed.backends.ffmpeg.process import spawn
from vod_testbed.backends.ffmpeg.progress import percent_done, progress_blocks
from vod_testbed.backends.job import Job, JobOutputs, JobStatus
from vod_testbed.common import errors
from vod_testbed.common.settings import BackendSettings
from vod_testbed.storage.s3 import Storage, is_s3, parse_s3_uri

log = logging.getLogger(__name__)

# Share of jobPercentComplete given to each phase; transcoding dominates the wall time.
PROBE_END, TRANSCODE_END = 2, 95


class JobCanceled(Exception):
    """Raised inside a worker when its job was cancelled."""


@dataclass
class Run:
    """Mutable per-job state private to the worker (the public Job stays immutable)."""

    canceled: threading.Event = field(default_factory=threading.Event)
    process: subprocess.Popen[str] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class JobContext:
    """What one running job's steps share: the backend's settings, storage and ffmpeg, the
    job's run state and private work folder, and the backend's job record (``update``)."""

    job_id: str
    run: Run
    work: Path
    settings: BackendSettings
    storage: Storage
    ffmpeg: str
    update: Callable[..., Job]
    get: Callable[[str], Job]

    def warn(self, message: str) -> None:
        self.update(self.job_id, warnings=(*self.get(self.job_id).warnings, message))

    def check_canceled(self) -> None:
        if self.run.canceled.is_set():
            raise JobCanceled

    def fetch_input(self, input_uri: str, work: Path) -> Path:
        if not is_s3(input_uri):
            path = Path(input_uri)
            if not path.is_file():
                raise errors.TranscodeError(
                    errors.FILE_NOT_FOUND, f"Input {input_uri} does not exist."
                )
            return path
        suffix = Path(parse_s3_uri(input_uri).key).suffix[:16]
        return self.storage.fetch(input_uri, work / f"input{suffix}")

    def transcode(
        self,
        argv: list[str],
        work: Path,
        duration_s: float,
        span: tuple[int, int] = (PROBE_END, TRANSCODE_END),
    ) -> None:
        """Run one ffmpeg command; its progress moves the job within ``span`` percent."""
        job_id, run = self.job_id, self.run
        log.debug("job %s: %s", job_id, argv, extra={"job_id": job_id})
        stderr_path = work / "ffmpeg.log"
        with open(stderr_path, "w+", encoding="utf-8", errors="replace") as stderr:
            with run.lock:
                self.check_canceled()
                run.process = spawn(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    text=True,
                    bufsize=1,
                )
            process = run.process
            assert process.stdout is not None
            self._follow_progress(process.stdout, duration_s, span)
            returncode = process.wait()
            self.check_canceled()
            stderr.seek(0)
            if returncode != 0:
                # ffmpeg names files by their work-folder paths: show only their names.
                folder = f"{work}/"
                tail = [line.replace(folder, "") for line in stderr_tail(stderr)]
                raise classify_failure(tail)
            damaged = count_concealed_errors(stderr)
        if damaged:
            # Like MediaConvert, damaged input that still decodes completes, with a warning.
            self.warn(
                f"The input holds damaged data: the decoder concealed {damaged} error(s); "
                "the output may show artefacts."
            )

    def _follow_progress(self, stdout: IO[str], duration_s: float, span: tuple[int, int]) -> None:
        last = -1
        start, end = span
        for block in progress_blocks(stdout):
            percent = start + int(percent_done(block, duration_s) * (end - start) / 100)
            if percent != last:
                last = percent
                self.update(self.job_id, percent_complete=min(percent, TRANSCODE_END - 1))

    def publish_and_complete(self, publish: Callable[[list[str]], JobOutputs]) -> None:
        """Publish the checked outputs (``publish`` records every URI it writes), then mark
        the job COMPLETE."""
        written: list[str] = []
        try:
            outputs = publish(written)
            # Under the run's lock, a cancel either lands before COMPLETE (and the outputs
            # are withdrawn) or finds the job already COMPLETE; never both.
            with self.run.lock:
                self.check_canceled()
                self.update(
                    self.job_id,
                    status=JobStatus.COMPLETE,
                    phase=None,
                    percent_complete=100,
                    outputs=outputs,
                    finished_at=time.time(),
                )
        except BaseException:
            # Canceled or failed while publishing: withdraw what was written, so nothing of
            # an unfinished job stays readable.
            self.storage.delete_many(written)
            raise
