"""The time code reads, injected so tests move it instead of sleeping.

A clock is anything called with no argument that returns the current time in Unix seconds:
:data:`system_clock` (``time.time``) in production, a :class:`ManualClock` in tests, or a
lambda. Code that schedules (status updates, backoff, expiry, reapers) takes one and never
reads the wall clock itself.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """The current time in Unix seconds."""

    def __call__(self) -> float: ...


system_clock: Clock = time.time


class ManualClock:
    """A clock that moves only when told to.

    Args:
        now: the time it starts at, in Unix seconds (default: the real time at creation).
    """

    def __init__(self, now: float | None = None) -> None:
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` forward; returns the new time."""
        if seconds < 0:
            raise ValueError(f"a clock only moves forward, not by {seconds} s")
        self.now += seconds
        return self.now
