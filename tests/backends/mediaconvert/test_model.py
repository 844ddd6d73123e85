"""The MediaConvert service model: case conversion and the one validator."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.settings_builders import INPUT, request, wire
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.mediaconvert import model
from vod_testbed.backends.mediaconvert.model import ValidationError, from_wire_case, to_wire_case
from vod_testbed.backends.mediaconvert.render import render_job_settings


def test_case_conversion_is_driven_by_the_model() -> None:
    settings = render_job_settings(JobRequest.for_prefix(INPUT))
    converted = to_wire_case(settings)
    source = converted["inputs"][0]
    assert source["audioSelectors"] == {"Audio Selector 1": {"defaultSelection": "DEFAULT"}}
    h264 = converted["outputGroups"][0]["outputs"][0]["videoDescription"]["codecSettings"]
    assert "h264Settings" in h264
    assert "m3u8Settings" in converted["outputGroups"][0]["outputs"][0]["containerSettings"]
    assert from_wire_case(converted) == settings
    job = to_wire_case({"UserMetadata": {"AssetId": "x"}, "Settings": settings}, "Job")
    assert job["userMetadata"] == {"AssetId": "x"}


def test_an_unknown_settings_member_is_refused_at_its_pointer() -> None:
    settings = wire(request())
    settings["outputGroups"][0]["outputs"][0]["videoDescription"]["fooBar"] = 1
    with pytest.raises(ValidationError) as caught:
        model.validate_job_settings(settings)
    assert caught.value.path == "/outputGroups/0/outputs/0/videoDescription/fooBar"
    assert caught.value.message == (
        "fooBar is not a member of VideoDescription in MediaConvert's API"
    )


def test_an_unknown_request_member_is_refused_by_name() -> None:
    params = {"role": "arn:aws:iam::123456789012:role/R", "settings": {}, "fooBar": 1}
    with pytest.raises(ValidationError) as caught:
        model.validate_request("CreateJob", params, presence_only=("settings",))
    assert (
        str(caught.value)
        == "/fooBar: fooBar is not a member of CreateJobRequest in MediaConvert's API"
    )


def test_a_missing_required_member_is_named_as_aws_names_it() -> None:
    settings = wire(request())
    settings["outputGroups"][0]["outputs"][0].pop("containerSettings")
    with pytest.raises(ValidationError) as caught:
        model.validate_job_settings(settings)
    assert str(caught.value) == (
        "/outputGroups/0/outputs/0: containerSettings is a required property"
    )


def test_missing_settings_get_the_message_aws_gives_without_a_pointer() -> None:
    with pytest.raises(ValidationError) as caught:
        model.validate_request("CreatePreset", {"name": "p"})
    assert (caught.value.path, str(caught.value)) == (None, "The 'settings' field is required.")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"maxResults": 50}, "/maxResults: 50 is greater than the maximum of 20"),
        ({"status": "FOO"}, "/status: 'FOO' is not one of"),
        ({"maxResults": "5"}, "/maxResults: '5' is not of type 'integer'"),
    ],
)
def test_values_the_model_refuses_name_the_rule(params: dict[str, Any], expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        model.validate_request("ListJobs", params)
    assert str(caught.value).startswith(expected)


def test_a_valid_job_passes() -> None:
    model.validate_job_settings(wire(request()))
