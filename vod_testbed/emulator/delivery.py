"""Durable, at-least-once delivery of events to the webhooks (EVENTS_WEBHOOK_URL), with
EventBridge's retry policy.

Publishing an event writes it, and one outbox row per webhook URL, to the SQLite store in
one transaction; a worker thread then POSTs each due row. A 2xx answer marks the row
delivered. As an EventBridge API destination does, a 401, 407, 409, 429, a 5xx, a refused
connection or a timeout is retried after an exponential backoff with jitter (base x
2^attempts, capped, times a random factor in [0.5, 1.5)) until the event is older than
``EMULATOR_DELIVERY_MAX_AGE_S`` (24 h by default); any other answer (another 4xx, a 3xx) is
not retried (see :data:`RETRIED_STATUSES`). What is given up on goes to the dead-letter
list, which the admin API lists and can redrive. Rows outlive the process: after a restart
the worker picks up every pending one, so nothing is lost, and a row whose 2xx arrived just
before a crash may be sent again - the at-least-once delivery EventBridge promises.

Every delivery is signed (vod_testbed.common.signing) when WEBHOOK_SECRET is set, at the time
of each attempt, so a retry after a long outage is not stale. Time comes from an injected
clock, so tests move it instead of sleeping.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from vod_testbed.common import signing
from vod_testbed.common.worker import Worker
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.faults import Faults
from vod_testbed.emulator.outbox import Delivery
from vod_testbed.emulator.store import Store

log = logging.getLogger(__name__)

# Held (reordered) deliveries wait this far in the future until released.
HELD_OFFSET_S = 10.0 * 365 * 24 * 3600
MAX_PARALLEL_POSTS = 4
EVENT_ID_HEADER = "X-Vod-Event-Id"
# The answers an API destination retries besides 5xx (EventBridge user guide, "API
# destinations", error handling): a webhook refusing a bad signature with 401 is retried
# for a day, as in staging, not dead-lettered at once.
RETRIED_STATUSES = frozenset({401, 407, 409, 429})


def is_retried(status: int) -> bool:
    """Whether an API destination retries an answer with HTTP ``status``."""
    return status in RETRIED_STATUSES or status >= 500


def backoff_s(attempts: int, base_s: float, cap_s: float) -> float:
    """Delay before the next attempt after ``attempts`` failures (at least 1)."""
    exponential = min(cap_s, base_s * 2 ** max(0, attempts - 1))
    return exponential * random.uniform(0.5, 1.5)


class EventDelivery:
    """Records events and delivers them to every configured webhook."""

    def __init__(
        self,
        store: Store,
        settings: EmulatorSettings,
        faults: Faults,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.settings = settings
        self.faults = faults
        self.clock = clock
        self._held: list[str] = []
        self._lock = threading.Lock()
        self._worker = Worker("event-delivery", self._step)
        self._pool = ThreadPoolExecutor(MAX_PARALLEL_POSTS, thread_name_prefix="webhook")

    def start(self) -> None:
        now = self.clock()
        released = self.store.release_held(now + HELD_OFFSET_S / 2, now)
        if released:
            log.info("released %d held deliveries left by the previous run", released)
        self._worker.start()

    def close(self) -> None:
        self._worker.stop()
        self._pool.shutdown(wait=True)

    def publish(self, event: dict[str, Any]) -> None:
        """Record ``event`` and queue its delivery (applying any armed delivery fault)."""
        plan = self.faults.take_delivery_plan()
        now = self.clock()
        due = now + plan.delay_s
        if plan.reorder:
            due = now + HELD_OFFSET_S
        urls = self.settings.webhook_urls
        self.store.record_event(event, urls, due, now)
        for _ in range(plan.copies - 1):
            for url in urls:
                self.store.add_delivery(event["id"], url, due, now)
        if plan.reorder:
            with self._lock:
                self._held.append(event["id"])
                release = not self.faults.reorder_pending()
            if release:
                # The last held event arrived: release them newest first.
                self.release_held()
                return
        self._worker.wake()

    def release_held(self) -> None:
        """Deliver the events still held for a reorder now (newest first), e.g. when the
        fault is cleared or re-armed before the last of them arrived."""
        now = self.clock()
        with self._lock:
            for index, event_id in enumerate(reversed(self._held)):
                self.store.reschedule_event(event_id, now + index * 0.001)
            self._held.clear()
        self._worker.wake()

    def forget_held(self) -> None:
        """Drop the events held for a reorder (their rows are gone after a store reset)."""
        with self._lock:
            self._held.clear()

    def redrive(self, event_ids: list[str] | None = None) -> int:
        """Queue dead-lettered deliveries again (of ``event_ids``, or all); returns how many."""
        count = self.store.redrive(self.clock(), event_ids)
        self._worker.wake()
        return count

    def run_due(self) -> float:
        """Attempt every due delivery once; returns how long until the next is due (at most
        1 s). The worker thread calls this; tests may too, with the clock moved."""
        return self._step()

    def _step(self) -> float:
        due = self.store.due_deliveries(self.clock())
        if due:
            # Receivers in parallel, each one's deliveries in due order: without faults
            # a receiver sees a job's events in the order they happened.
            by_url: dict[str, list[Delivery]] = {}
            for delivery in due:
                by_url.setdefault(delivery.url, []).append(delivery)
            list(self._pool.map(self._attempt_all, by_url.values()))
            return 0.0
        next_due = self.store.next_due_at()
        return 1.0 if next_due is None else max(0.001, min(1.0, next_due - self.clock()))

    def _attempt_all(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            self._attempt(delivery)

    def _attempt(self, delivery: Delivery) -> None:
        body = delivery.body.encode("utf-8")
        headers = {"Content-Type": "application/json", EVENT_ID_HEADER: delivery.event_id}
        if self.settings.webhook_secret:
            headers.update(signing.sign(body, self.settings.webhook_secret))
        try:
            # A fresh connection per attempt: no Session shared between delivery threads, and
            # a receiver that restarted never sees a stale kept-alive socket.
            response = requests.post(
                delivery.url,
                data=body,
                headers=headers,
                timeout=self.settings.delivery_timeout_s,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            problem, retryable = type(exc).__name__, True
        else:
            if 200 <= response.status_code < 300:
                self.store.mark_delivered(delivery.seq, self.clock())
                return
            problem = f"HTTP {response.status_code}"
            retryable = is_retried(response.status_code)
        self._after_failure(delivery, problem, retryable)

    def _after_failure(self, delivery: Delivery, problem: str, retryable: bool) -> None:
        now = self.clock()
        if not retryable:
            self._give_up(delivery, problem, f"{problem} is not retried", now)
            return
        delay = backoff_s(
            delivery.attempts + 1,
            self.settings.delivery_base_delay_s,
            self.settings.delivery_max_delay_s,
        )
        age_s = now + delay - delivery.created_at
        if age_s > self.settings.delivery_max_age_s:
            reason = f"retried for {self.settings.delivery_max_age_s:.0f} s, the maximum age"
            self._give_up(delivery, problem, reason, now)
            return
        log.info(
            "delivery of event %s to %s failed (%s); retry in %.2f s",
            delivery.event_id,
            delivery.url,
            problem,
            delay,
        )
        self.store.mark_failed(delivery.seq, problem, now + delay)

    def _give_up(self, delivery: Delivery, problem: str, reason: str, now: float) -> None:
        log.warning(
            "delivery of event %s to %s dead-lettered: %s (%s)",
            delivery.event_id,
            delivery.url,
            problem,
            reason,
        )
        self.store.mark_dead(delivery.seq, problem, reason, now)


def delivery_view(delivery: Delivery) -> dict[str, Any]:
    """A delivery as the admin API lists it."""
    event = json.loads(delivery.body)
    return {
        "eventId": delivery.event_id,
        "jobId": event["detail"]["jobId"],
        "status": event["detail"]["status"],
        "url": delivery.url,
        "attempts": delivery.attempts,
        "delivered": delivery.delivered_at is not None,
        "deliveredAt": delivery.delivered_at,
        "nextAttemptAt": None
        if delivery.delivered_at or delivery.dead_at
        else delivery.next_attempt_at,
        "lastError": delivery.last_error,
        "deadLetter": delivery.dead_at is not None,
        "deadAt": delivery.dead_at,
        "deadReason": delivery.dead_reason,
    }
