"""The one background-thread helper: every loop in the project (the emulator's runner and
delivery, the upload watcher, the job bridge, the MediaConvert poller, the report cache) is a
:class:`Worker` repeating one step."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

# After an unexpected failure, pause this long rather than spin on it.
FAILURE_PAUSE_S = 0.5


class Worker:
    """Calls ``step()`` on a daemon thread until stopped.

    ``step`` returns how long to wait before the next call at most; :meth:`wake` cuts the
    wait short. An exception in a step is logged and the loop goes on: one bad job, event or
    upload must not stop every other. The step runs on this thread only, so a test can call
    it directly instead of starting the thread.

    Args:
        name: the thread's name, also in the log.
        step: one pass of the loop; returns the wait before the next, in seconds.
    """

    def __init__(self, name: str, step: Callable[[], float]) -> None:
        self.name = name
        self._step = step
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called (a long step may check it to end early)."""
        return self._stop.is_set()

    @property
    def alive(self) -> bool:
        """True while the thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Run the next step now instead of after the wait."""
        self._wake.set()

    def sleep(self, seconds: float) -> bool:
        """Wait inside a step, cut short by :meth:`stop`; True if stopping."""
        return self._stop.wait(seconds)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop after the current step; wait at most ``timeout_s`` for it to end."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self._step()
            except Exception:
                log.exception("%s: step failed", self.name)
                delay = FAILURE_PAUSE_S
            if delay > 0:
                self._wake.wait(delay)
                self._wake.clear()
