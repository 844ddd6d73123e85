"""A background thread that repeats one step: the shape of the runner and of delivery."""

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
    wait short. An exception in a step is logged and the loop goes on: one bad job or
    event must not stop every other.
    """

    def __init__(self, name: str, step: Callable[[], float]) -> None:
        self.name = name
        self._step = step
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

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
