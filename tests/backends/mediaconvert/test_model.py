"""The MediaConvert service model: case conversion and the one validator."""

from __future__ import annotations

from tests.backends.mediaconvert.settings_builders import (
    INPUT,
)
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.mediaconvert.model import from_wire_case, to_wire_case
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
