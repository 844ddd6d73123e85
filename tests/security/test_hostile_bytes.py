"""Hostile bytes get a 4xx naming the problem, never a 5xx, a traceback or a host path:
the attacks of the report one by one, then Hypothesis fuzzing of the emulator's API (the
Flask app, signed as boto3 signs) and of the event and notification parsers, each with a
fixed example budget so CI time is bounded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.emulator import ADMIN
from tests.support.fuzzing import examples
from tests.support.pipeline import SECRET
from vod_testbed.backends.mediaconvert.events import (
    DETAIL_TYPE,
    SOURCE,
    EventFormatError,
    EventStatus,
)
from vod_testbed.common import signing
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import parse_mediaconvert_event
from vod_testbed.pipeline.http.app import create_app as create_pipeline_app
from vod_testbed.pipeline.trigger.handler import S3EventFormatError, read_s3_event
from vod_testbed.pipeline.trigger.notices import DETAIL_TYPE as NOTICE_DETAIL_TYPE
from vod_testbed.pipeline.trigger.notices import SOURCE as NOTICE_SOURCE
from vod_testbed.pipeline.trigger.notices import NoticeStatus, parse_trigger_notice

EVENT_STATUSES = [status.value for status in EventStatus]

BUDGET = settings(
    max_examples=examples(150),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The parsers are pure and quick: a larger budget.
PARSER_BUDGET = settings(BUDGET, max_examples=examples(1000))
LEAKS = ("Traceback", "/tmp", "/work", 'File "', "Error:")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def leak_free(text: str) -> bool:
    return not any(mark in text for mark in LEAKS)


@pytest.fixture
def emulator_client(make_app: Any) -> Any:
    return make_app().test_client()


@pytest.fixture
def pipeline_client(service: ContentService) -> Any:
    return create_pipeline_app(service, trigger=None).test_client()


# -- the report's attacks ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"role": "r", "settings": ' * 5000, b'{"priority": NaN}',
     b'{"priority": 1e999}', b'{"role": "\\ud800"}', b"\xff\xfe{"],
    ids=["deep-array", "deep-object", "nan", "overflow", "lone-surrogate", "not-utf8"],
)  # fmt: skip
def test_hostile_createjob_bodies_are_bad_requests(emulator_client: Any, body: bytes) -> None:
    answer = emulator_client.post("/2017-08-29/jobs", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert answer.get_json()["message"].startswith("The request body is not valid JSON: ")


@pytest.mark.parametrize("raw", ["Infinity", "-Infinity", "NaN", "1e999", "100000001"])
def test_admin_numbers_must_be_finite_and_bounded(emulator_client: Any, raw: str) -> None:
    body = '{"errorCode": 1010, "delaySeconds": ' + raw + "}"
    answer = emulator_client.post("/_emulator/faults/jobs", data=body, headers=ADMIN)
    assert answer.status_code == 400
    assert leak_free(answer.get_data(as_text=True))


def test_a_huge_webhook_signature_timestamp_is_401_not_500(pipeline_client: Any) -> None:
    headers = {signing.SIGNATURE_HEADER: f"t={'9' * 400},v1=00"}
    answer = pipeline_client.post("/webhooks/mediaconvert", data=b"{}", headers=headers)
    assert answer.status_code == 401
    assert answer.get_json() == {"error": "unauthorized", "reason": "malformed"}


def test_a_deeply_nested_webhook_body_is_400(pipeline_client: Any) -> None:
    body = b"[" * 50_000
    answer = pipeline_client.post(
        "/webhooks/mediaconvert", data=body, headers=signing.sign(body, SECRET)
    )
    assert answer.status_code == 400
    assert answer.get_json()["field"] == "body"


def test_malformed_s3_records_are_acknowledged_and_listed_not_retried(
    service: ContentService, pipeline_settings: Any
) -> None:
    from tests.support.doubles import RecordingTranscoder
    from vod_testbed.pipeline.assets.content_service import ServiceReporter
    from vod_testbed.pipeline.trigger.handler import UploadTrigger

    trigger = UploadTrigger(pipeline_settings, RecordingTranscoder(), ServiceReporter(service))
    client = create_pipeline_app(service, trigger=trigger)
    notification = {"Records": [7, {"eventName": "s3:ObjectCreated:Put", "s3": {"object": []}}]}
    answer = client.test_client().post(
        "/webhooks/s3", json=notification, headers={"Authorization": f"Bearer {SECRET}"}
    )
    # 2xx: MinIO retries anything else for ever, and these records will never parse.
    assert answer.status_code == 200
    assert answer.get_json()["malformed"] == [
        "Records[0]: not a record with an eventName",
        "Records[1]: no s3.bucket.name or s3.object.key string",
    ]
    not_s3 = client.test_client().post(
        "/webhooks/s3", json={"hello": 1}, headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert (not_s3.status_code, not_s3.get_json()["field"]) == (400, "Records")


def test_an_unexpected_failure_shows_no_exception_text(emulator_client: Any) -> None:
    model = emulator_client.application.extensions["emulator"].model

    def explode(*args: Any) -> Any:
        raise KeyError("/srv/secret/path.sqlite3")

    model.list_jobs = explode
    answer = emulator_client.get("/2017-08-29/jobs")
    assert answer.status_code == 500
    message = answer.get_json()["message"]
    assert message.startswith("The service encountered an unexpected condition (")
    assert "secret" not in message and "KeyError" not in message


# -- fuzzing -------------------------------------------------------------------------------


@pytest.mark.fuzz
@BUDGET
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "role",
                "settings",
                "queue",
                "priority",
                "userMetadata",
                "jobTemplate",
                "tags",
                "statusUpdateInterval",
                "clientRequestToken",
                "accelerationSettings",
            ]
        ),
        json_values,
    )
)
def test_fuzzed_createjob_bodies_never_get_a_5xx(emulator_client: Any, body: dict) -> None:
    answer = emulator_client.post("/2017-08-29/jobs", json=body)
    assert answer.status_code < 500, answer.get_data(as_text=True)
    assert leak_free(answer.get_data(as_text=True))


@pytest.mark.fuzz
@BUDGET
@given(
    query=st.dictionaries(
        st.sampled_from(["maxResults", "nextToken", "order", "queue", "status", "listBy", "x"]),
        st.text(max_size=30),
        max_size=4,
    )
)
def test_fuzzed_list_queries_never_get_a_5xx(emulator_client: Any, query: dict) -> None:
    for path in ("/2017-08-29/jobs", "/2017-08-29/presets", "/2017-08-29/queues"):
        answer = emulator_client.get(path, query_string=query)
        assert answer.status_code < 500, answer.get_data(as_text=True)
        assert leak_free(answer.get_data(as_text=True))


@pytest.mark.fuzz
@BUDGET
@given(body=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_fuzzed_admin_bodies_never_get_a_5xx(emulator_client: Any, body: bytes) -> None:
    for path in ("/_emulator/faults/api", "/_emulator/faults/jobs", "/_emulator/faults/deliveries",
                 "/_emulator/dead-letters/redrive"):  # fmt: skip
        answer = emulator_client.post(path, data=body, headers=ADMIN)
        assert answer.status_code < 500, answer.get_data(as_text=True)
    emulator_client.delete("/_emulator/faults", headers=ADMIN)


# Non-empty containers of the wrong kind are where indexing code breaks: draw them often.
wrong_containers = st.dictionaries(st.text(max_size=3), json_values, min_size=1, max_size=3) | (
    st.lists(json_values, min_size=1, max_size=3)
)


def maybe(valid: Any) -> st.SearchStrategy[Any]:
    """The valid value, or a JSON value of another shape instead."""
    return st.one_of(st.just(valid), json_values, wrong_containers)


output_groups = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["HLS_GROUP", "FILE_GROUP"]),
            "playlistFilePaths": maybe(["s3://b/k/hls/master.m3u8"]),
            "outputDetails": st.lists(
                st.fixed_dictionaries({"outputFilePaths": maybe(["s3://b/k/t/m.0000001.jpg"])})
                | json_values,
                max_size=2,
            )
            | json_values,
        }
    )
    | json_values,
    min_size=1,
    max_size=3,
)
mediaconvert_events = st.fixed_dictionaries(
    {
        "id": maybe("event-1"),
        "source": st.just(SOURCE),
        "detail-type": st.just(DETAIL_TYPE),
        "detail": st.fixed_dictionaries(
            {
                "jobId": maybe("1764064325000-abcdef"),
                # COMPLETE, ERROR and NEW_WARNING read the most keys: draw them most.
                "status": st.sampled_from(["COMPLETE", "COMPLETE", "ERROR", "NEW_WARNING"])
                | st.sampled_from(sorted(EVENT_STATUSES))
                | json_values,
                "userMetadata": maybe({"assetId": "a"}),
                "outputGroupDetails": output_groups,
                "jobProgress": maybe({"jobPercentComplete": 50}),
                "jobPercentComplete": json_values,
                "errorCode": json_values,
                "errorMessage": json_values,
                "warningCode": json_values,
            }
        ),
    }
)
trigger_notices = st.fixed_dictionaries(
    {
        "id": maybe("notice-1"),
        "source": st.just(NOTICE_SOURCE),
        "detail-type": st.just(NOTICE_DETAIL_TYPE),
        "detail": st.fixed_dictionaries(
            {
                "status": st.sampled_from([s.value for s in NoticeStatus]) | json_values,
                "assetId": maybe("a"),
                "key": maybe("video/u/k.mp4"),
                "jobId": json_values,
                "sizeBytes": json_values,
                "contentType": json_values,
                "errorCode": json_values,
                "errorMessage": json_values,
            }
        )
        | json_values,
    }
)
s3_records = st.fixed_dictionaries(
    {
        "eventName": maybe("ObjectCreated:Put"),
        "s3": st.fixed_dictionaries(
            {
                "bucket": maybe({"name": "media"}),
                "object": st.fixed_dictionaries(
                    {"key": maybe("video%2Fu%2Fk.mp4"), "size": json_values}
                )
                | json_values,
            }
        )
        | json_values,
    }
)


@pytest.mark.fuzz
@PARSER_BUDGET
@given(event=mediaconvert_events | json_values)
def test_fuzzed_mediaconvert_events_parse_or_are_refused_by_name(event: Any) -> None:
    try:
        parse_mediaconvert_event(event)
    except EventFormatError as refused:
        assert refused.field


@pytest.mark.fuzz
@PARSER_BUDGET
@given(event=trigger_notices)
def test_fuzzed_trigger_notices_parse_or_are_refused_by_name(event: Any) -> None:
    try:
        parse_trigger_notice(event)
    except EventFormatError as refused:
        assert refused.field


@pytest.mark.fuzz
@BUDGET
@given(event=mediaconvert_events | trigger_notices)
def test_fuzzed_signed_webhook_events_never_get_a_5xx(pipeline_client: Any, event: Any) -> None:
    body = json.dumps(event).encode()
    answer = pipeline_client.post(
        "/webhooks/mediaconvert", data=body, headers=signing.sign(body, SECRET)
    )
    assert answer.status_code < 500, answer.get_data(as_text=True)
    assert leak_free(answer.get_data(as_text=True))


@pytest.mark.fuzz
@PARSER_BUDGET
@given(records=st.lists(s3_records | json_values, max_size=5))
def test_fuzzed_s3_notifications_parse_or_list_what_is_malformed(records: list) -> None:
    created, malformed = read_s3_event({"Records": records})
    assert len(created) + len(malformed) <= len(records)


@pytest.mark.fuzz
@PARSER_BUDGET
@given(event=json_values)
def test_fuzzed_s3_envelopes_are_refused_by_name(event: Any) -> None:
    try:
        read_s3_event(event)
    except S3EventFormatError as refused:
        assert refused.field == "Records"
