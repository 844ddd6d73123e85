"""A job model rendered into Settings AWS accepts, and read back as the same model."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.support.audio_groups import two_language_settings
from tests.support.job_examples import (
    frame_capture_job,
    hls_with_downloads_job,
    mp4_job,
    mp4_output,
)
from tests.support.settings_builders import assert_valid_for_boto3
from vod_testbed.backends.jobmodel.model import CaptionSelector, HlsGroup, JobSpec
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings

SOURCE = "s3://media/in/lecture.mp4"


def _preprocessed(source: str, destination: str) -> dict[str, Any]:
    settings = mp4_job(source, destination)
    output = mp4_output(GopSize=1.5, GopSizeUnits="SECONDS")
    output["VideoDescription"]["VideoPreprocessors"] = {"Deinterlacer": {"Mode": "ADAPTIVE"}}
    settings["OutputGroups"][0]["Outputs"] = [output]
    return settings


def model(settings: dict[str, Any]) -> JobSpec:
    return replace(parse_job_settings(to_wire_case(settings)).job, warnings=())


@pytest.mark.parametrize(
    "example", [mp4_job, frame_capture_job, hls_with_downloads_job, _preprocessed]
)
def test_a_rendered_model_reads_back_as_the_same_model(example) -> None:
    job = model(example(SOURCE, "s3://media/out/"))
    rendered = render_model_settings(job)
    assert_valid_for_boto3(rendered)
    assert model(rendered) == job


def test_what_the_renderer_cannot_write_is_refused_by_name() -> None:
    job = model(mp4_job(SOURCE, "s3://media/out/"))
    captioned = replace(
        job,
        inputs=(replace(job.inputs[0], caption_selectors=(CaptionSelector("c", "TELETEXT"),)),),
    )
    with pytest.raises(ValueError, match="only sidecar files and embedded captions are rendered"):
        render_model_settings(captioned)


def test_an_audio_rendition_group_renders_and_reads_back() -> None:
    """AudioGroupId, AudioTrackType, AudioRenditionSets and the renditions' languages and
    names survive rendering (HlsSettings and AudioDescription in the service model)."""
    settings = two_language_settings(SOURCE, "s3://media/out/hls/master")
    rendition = settings["OutputGroups"][0]["Outputs"][3]["AudioDescriptions"][0]
    rendition["StreamName"] = "Español"
    job = model(settings)
    rendered = render_model_settings(job)
    assert_valid_for_boto3(rendered)
    assert model(rendered) == job
    outputs = rendered["OutputGroups"][0]["Outputs"]
    assert [o["OutputSettings"]["HlsSettings"].get("AudioTrackType") for o in outputs] == [
        None,
        None,
        "ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT",
        "ALTERNATE_AUDIO_AUTO_SELECT",
    ]
    assert outputs[0]["OutputSettings"]["HlsSettings"]["AudioRenditionSets"] == "program_audio"
    assert outputs[3]["AudioDescriptions"][0]["LanguageCode"] == "SPA"


def test_gop_multiple_segments_render_and_read_back() -> None:
    settings = two_language_settings(SOURCE, "s3://media/out/hls/master")
    group = settings["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
    group["SegmentLengthControl"] = "GOP_MULTIPLE"
    job = model(settings)
    (hls,) = job.output_groups
    assert isinstance(hls, HlsGroup) and hls.gop_multiple_segments
    rendered = render_model_settings(job)
    assert_valid_for_boto3(rendered)
    assert model(rendered) == job
