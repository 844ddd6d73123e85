"""Job snapshots of an in-process transcoder, applied like webhook events.

With the FFmpeg backend there is no EventBridge: state changes arrive through
:meth:`vod_testbed.backends.interface.Transcoder.subscribe`. The bridge turns each snapshot into the
:class:`pipeline.assets.job_events.JobStateChange` a webhook event would give and applies it with
the same service function. Snapshots are queued and applied from the bridge's own thread
(the transcoder's worker never waits on the database); one whose application fails is
tried again with backoff, never dropped.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from tenacity import Retrying, stop_when_event_set, wait_exponential

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job
from vod_testbed.common.logs import log_context
from vod_testbed.common.worker import Worker
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import JobStateChange, change_from_job

log = logging.getLogger(__name__)

# The worker is woken for every queued change; this only bounds a missed wake-up.
IDLE_WAIT_S = 1.0


class JobBridge:
    """Applies ``transcoder``'s job changes through ``service`` until :meth:`close`.

    Args:
        retry_base_s: the first wait after a failed application; it doubles.
        retry_max_s: the longest wait between tries.
    """

    def __init__(
        self,
        transcoder: Transcoder,
        service: ContentService,
        retry_base_s: float = 0.2,
        retry_max_s: float = 10.0,
    ) -> None:
        self.service = service
        self._queue: queue.Queue[JobStateChange] = queue.Queue()
        self._closing = threading.Event()
        # Tried until it succeeds or the bridge closes; a wait ends early on close.
        self._retrying = Retrying(
            wait=wait_exponential(multiplier=retry_base_s, max=retry_max_s),
            stop=stop_when_event_set(self._closing),
            sleep=self._pause,
            before_sleep=lambda state: log.error(
                "applying a job change failed; retrying in %.1f s",
                state.upcoming_sleep,
                exc_info=state.outcome.exception() if state.outcome else None,
            ),
            retry_error_callback=lambda state: None,
        )
        self._worker = Worker("job-bridge", self._step)
        self._worker.start()
        self._unsubscribe: Callable[[], None] = transcoder.subscribe(self.on_job)

    def on_job(self, job: Job) -> None:
        """The transcoder's listener: queue the change ``job`` stands for."""
        change = change_from_job(job)
        if change is not None:
            self._queue.put(change)
            self._worker.wake()

    def drain(self, timeout_s: float = 10.0) -> bool:
        """Wait until every queued change is applied; ``False`` on timeout."""
        done = threading.Event()

        def wait_for_queue() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait_for_queue, daemon=True).start()
        return done.wait(timeout_s)

    def close(self, timeout_s: float = 10.0) -> None:
        """Stop listening and apply what is queued (giving up after ``timeout_s`` on a
        change that keeps failing)."""
        self._unsubscribe()
        self.drain(timeout_s)
        self._closing.set()
        self._worker.stop(timeout_s)

    def _pause(self, seconds: float) -> None:
        self._closing.wait(seconds)

    def _step(self) -> float:
        """Apply every queued change, in order."""
        while not self._closing.is_set():
            try:
                change = self._queue.get_nowait()
            except queue.Empty:
                return IDLE_WAIT_S
            try:
                with log_context(asset_id=change.asset_id, job_id=change.job_id):
                    self._retrying(self.service.apply_job_change, change)
            finally:
                self._queue.task_done()
        return 0.0
