"""Stopping on SIGTERM or SIGINT, within a deadline, whatever other signals arrive.

A Python signal handler runs on the main thread between two bytecodes, possibly inside the
very lock the main thread holds (``threading.Event.set`` from a handler can deadlock on the
Event's own lock when a second signal lands during shutdown). So the handlers here do
nothing at all: the C-level handler writes the signal number to a pipe
(``signal.set_wakeup_fd``) and the main thread blocks reading it. Signals that arrive while
the stack stops land in the same pipe and change nothing; a watchdog ends the process if
stopping outlives the deadline.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable
from types import FrameType, TracebackType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# Under the 10 s that container runtimes and CI runners wait before SIGKILL.
SHUTDOWN_DEADLINE_S = 8.0


def _ignore(signum: int, frame: FrameType | None) -> None:
    """The Python-level handler: the wake-up pipe has already recorded the signal."""


class StopSignals:
    """While entered, SIGTERM and SIGINT are recorded instead of acted on; :meth:`wait`
    blocks the main thread until the first one. Main thread only."""

    def __init__(self, signals: Iterable[signal.Signals] = STOP_SIGNALS) -> None:
        self.signals = tuple(signals)
        self._reader = self._writer = -1
        self._previous_fd = -1
        self._previous_handlers: dict[signal.Signals, object] = {}

    def __enter__(self) -> StopSignals:
        self._reader, self._writer = os.pipe()
        os.set_blocking(self._writer, False)
        self._previous_fd = signal.set_wakeup_fd(self._writer, warn_on_full_buffer=False)
        for signum in self.signals:
            self._previous_handlers[signum] = signal.signal(signum, _ignore)
        return self

    def wait(self) -> signal.Signals:
        """Block until one of the signals arrives (or arrived since entering); return it."""
        while True:
            # os.read is retried after EINTR (PEP 475), once the no-op handler has run.
            for number in os.read(self._reader, 64):
                if number in self.signals:
                    return signal.Signals(number)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        signal.set_wakeup_fd(self._previous_fd)
        os.close(self._reader)
        os.close(self._writer)


def stop_within(stop: Callable[[], None], deadline_s: float = SHUTDOWN_DEADLINE_S) -> None:
    """Run ``stop``; if it has not returned after ``deadline_s``, exit the process (status 1)
    rather than hang: a stuck thread must not keep ports and the data dir held."""
    watchdog = threading.Timer(deadline_s, _give_up, args=(deadline_s,))
    watchdog.daemon = True
    watchdog.start()
    try:
        stop()
    finally:
        watchdog.cancel()


def _give_up(deadline_s: float) -> None:
    # Straight to stderr: a logging handler's lock may be what the stuck thread holds.
    message = f"error: stopping took over {deadline_s:.0f} s; exiting without the rest\n"
    os.write(2, message.encode())
    os._exit(1)
