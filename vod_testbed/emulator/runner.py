"""Runs the emulator's jobs: queues, concurrency, the FFmpeg backend, events.

Each queue runs at most its ``concurrentJobs`` jobs at once (EMULATOR_QUEUE_CONCURRENCY
unless the queue sets its own); the others wait in SUBMITTED and start by priority (high
first), then age. A PAUSED queue starts nothing. A started job is PROGRESSING; its settings
are parsed into the job model (docs/ARCHITECTURE.md, "The job model") and handed to a
:class:`Transcoder` (the FFmpeg backend), as the ladder job it is or as the model. Its
snapshots are mapped onto the MediaConvert job: status,
``currentPhase``, ``jobPercentComplete``, timing, ``outputGroupDetails`` measured from the
real outputs, ``errorCode``/``errorMessage``. Every transition emits its event.

All transitions happen on the runner's one thread (snapshots arrive through a queue),
except CancelJob, which takes the same lock.

A job that was PROGRESSING when the emulator stopped ends in ERROR at the next start
(see :data:`INTERRUPTED_MESSAGE`): its transcode died with the process, a half-uploaded
output cannot be trusted, and AWS's own automatic retries are not emulated.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job, JobPhase, JobRequest, JobStatus
from vod_testbed.backends.mediaconvert import events
from vod_testbed.backends.mediaconvert.parse import EMULATION_WARNING
from vod_testbed.common import errors
from vod_testbed.common.clock import Clock, system_clock
from vod_testbed.common.worker import Worker
from vod_testbed.emulator import input_errors, outputs
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.exceptions import MediaConvertError
from vod_testbed.emulator.faults import Faults
from vod_testbed.emulator.models import MediaConvertModel
from vod_testbed.emulator.records import JobRecord, QueueRecord
from vod_testbed.emulator.store import Store
from vod_testbed.emulator.validation import read_stored_settings

log = logging.getLogger(__name__)

TICK_S = 0.05
# With nothing due, the longest the runner sleeps: every change that can start a job
# (CreateJob, a queue updated, a job's end, a cancel) wakes it at once.
IDLE_S = 1.0
INTERRUPTED_MESSAGE = (
    "The emulator stopped while this job was PROGRESSING; its transcode did not survive the "
    "restart and it was not resumed. Submit the job again."
)
Publisher = Callable[[dict[str, Any]], None]
TranscoderFactory = Callable[[], Transcoder]


def interval_seconds(status_update_interval: str) -> float:
    """``SECONDS_10`` -> 10.0."""
    return float(status_update_interval.removeprefix("SECONDS_"))


@dataclass
class _Running:
    job_id: str
    queue: str
    interval_s: float
    next_status_at: float
    launch_at: float
    backend_id: str | None = None
    input_reported: bool = False
    # The backend's warnings already published (they arrive with its snapshots).
    warned: int = 0


class JobRunner:
    """Schedules queued jobs, runs them with a Transcoder and publishes their events."""

    def __init__(
        self,
        store: Store,
        settings: EmulatorSettings,
        faults: Faults,
        publish: Publisher,
        transcoder_factory: TranscoderFactory,
        clock: Clock = system_clock,
    ) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.faults = faults
        self.publish = publish
        self._factory = transcoder_factory
        self._model: MediaConvertModel | None = None
        self._transcoder: Transcoder | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._snapshots: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._running: dict[str, _Running] = {}
        self._by_backend: dict[str, str] = {}
        self._lock = threading.RLock()
        self._worker = Worker("job-runner", self.run_once)

    @property
    def model(self) -> MediaConvertModel:
        if self._model is None:
            raise RuntimeError("the runner has not been started")
        return self._model

    @property
    def transcoder(self) -> Transcoder:
        if self._transcoder is None:
            self._transcoder = self._factory()
            self._unsubscribe = self._transcoder.subscribe(self._receive)
        return self._transcoder

    def _receive(self, snapshot: Job) -> None:
        # Applied by the next pass, run now: each phase of a job waited up to a tick before.
        self._snapshots.put(snapshot)
        self._worker.wake()

    def start(self, model: MediaConvertModel) -> None:
        """End jobs interrupted by the last stop, then start scheduling."""
        self._model = model
        for row in self.store.list_jobs(status=JobStatus.PROGRESSING):
            self._finish(
                row.job.id,
                JobStatus.ERROR,
                {"error_code": errors.UNKNOWN_ERROR, "error_message": INTERRUPTED_MESSAGE},
            )
        self._worker.start()

    def close(self) -> None:
        """Stop scheduling and kill running transcodes (their jobs end at the next start)."""
        self._worker.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._transcoder is not None:
            self._transcoder.close()

    # -- JobControl -------------------------------------------------------------------

    def wake(self) -> None:
        self._worker.wake()

    def cancel(self, job_id: str) -> JobRecord:
        with self._lock:
            running = self._running.pop(job_id, None)
            if running is not None and running.backend_id is not None:
                self._by_backend.pop(running.backend_id, None)
                # If it finished on the backend's side a moment ago, CANCELED still wins here.
                with contextlib.suppress(errors.JobNotFoundError, errors.InvalidRequestError):
                    self.transcoder.cancel(running.backend_id)
            job = self._finish(job_id, JobStatus.CANCELED, {})
        self._worker.wake()
        return job if job is not None else self.model.get_job(job_id)

    # -- the loop ---------------------------------------------------------------------

    def run_once(self) -> float:
        """One scheduling pass: apply the backend's snapshots, launch, start queued jobs,
        send the status updates that are due. The worker thread calls this when woken or when
        the next launch or status update is due; tests may too, with the clock moved.
        Returns the wait before the next."""
        with self._lock:
            self._drain_snapshots()
            self._launch_due()
            self._schedule()
            self._send_status_updates()
            return self._next_wait()

    def _next_wait(self) -> float:
        # An idle emulator must not query its store 20 times a second.
        due = [r.next_status_at for r in self._running.values()]
        due += [r.launch_at for r in self._running.values() if r.backend_id is None]
        if not due:
            return IDLE_S
        return min(IDLE_S, max(TICK_S, min(due) - self.clock()))

    def _schedule(self) -> None:
        for queue_record in self.store.list_resources(QueueRecord):
            if queue_record.status == "PAUSED":
                continue
            arn = queue_record.arn
            busy = sum(1 for r in self._running.values() if r.queue == arn)
            free = self.model.queue_concurrency(queue_record) - busy
            if free > 0:
                for job in self.store.next_submitted_jobs(arn)[:free]:
                    self._start(job)

    def _start(self, job: JobRecord) -> None:
        now = self.clock()
        warnings = job.settings_warnings

        def mutate(record: JobRecord) -> bool:
            if record.status != JobStatus.SUBMITTED:
                return False
            record.status = JobStatus.PROGRESSING
            record.timing["startTime"] = int(now)
            record.current_phase = JobPhase.PROBING
            record.job_percent_complete = 0
            if warnings:
                counts = Counter(int(code) for code, _ in warnings)
                record.warnings = [{"code": c, "count": n} for c, n in counts.items()]
                record.messages["warning"] = [str(message) for _, message in warnings]
            return True

        updated = self.store.update_job(job.id, mutate)
        if updated is None or updated.status != JobStatus.PROGRESSING:
            return
        failure, delay = self.faults.take_job_faults(job.id)
        wire = updated.to_wire()
        self.publish(events.progressing(self.settings, wire, now=now))
        for code, message in warnings:
            self.publish(events.new_warning(self.settings, wire, int(code), str(message), now=now))
        if failure is not None:
            self._finish(
                job.id,
                JobStatus.ERROR,
                {"error_code": failure.code, "error_message": failure.message},
            )
            return
        interval = interval_seconds(updated.status_update_interval) / self.settings.time_compression
        self._running[job.id] = _Running(
            job_id=job.id,
            queue=updated.queue,
            interval_s=interval,
            next_status_at=now + interval,
            launch_at=now + delay,
        )

    def _launch_due(self) -> None:
        now = self.clock()
        for running in list(self._running.values()):
            if running.backend_id is None and now >= running.launch_at:
                self._launch(running)

    def _launch(self, running: _Running) -> None:
        job = self.model.get_job(running.job_id)
        try:
            parsed = read_stored_settings(job.settings, job.user_metadata)
            # A ladder job runs as the ladder it is; any other job as its model.
            request = parsed.ladder or JobRequest.for_model(parsed.job)
            backend_job = self.transcoder.submit(request)
        except MediaConvertError as exc:
            self._fail(running, errors.SETTINGS_ERROR, exc.message)
        except errors.InvalidRequestError as exc:
            self._fail(running, errors.SETTINGS_ERROR, str(exc))
        except errors.TranscodeError as exc:
            self._fail(running, exc.code, exc.message)
        except Exception as exc:
            # E.g. no ffmpeg to be found: the job must end, not stay PROGRESSING forever.
            log.exception("job %s could not be started", running.job_id)
            self._fail(
                running,
                errors.UNKNOWN_ERROR,
                f"The transcoder could not start the job: {type(exc).__name__}: {exc}",
            )
        else:
            running.backend_id = backend_job.id
            self._by_backend[backend_job.id] = running.job_id

    def _fail(self, running: _Running, code: int, message: str) -> None:
        self._running.pop(running.job_id, None)
        self._finish(
            running.job_id, JobStatus.ERROR, {"error_code": code, "error_message": message}
        )

    def _drain_snapshots(self) -> None:
        while True:
            try:
                snapshot = self._snapshots.get_nowait()
            except queue.Empty:
                return
            job_id = self._by_backend.get(snapshot.id)
            if job_id is not None and job_id in self._running:
                self._apply(self._running[job_id], snapshot)

    def _apply(self, running: _Running, snapshot: Job) -> None:
        job_id = running.job_id
        if snapshot.input_details and not running.input_reported:
            running.input_reported = True
            job = self.model.get_job(job_id).to_wire()
            details = [snapshot.input_details]
            self.publish(events.input_information(self.settings, job, details, now=self.clock()))
        self._publish_warnings(running, snapshot)
        if snapshot.status is JobStatus.PROGRESSING:
            phase = snapshot.phase or JobPhase.PROBING
            percent = snapshot.percent_complete

            def progress(record: JobRecord) -> bool:
                if record.status != JobStatus.PROGRESSING:
                    return False
                record.current_phase = phase
                record.job_percent_complete = percent
                return True

            self.store.update_job(job_id, progress)
            return
        if not snapshot.status.is_final:
            return
        self._running.pop(job_id, None)
        self._by_backend.pop(snapshot.id, None)
        if snapshot.status is JobStatus.COMPLETE and snapshot.outputs is not None:
            settings = self.model.get_job(job_id).settings
            groups = outputs.event_output_group_details(settings, snapshot.outputs)
            self._finish(
                job_id,
                JobStatus.COMPLETE,
                {
                    "job_percent_complete": 100,
                    "output_group_details": outputs.api_output_group_details(groups),
                },
                groups,
            )
        elif snapshot.status is JobStatus.CANCELED:
            self._finish(job_id, JobStatus.CANCELED, {})
        else:
            code, message = input_errors.as_aws_reports(
                snapshot.error_code or errors.UNKNOWN_ERROR,
                snapshot.error_message or "The transcode failed.",
                snapshot.request.input_uri,
            )
            self._finish(job_id, JobStatus.ERROR, {"error_code": code, "error_message": message})

    def _publish_warnings(self, running: _Running, snapshot: Job) -> None:
        """What the transcoder found while running (a silent input, an approximated
        ladder ...): each a NEW_WARNING event and a line of the job's warnings, as the
        settings' warnings are."""
        fresh = snapshot.warnings[running.warned :]
        if not fresh:
            return
        running.warned = len(snapshot.warnings)

        def mutate(record: JobRecord) -> bool:
            counts = Counter({int(w["code"]): int(w["count"]) for w in record.warnings or []})
            counts[EMULATION_WARNING] += len(fresh)
            record.warnings = [{"code": c, "count": n} for c, n in counts.items()]
            record.messages["warning"] = [*record.messages.get("warning", []), *fresh]
            return True

        job = self.store.update_job(running.job_id, mutate)
        if job is None:
            return
        wire = job.to_wire()
        for message in fresh:
            self.publish(
                events.new_warning(
                    self.settings, wire, EMULATION_WARNING, message, now=self.clock()
                )
            )

    def _send_status_updates(self) -> None:
        now = self.clock()
        for running in self._running.values():
            if now < running.next_status_at:
                continue
            # From this update, not from when it was due: a late tick must not bring the
            # next one closer than the interval.
            running.next_status_at = now + running.interval_s
            job = self.model.get_job(running.job_id)
            if job.status == JobStatus.PROGRESSING:
                self.publish(events.status_update(self.settings, job.to_wire(), now=now))

    def _finish(
        self,
        job_id: str,
        status: JobStatus,
        changes: dict[str, Any],
        groups: list[dict[str, Any]] | None = None,
    ) -> JobRecord | None:
        """Move a job to a final status and publish its event; a final job never moves.
        ``changes`` are JobRecord fields. Returns the job as stored, or None if it was
        already final."""
        now = self.clock()
        changed = False

        def mutate(record: JobRecord) -> bool:
            nonlocal changed
            if record.status.is_final:
                return False
            changed = True
            record.status = status
            record.timing["finishTime"] = int(now)
            record.current_phase = None
            for name, value in changes.items():
                setattr(record, name, value)
            return True

        job = self.store.update_job(job_id, mutate)
        if job is None or not changed:
            return None
        wire = job.to_wire()
        if status is JobStatus.COMPLETE:
            self.publish(events.complete(self.settings, wire, groups or [], now=now))
        elif status is JobStatus.ERROR:
            self.publish(events.error(self.settings, wire, now=now))
        else:
            self.publish(events.canceled(self.settings, wire, now=now))
        return job
