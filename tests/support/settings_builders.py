"""Builders shared by the MediaConvert settings tests: requests, their wire form, and the
job as AWS's documentation writes it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import botocore.session
from botocore.validate import ParamValidator

from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import DEFAULT_LADDER, MissingAudio
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.fixtures.jobs import aws_doc_ladder_settings

INPUT = "s3://media/video/u1/2024/01/abc-1700000000-clip.mp4"
# Where a request for INPUT writes by default.
PREFIX = "s3://media/video/u1/2024/01/abc-1700000000-clip_processed"
MODEL = botocore.session.get_session().get_service_model("mediaconvert")


def request(*, user_metadata: dict[str, str] | None = None, **ladder_changes: Any) -> JobRequest:
    """A request for INPUT in the standard layout, with the default ladder's fields changed."""
    ladder = replace(DEFAULT_LADDER, **ladder_changes)
    return JobRequest.for_prefix(INPUT, ladder=ladder, user_metadata=user_metadata)


def read_back(req: JobRequest) -> JobRequest:
    """``req`` as its rendered settings read back: settings that ask for audio fail on a
    source without any (MediaConvert's 1021), where the ladder's default omits the audio."""
    audio = req.ladder.audio
    if audio is None:
        return req
    ladder = replace(req.ladder, audio=replace(audio, when_absent=MissingAudio.FAIL))
    return replace(req, ladder=ladder)


def wire(req: JobRequest) -> dict[str, Any]:
    return to_wire_case(render_job_settings(req))


def assert_valid_for_boto3(settings: dict[str, Any]) -> None:
    report = ParamValidator().validate(settings, MODEL.shape_for("JobSettings"))
    assert not report.has_errors(), report.generate_report()


# The job as AWS's documentation writes it (mediaconvert-wire.md section 6), boto3 form.
AWS_DOC_SETTINGS: dict[str, Any] = aws_doc_ladder_settings()


def hls_of(s: dict[str, Any]) -> dict[str, Any]:
    """The HLS group's hlsGroupSettings in wire settings ``s``."""
    hls: dict[str, Any] = s["outputGroups"][0]["outputGroupSettings"]["hlsGroupSettings"]
    return hls


def output_of(s: dict[str, Any], i: int = 0) -> dict[str, Any]:
    """Output ``i`` of the HLS group."""
    output: dict[str, Any] = s["outputGroups"][0]["outputs"][i]
    return output


def h264_of(s: dict[str, Any], i: int = 0) -> dict[str, Any]:
    """The h264Settings of HLS output ``i``."""
    h264: dict[str, Any] = output_of(s, i)["videoDescription"]["codecSettings"]["h264Settings"]
    return h264


def aac_of(s: dict[str, Any], i: int = 0) -> dict[str, Any]:
    """The aacSettings of HLS output ``i``."""
    aac: dict[str, Any] = output_of(s, i)["audioDescriptions"][0]["codecSettings"]["aacSettings"]
    return aac
