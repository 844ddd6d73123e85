"""The FFmpeg backend: MediaConvert's ladder, files and job lifecycle, made by a local ffmpeg.

A job runs in a worker thread: PROBING (fetch the input, read it with PyAV), TRANSCODING
(one ffmpeg process for every rendition and the thumbnails, progress from ``-progress``),
UPLOADING (checked outputs published to S3 or a folder, master playlist last). Output is
written to a private work directory first, so nothing is published unless the whole job
succeeded; a cancelled or failed job publishes nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vod_testbed.backends.ffmpeg.binary import choose_ffmpeg
from vod_testbed.backends.ffmpeg.compile import Source
from vod_testbed.backends.ffmpeg.ladder_job import run_ladder
from vod_testbed.backends.ffmpeg.model_job import assemble_inputs, loudness_logs, run_model
from vod_testbed.backends.ffmpeg.process import job_workdir, remove_stale_workdirs
from vod_testbed.backends.ffmpeg.run import PROBE_END, JobCanceled, JobContext, Run
from vod_testbed.backends.ffmpeg.validation import validate_request
from vod_testbed.backends.in_process import InProcessTranscoder
from vod_testbed.backends.job import Job, JobPhase, JobRequest, JobStatus, new_job_id
from vod_testbed.backends.jobmodel.automated_abr import expanded
from vod_testbed.backends.jobmodel.inputs import Resolution
from vod_testbed.backends.jobmodel.ladder import ladder_request
from vod_testbed.backends.jobmodel.timeline import needs_assembly
from vod_testbed.backends.source import display_size
from vod_testbed.common import errors
from vod_testbed.common.settings import BackendSettings
from vod_testbed.media.probe import probe
from vod_testbed.storage.s3 import Storage

__all__ = ["FFmpegBackend", "JobCanceled"]

log = logging.getLogger(__name__)


class FFmpegBackend(InProcessTranscoder):
    """Transcoder that runs jobs in-process with ffmpeg (see module docstring). Raises
    UnusableFFmpegError at construction for an unusable ``FFMPEG_BINARY``."""

    name = "ffmpeg"

    def __init__(self, settings: BackendSettings | None = None, storage: Storage | None = None):
        super().__init__()
        self.settings = settings or BackendSettings.from_env()
        self.storage = storage or Storage(self.settings)
        # Chosen up front: a misconfigured FFMPEG_BINARY is refused before any job.
        self.ffmpeg = choose_ffmpeg(self.settings.ffmpeg_binary)
        self._runs: dict[str, Run] = {}
        self._lock = threading.Lock()  # guards _runs
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, self.settings.max_concurrent_jobs), thread_name_prefix="ffmpeg-job"
        )
        remove_stale_workdirs(self.settings.work_dir)

    # -- the interface -------------------------------------------------------------------

    def submit(self, request: JobRequest) -> Job:
        validate_request(request)
        job = Job(id=new_job_id(), request=request)
        with self._lock:
            # Before the job is known: whoever can get() it, cancel() included, finds its run.
            self._runs[job.id] = Run()
        self._add(job)
        self._pool.submit(self._run_job, job.id)
        return job

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        if job.status.is_final:
            raise errors.InvalidRequestError(
                "job_id",
                f"job {job_id} is {job.status}; only SUBMITTED or PROGRESSING jobs can be canceled",
            )
        run = self._runs[job_id]
        with run.lock:
            run.canceled.set()
            if run.process is not None and run.process.poll() is None:
                run.process.kill()
        if job.status is JobStatus.SUBMITTED:
            # Never started: the worker will see the flag and skip it.
            return self._update(job_id, status=JobStatus.CANCELED, finished_at=time.time())
        return self.get(job_id)

    def close(self) -> None:
        for job in self.list():
            if not job.status.is_final:
                self.cancel(job.id)
        self._pool.shutdown(wait=True)

    # -- the worker ----------------------------------------------------------------------

    def _run_job(self, job_id: str) -> None:
        run = self._runs[job_id]
        if run.canceled.is_set():
            return
        try:
            with job_workdir(self.settings.work_dir, job_id) as work:
                self._execute(self._context(job_id, run, work))
        except JobCanceled:
            self._update(job_id, status=JobStatus.CANCELED, finished_at=time.time())
        except errors.TranscodeError as exc:
            if run.canceled.is_set():
                self._update(job_id, status=JobStatus.CANCELED, finished_at=time.time())
            else:
                log.warning("job %s failed: %s", job_id, exc, extra={"job_id": job_id})
                self._fail(job_id, exc.code, exc.message)
        except OSError as exc:
            code = errors.DISK_FULL if exc.errno == 28 else errors.UNKNOWN_ERROR
            # strerror, not str(exc): job messages are public and must not show host paths.
            self._fail(job_id, code, f"Local I/O failed: {exc.strerror or 'I/O error'}")
        except Exception:  # the job, not the worker, must carry any failure
            log.exception("job %s crashed", job_id, extra={"job_id": job_id})
            self._fail(job_id, errors.UNKNOWN_ERROR, "Unexpected error in the transcoder.")
        finally:
            with self._lock:
                self._runs[job_id].process = None

    def _fail(self, job_id: str, code: int, message: str) -> None:
        changes = {"error_code": code, "error_message": message, "finished_at": time.time()}
        self._update(job_id, status=JobStatus.ERROR, **changes)

    def _context(self, job_id: str, run: Run, work: Path) -> JobContext:
        return JobContext(
            job_id, run, work, self.settings, self.storage, self.ffmpeg, self._update, self.get
        )

    def _execute(self, ctx: JobContext) -> None:
        """Probe the input (assembled first if the model needs it), then run the job's path."""
        job_id = ctx.job_id
        job = self._update(
            job_id, status=JobStatus.PROGRESSING, phase=JobPhase.PROBING, started_at=time.time()
        )
        request = job.request
        if request.model is not None:
            # A model that is exactly a ladder job runs as one, as the MediaConvert backend
            # sends it and the emulator runs it (docs/ARCHITECTURE.md, "The job model").
            request = ladder_request(request.model) or request
        model = request.model
        ladder = request.ladder
        if model is not None and needs_assembly(model):
            # Several inputs, clips, selections, images or loudness: the output timeline is
            # assembled first, and the job reads it as its one input (docs/inputs-and-audio.md).
            assembly = assemble_inputs(ctx, model)
            logs = loudness_logs(self.ffmpeg, assembly, model)
            source, media, model = assembly.path, probe(assembly.path), assembly.spec
            details = assembly.media.to_input_details(request.input_uri)
        else:
            logs = []
            source = ctx.fetch_input(request.input_uri, ctx.work)
            media = probe(source, audio_only=ladder.audio_only or ladder.audio_outputs_only)
            details = media.to_input_details(request.input_uri)
        ctx.check_canceled()
        self._update(
            job_id,
            input_details=details,
            source_duration_s=media.duration_s,
            percent_complete=PROBE_END,
        )
        if model is not None:
            display = display_size(media, model.inputs[0].rotate)
            model, notes = expanded(model, Resolution(*display))
            for note in notes:
                ctx.warn(note)
            run_model(ctx, model, Source(source, media, model.inputs[0]), logs)
            return
        run_ladder(ctx, request, media, source)
