"""Delivery as EventBridge does it: 401, 407, 409, 429 and 5xx are retried with backoff for
at most the maximum age (24 h by default), any other 4xx is not retried, and what is given
up on waits in a dead-letter list that the admin API shows and redrives. Time is a clock the
tests move."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.emulator import ADMIN
from tests.support.fakes import WebhookReceiver
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.delivery import EventDelivery
from vod_testbed.emulator.faults import Faults
from vod_testbed.emulator.store import Store

DAY_S = 24 * 3600.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def event(status: str = "COMPLETE") -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "detail": {"jobId": "1-abcdef", "status": status}}


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver().start()
    yield hook
    hook.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def delivery(tmp_path: Path, receiver: WebhookReceiver, clock: Clock) -> Iterator[EventDelivery]:
    """Delivery with its worker not started: the test runs each round (run_due)."""
    settings = EmulatorSettings(
        data_dir=tmp_path / "emulator",
        webhook_urls=(receiver.url,),
        delivery_base_delay_s=60.0,
        delivery_max_delay_s=3600.0,
    )
    store = Store(settings.data_dir)
    yield EventDelivery(store, settings, Faults(), clock)
    store.close()


def run_until_settled(delivery: EventDelivery, clock: Clock, limit: int = 100) -> int:
    """Move the clock to each next attempt and run it; returns the attempts made."""
    for attempt in range(limit):
        delivery.run_due()
        next_due = delivery.store.next_due_at()
        if next_due is None:
            return attempt + 1
        clock.now = max(clock.now, next_due)
    raise AssertionError("delivery never settled")


def test_5xx_is_retried_with_backoff_for_24_hours_then_dead_lettered(
    delivery: EventDelivery, receiver: WebhookReceiver, clock: Clock
) -> None:
    receiver.status = 503
    published_at = clock.now
    delivery.publish(event())
    attempts = run_until_settled(delivery, clock)
    assert attempts == receiver.refused > 5
    (dead,) = delivery.store.list_dead_letters()
    assert dead.last_error == "HTTP 503"
    assert dead.dead_reason == "retried for 86400 s, the maximum age"
    # Backoff: the attempts were spread over (almost) the whole day, not bunched.
    assert DAY_S - 3 * 3600 < clock.now - published_at <= DAY_S


def test_429_is_retried_until_it_is_delivered(
    delivery: EventDelivery, receiver: WebhookReceiver, clock: Clock
) -> None:
    receiver.status = 429
    delivery.publish(event())
    delivery.run_due()
    assert delivery.store.list_dead_letters() == []
    receiver.status = 200
    clock.now = delivery.store.next_due_at() or clock.now
    delivery.run_due()
    assert len(receiver.events()) == 1
    (row,) = delivery.store.list_deliveries()
    assert (row.attempts, row.delivered_at) == (2, clock.now)


def test_a_4xx_is_not_retried_and_is_dead_lettered(
    delivery: EventDelivery, receiver: WebhookReceiver, clock: Clock
) -> None:
    receiver.status = 400
    delivery.publish(event())
    delivery.run_due()
    clock.now += DAY_S
    delivery.run_due()
    assert receiver.refused == 1
    (dead,) = delivery.store.list_dead_letters()
    assert (dead.last_error, dead.dead_reason) == ("HTTP 400", "HTTP 400 is not retried")


@pytest.mark.parametrize("status", [401, 407, 409])
def test_401_407_and_409_are_retried_as_an_api_destination_retries_them(
    delivery: EventDelivery, receiver: WebhookReceiver, clock: Clock, status: int
) -> None:
    """EventBridge user guide, "API destinations" (error handling): requests answered 401,
    407, 409, 429 or 5xx are retried; other 4xx answers are not
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html)."""
    receiver.status = status
    delivery.publish(event())
    delivery.run_due()
    assert delivery.store.list_dead_letters() == []
    receiver.status = 200
    clock.now = delivery.store.next_due_at() or clock.now + DAY_S
    delivery.run_due()
    assert (receiver.refused, len(receiver.events())) == (1, 1)
    (row,) = delivery.store.list_deliveries()
    assert (row.attempts, row.delivered_at) == (2, clock.now)


def test_the_admin_api_shows_and_redrives_dead_letters(
    make_app: Any, serve: Any, receiver: WebhookReceiver
) -> None:
    server = serve(make_app(webhook_urls=(receiver.url,)))
    emulator = server.app.extensions["emulator"]
    receiver.status = 404  # e.g. a receiver deployed at another path
    published = event()
    emulator.delivery.publish(published)
    listed: list[dict[str, Any]] = []
    deadline = time.monotonic() + 10
    while not listed and time.monotonic() < deadline:
        answer = requests.get(f"{server.url}/_emulator/dead-letters", headers=ADMIN, timeout=5)
        listed = answer.json()["deadLetters"]
    (dead,) = listed
    assert (dead["eventId"], dead["deadLetter"], dead["lastError"]) == (
        published["id"],
        True,
        "HTTP 404",
    )
    receiver.status = 200
    redrive = requests.post(
        f"{server.url}/_emulator/dead-letters/redrive", json={}, headers=ADMIN, timeout=5
    )
    assert redrive.json() == {"redriven": 1}
    (delivered,) = receiver.wait_for(lambda events: len(events) == 1)
    assert delivered["id"] == published["id"]
    answer = requests.get(f"{server.url}/_emulator/dead-letters", headers=ADMIN, timeout=5)
    assert answer.json() == {"deadLetters": []}
