"""Job snapshots of an in-process transcoder, applied like webhook events.

With the FFmpeg backend there is no EventBridge: state changes arrive through
:meth:`vod_testbed.backends.interface.Transcoder.subscribe`. The bridge turns each snapshot into the
:class:`pipeline.job_events.JobStateChange` a webhook event would give and applies it with
the same service function. Snapshots are queued and applied from the bridge's own thread
(the transcoder's worker never waits on the database); one whose application fails is
tried again with backoff, never dropped.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job
from vod_testbed.common.logs import log_context
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.job_events import JobStateChange, change_from_job

log = logging.getLogger(__name__)

_STOP = None


class JobBridge:
    """Applies ``transcoder``'s job changes through ``service`` until :meth:`close`."""

    def __init__(
        self,
        transcoder: Transcoder,
        service: ContentService,
        retry_base_s: float = 0.2,
        retry_max_s: float = 10.0,
    ) -> None:
        self.service = service
        self.retry_base_s = retry_base_s
        self.retry_max_s = retry_max_s
        self._queue: queue.Queue[JobStateChange | None] = queue.Queue()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-bridge", daemon=True)
        self._thread.start()
        self._unsubscribe: Callable[[], None] = transcoder.subscribe(self.on_job)

    def on_job(self, job: Job) -> None:
        """The transcoder's listener: queue the change ``job`` stands for."""
        change = change_from_job(job)
        if change is not None:
            self._queue.put(change)

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
        self._queue.put(_STOP)
        self._thread.join(timeout_s)
        self._closing.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while True:
            change = self._queue.get()
            try:
                if change is _STOP:
                    return
                self._apply_until_done(change)
            finally:
                self._queue.task_done()

    def _apply_until_done(self, change: JobStateChange) -> None:
        delay = self.retry_base_s
        with log_context(asset_id=change.asset_id, job_id=change.job_id):
            while True:
                try:
                    self.service.apply_job_change(change)
                    return
                except Exception:
                    log.exception("applying %s failed; retrying in %.1f s", change.status, delay)
                if self._closing.wait(delay):
                    return
                delay = min(self.retry_max_s, delay * 2)
