"""Faults a test can inject through the admin API, kept in memory (a reset clears them).

* API errors: the next N calls (optionally only of some operations) answer a chosen error,
  by default 429 TooManyRequestsException, which boto3 retries.
* Job faults: a job (by id, or the next one to start) ends in ERROR with a chosen
  MediaConvert error code, or is held PROGRESSING for extra seconds before it transcodes.
* Delivery faults: the next N events are delivered twice, delayed, or held and released
  in reverse order - the at-least-once, unordered delivery a receiver must survive.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from vod_testbed.emulator.exceptions import MediaConvertError, TooManyRequestsException, error_class

NEXT_JOB = ""  # key of a job fault that applies to whichever job starts next


@dataclass(frozen=True)
class JobFailure:
    code: int
    message: str


@dataclass(frozen=True)
class DeliveryPlan:
    """How one event is to be delivered: ``copies`` times, after ``delay_s``; ``reorder``
    holds it back to be released with others in reverse order."""

    copies: int = 1
    delay_s: float = 0.0
    reorder: bool = False


@dataclass
class _ApiFault:
    remaining: int
    error: type[MediaConvertError]
    message: str
    operations: frozenset[str] | None


@dataclass
class _DeliveryFaults:
    duplicate: int = 0
    delay_count: int = 0
    delay_s: float = 0.0
    reorder: int = 0


@dataclass
class Faults:
    """The armed faults. Every ``take_*`` consumes what it returns."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _api: list[_ApiFault] = field(default_factory=list)
    _failures: dict[str, JobFailure] = field(default_factory=dict)
    _delays: dict[str, float] = field(default_factory=dict)
    _delivery: _DeliveryFaults = field(default_factory=_DeliveryFaults)

    def reset(self) -> None:
        with self._lock:
            self._api.clear()
            self._failures.clear()
            self._delays.clear()
            self._delivery = _DeliveryFaults()

    def fail_calls(
        self,
        count: int,
        error: str = TooManyRequestsException.code,
        message: str = "Too many requests have been sent in too short of a time.",
        operations: list[str] | None = None,
    ) -> None:
        """Make the next ``count`` API calls (of ``operations``, or any) raise ``error``."""
        fault = _ApiFault(count, error_class(error), message, frozenset(operations or []) or None)
        with self._lock:
            self._api.append(fault)

    def take_api_fault(self, operation: str) -> MediaConvertError | None:
        with self._lock:
            for fault in self._api:
                if fault.remaining > 0 and (
                    fault.operations is None or operation in fault.operations
                ):
                    fault.remaining -= 1
                    return fault.error(fault.message)
        return None

    def fail_job(self, job_id: str | None, code: int, message: str) -> None:
        with self._lock:
            self._failures[job_id or NEXT_JOB] = JobFailure(code, message)

    def slow_job(self, job_id: str | None, seconds: float) -> None:
        with self._lock:
            self._delays[job_id or NEXT_JOB] = seconds

    def take_job_faults(self, job_id: str) -> tuple[JobFailure | None, float]:
        """The failure and extra delay armed for a job that is starting now."""
        with self._lock:
            failure = self._failures.pop(job_id, None) or self._failures.pop(NEXT_JOB, None)
            delay = self._delays.pop(job_id, None)
            if delay is None:
                delay = self._delays.pop(NEXT_JOB, 0.0)
        return failure, delay

    def disturb_deliveries(
        self, *, duplicate: int = 0, delay_count: int = 0, delay_s: float = 0.0, reorder: int = 0
    ) -> None:
        """Duplicate the next ``duplicate`` events, delay the next ``delay_count`` by
        ``delay_s``, hold the next ``reorder`` and release them in reverse order."""
        if reorder == 1:
            raise ValueError("reordering needs at least 2 events")
        with self._lock:
            self._delivery = _DeliveryFaults(duplicate, delay_count, delay_s, reorder)

    def take_delivery_plan(self) -> DeliveryPlan:
        with self._lock:
            faults = self._delivery
            plan = DeliveryPlan(
                copies=2 if faults.duplicate > 0 else 1,
                delay_s=faults.delay_s if faults.delay_count > 0 else 0.0,
                reorder=faults.reorder > 0,
            )
            faults.duplicate = max(0, faults.duplicate - 1)
            faults.delay_count = max(0, faults.delay_count - 1)
            faults.reorder = max(0, faults.reorder - 1)
        return plan

    def reorder_pending(self) -> bool:
        """True while events are still being held for a reorder."""
        with self._lock:
            return self._delivery.reorder > 0
