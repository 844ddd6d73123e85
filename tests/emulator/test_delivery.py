"""Durable at-least-once delivery: receivers that are down, restarts, injected disorder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.support.emulator import ADMIN, boto_client, create, done, statuses, wait_status
from tests.support.fakes import FakeTranscoder, WebhookReceiver
from tests.support.polling import eventually


def deliveries(url: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = requests.get(
        url + "/_emulator/deliveries", headers=ADMIN, timeout=5
    ).json()["deliveries"]
    return found


def three_events(events: list[dict[str, Any]]) -> bool:
    # After an outage the retries' jitter decides the order: wait for all of them.
    return len({e["id"] for e in events}) >= 3


def test_receiver_answering_503_gets_everything_once_it_recovers(
    make_app: Any, serve: Any, receiver: WebhookReceiver
) -> None:
    server = serve(make_app(webhook_urls=(receiver.url,)))
    mc = boto_client(server.url)
    receiver.status = 503
    job = create(mc)
    wait_status(mc, job["Id"], "COMPLETE")
    eventually(lambda: receiver.refused >= 6)  # three events, each tried at least twice
    assert receiver.received == []
    pending = deliveries(server.url)
    assert all(not d["delivered"] and d["lastError"] == "HTTP 503" for d in pending)
    receiver.status = 200
    events = receiver.wait_for(three_events)
    assert sorted(statuses(events)) == ["COMPLETE", "INPUT_INFORMATION", "PROGRESSING"]
    eventually(lambda: all(d["delivered"] for d in deliveries(server.url)))
    assert sum(d["attempts"] for d in deliveries(server.url)) >= 6 + 3


def test_receiver_not_listening_then_started_on_its_port(make_app: Any, serve: Any) -> None:
    receiver = WebhookReceiver().start()
    port = receiver.port
    receiver.stop()  # nothing listens: connections are refused
    server = serve(make_app(webhook_urls=(receiver.url,)))
    mc = boto_client(server.url)
    job = create(mc)
    wait_status(mc, job["Id"], "COMPLETE")
    eventually(lambda: all(d["attempts"] >= 2 for d in deliveries(server.url)))
    assert "ConnectionError" in deliveries(server.url)[0]["lastError"]
    revived = WebhookReceiver(port=port).start()
    try:
        assert sorted(statuses(revived.wait_for(three_events))) == [
            "COMPLETE",
            "INPUT_INFORMATION",
            "PROGRESSING",
        ]
    finally:
        revived.stop()


def test_pending_deliveries_survive_an_emulator_restart(
    make_app: Any, serve: Any, receiver: WebhookReceiver
) -> None:
    receiver.status = 500
    first = serve(make_app(webhook_urls=(receiver.url,)))
    mc = boto_client(first.url)
    job = create(mc)
    wait_status(mc, job["Id"], "COMPLETE")
    first.stop()
    receiver.status = 200
    assert receiver.received == []
    second = serve(make_app(webhook_urls=(receiver.url,)))
    events = receiver.wait_for(three_events)
    assert sorted(statuses(events)) == ["COMPLETE", "INPUT_INFORMATION", "PROGRESSING"]
    assert boto_client(second.url).get_job(Id=job["Id"])["Job"]["Status"] == "COMPLETE"


@pytest.fixture
def job_with_delivery_fault(
    make_app: Any, serve: Any, receiver: WebhookReceiver
) -> Callable[..., dict[str, Any]]:
    """Arm a delivery fault (admin API body), then create a job on a hooked emulator."""

    def run(**fault: Any) -> dict[str, Any]:
        server = serve(make_app(webhook_urls=(receiver.url,)))
        armed = requests.post(
            server.url + "/_emulator/faults/deliveries", json=fault, headers=ADMIN, timeout=5
        )
        assert armed.status_code == 201
        return create(boto_client(server.url))

    return run


def test_duplicate_injection_delivers_events_twice(
    job_with_delivery_fault: Callable[..., dict[str, Any]], receiver: WebhookReceiver
) -> None:
    job = job_with_delivery_fault(duplicate=2)
    receiver.wait_for(lambda events: len(events) == 5)
    ids = [e["id"] for e in receiver.events()]
    assert len(set(ids)) == 3
    assert sorted(statuses(receiver.events())) == [
        "COMPLETE",
        "INPUT_INFORMATION",
        "INPUT_INFORMATION",
        "PROGRESSING",
        "PROGRESSING",
    ]
    assert receiver.events()[0]["detail"]["jobId"] == job["Id"]


def test_reorder_injection_releases_held_events_in_reverse(
    job_with_delivery_fault: Callable[..., dict[str, Any]], receiver: WebhookReceiver
) -> None:
    job = job_with_delivery_fault(reorder=3)
    events = receiver.wait_for(three_events)
    assert statuses(events) == ["COMPLETE", "INPUT_INFORMATION", "PROGRESSING"]
    assert {e["detail"]["jobId"] for e in events} == {job["Id"]}


def test_delay_injection_holds_deliveries(
    job_with_delivery_fault: Callable[..., dict[str, Any]], receiver: WebhookReceiver
) -> None:
    # Held 2 s: the quick job's later events are sent meanwhile, even on a loaded machine
    # (which may also add a STATUS_UPDATE while the job runs; it is not what is checked).
    job = job_with_delivery_fault(delayCount=1, delaySeconds=2.0)
    events = receiver.wait_for(lambda events: "PROGRESSING" in statuses(events))
    events = [e for e in events if e["detail"]["status"] != "STATUS_UPDATE"]
    assert statuses(events) == ["INPUT_INFORMATION", "COMPLETE", "PROGRESSING"]
    assert events[0]["detail"]["jobId"] == job["Id"]


def test_events_go_to_every_webhook(make_app: Any, serve: Any, receiver: WebhookReceiver) -> None:
    other = WebhookReceiver().start()
    try:
        server = serve(make_app(webhook_urls=(receiver.url, other.url)))
        job = create(boto_client(server.url))
        first = receiver.wait_for(done(job["Id"]))
        second = other.wait_for(done(job["Id"]))
        assert [e["id"] for e in first] == [e["id"] for e in second]
    finally:
        other.stop()


@pytest.mark.parametrize("status", [200, 204])
def test_any_2xx_counts_as_delivered(
    make_app: Any, serve: Any, receiver: WebhookReceiver, status: int
) -> None:
    receiver.status = status
    server = serve(make_app(webhook_urls=(receiver.url,)))
    job = create(boto_client(server.url))
    receiver.wait_for(done(job["Id"]))
    eventually(lambda: all(d["delivered"] and d["attempts"] == 1 for d in deliveries(server.url)))


def test_a_job_running_at_shutdown_ends_in_error_after_restart(
    make_app: Any, serve: Any, receiver: WebhookReceiver, transcoder: FakeTranscoder
) -> None:
    transcoder.gate.clear()
    first = serve(make_app(webhook_urls=(receiver.url,)))
    mc = boto_client(first.url)
    job = create(mc)
    waiting = create(mc)
    wait_status(mc, job["Id"], "PROGRESSING")
    first.stop()
    transcoder.gate.set()
    mc = boto_client(serve(make_app(webhook_urls=(receiver.url,))).url)
    ended = mc.get_job(Id=job["Id"])["Job"]
    assert (ended["Status"], ended["ErrorCode"]) == ("ERROR", 1999)
    assert "The emulator stopped while this job was PROGRESSING" in ended["ErrorMessage"]
    assert wait_status(mc, waiting["Id"], "COMPLETE")
    events = receiver.wait_for(done(job["Id"]))
    assert [e["detail"]["status"] for e in events if e["detail"]["jobId"] == job["Id"]][
        -1
    ] == "ERROR"


def test_clearing_faults_releases_events_held_for_a_reorder(
    make_app: Any, serve: Any, receiver: WebhookReceiver
) -> None:
    app = make_app(webhook_urls=(receiver.url,))
    server = serve(app)
    emulator = app.extensions["emulator"]
    armed = requests.post(
        server.url + "/_emulator/faults/deliveries", json={"reorder": 10}, headers=ADMIN, timeout=5
    )
    assert armed.status_code == 201
    create(boto_client(server.url))  # three events: all held, waiting for seven more
    eventually(lambda: len(emulator.store.list_events()) == 3)
    emulator.delivery.run_due()  # delivers whatever is due: nothing held is
    assert receiver.events() == []
    assert (
        requests.delete(server.url + "/_emulator/faults", headers=ADMIN, timeout=5).status_code
        == 200
    )
    events = receiver.wait_for(three_events)
    assert statuses(events) == ["COMPLETE", "INPUT_INFORMATION", "PROGRESSING"]
