"""The admin API: throttling and other API faults as boto3 sees them, job faults, reset."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support.emulator import ADMIN, boto_client, create, wait_status
from tests.support.fakes import FakeTranscoder
from vod_testbed.common.clock import ManualClock


def arm(url: str, path: str, **body: Any) -> None:
    response = requests.post(f"{url}/_emulator/{path}", json=body, headers=ADMIN, timeout=5)
    assert response.status_code == 201, response.text


def test_throttled_calls_are_retried_by_boto3(server: Any, mc: Any) -> None:
    arm(server.url, "faults/api", count=2)
    response = mc.list_queues()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert [q["Name"] for q in response["Queues"]] == ["Default"]


def test_throttling_beyond_the_retries_raises_too_many_requests(server: Any) -> None:
    mc = boto_client(server.url, retries={"total_max_attempts": 1, "mode": "standard"})
    arm(server.url, "faults/api", count=1, operations=["GetQueue"])
    mc.list_queues()  # other operations are not affected
    with pytest.raises(mc.exceptions.TooManyRequestsException) as info:
        mc.get_queue(Name="Default")
    assert (
        info.value.response["Error"]["Message"]
        == "Too many requests have been sent in too short of a time."
    )
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert mc.get_queue(Name="Default")["Queue"]["Name"] == "Default"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("ForbiddenException", 403),
        ("InternalServerErrorException", 500),
        ("ConflictException", 409),
    ],
)
def test_any_modelled_error_can_be_injected(server: Any, error: str, status: int) -> None:
    mc = boto_client(server.url, retries={"total_max_attempts": 1, "mode": "standard"})
    arm(server.url, "faults/api", count=1, error=error, message="injected")
    with pytest.raises(getattr(mc.exceptions, error)) as info:
        mc.list_jobs()
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert info.value.response["Error"]["Message"] == "injected"


def test_unknown_error_name_is_refused(client: Any) -> None:
    response = client.post("/_emulator/faults/api", json={"count": 1, "error": "NoSuchThing"})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("unknown error 'NoSuchThing'")


def test_slow_job_stays_progressing_then_completes(
    make_app: Any, serve: Any, transcoder: FakeTranscoder
) -> None:
    clock = ManualClock()
    app = make_app(clock=clock)
    server = serve(app)
    mc = boto_client(server.url)
    runner = app.extensions["emulator"].runner
    arm(server.url, "faults/jobs", delaySeconds=0.5)
    job = create(mc)
    wait_status(mc, job["Id"], "PROGRESSING")
    clock.advance(0.499)
    runner.run_once()
    assert mc.get_job(Id=job["Id"])["Job"]["Status"] == "PROGRESSING"
    assert transcoder.submitted == []
    clock.advance(0.001)
    runner.run_once()  # the delay is over: this pass hands the job to the transcoder
    assert len(transcoder.submitted) == 1
    wait_status(mc, job["Id"], "COMPLETE")


def test_fault_for_a_named_job_only(server: Any, mc: Any) -> None:
    mc.update_queue(Name="Default", Status="PAUSED")
    healthy = create(mc)
    doomed = create(mc)
    arm(server.url, "faults/jobs", jobId=doomed["Id"], errorCode=1030)
    mc.update_queue(Name="Default", Status="ACTIVE")
    assert wait_status(mc, healthy["Id"], "COMPLETE")
    failed = wait_status(mc, doomed["Id"], "ERROR")
    assert failed["ErrorCode"] == 1030
    assert failed["ErrorMessage"] == "Injected failure with error code 1030."


def test_reset_forgets_everything(server: Any, mc: Any, transcoder: FakeTranscoder) -> None:
    transcoder.gate.clear()
    mc.create_queue(Name="q")
    running = create(mc)
    wait_status(mc, running["Id"], "PROGRESSING")
    arm(server.url, "faults/api", count=5, operations=["GetJob"])
    assert requests.post(server.url + "/_emulator/reset", headers=ADMIN, timeout=5).json() == {
        "reset": True
    }
    assert mc.list_jobs()["Jobs"] == []
    assert [q["Name"] for q in mc.list_queues()["Queues"]] == ["Default"]
    assert requests.get(server.url + "/_emulator/events", headers=ADMIN, timeout=5).json() == {
        "events": []
    }
    with pytest.raises(mc.exceptions.NotFoundException):
        mc.get_job(Id=running["Id"])  # not throttled: faults were reset too
    transcoder.gate.set()


def test_health(client: Any) -> None:
    assert client.get("/_emulator/health").get_json() == {"status": "ok"}


def test_errors_carry_the_aws_error_header_and_body(client: Any) -> None:
    response = client.get("/2017-08-29/jobs/nope")
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "NotFoundException"
    assert response.headers["x-amzn-RequestId"]
    assert response.get_json() == {"message": "The job nope does not exist."}
    bad = client.post("/2017-08-29/jobs", data=b"{not json", content_type="application/json")
    assert (bad.status_code, bad.get_json()) == (
        400,
        {
            "message": "The request body is not valid JSON: Expecting property name enclosed "
            "in double quotes at character 1."
        },
    )


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_browsers_cannot_drive_the_emulator(server: Any, mc: Any, headers: dict) -> None:
    create(mc)
    reset = requests.post(
        server.url + "/_emulator/reset",
        data="{}",
        headers={"Content-Type": "text/plain", **headers},
        timeout=5,
    )
    assert reset.status_code == 403
    assert reset.headers["x-amzn-ErrorType"] == "ForbiddenException"
    job = requests.post(server.url + "/2017-08-29/jobs", data="{}", headers=headers, timeout=5)
    assert job.status_code == 403
    assert len(mc.list_jobs()["Jobs"]) == 1


@pytest.mark.parametrize(
    ("path", "payload", "words"),
    [
        ("faults/api", {"operations": "GetJob"}, "operations must be a list"),
        ("faults/api", {"error": 429}, "error must be a string"),
        ("faults/jobs", {"errorCode": 1010, "errorMessage": ["x"]}, "errorMessage must be"),
    ],
)
def test_admin_input_of_the_wrong_type_is_refused(
    server: Any, path: str, payload: dict, words: str
) -> None:
    answer = requests.post(f"{server.url}/_emulator/{path}", json=payload, headers=ADMIN, timeout=5)
    assert answer.status_code == 400
    assert words in answer.json()["message"]
