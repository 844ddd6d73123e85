"""CMAF and DASH ISO groups: Settings read into the job model with AWS's defaults, rendered
back into Settings botocore accepts, and what the emulator does not build refused by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.settings_builders import assert_valid_for_boto3
from tests.support.streaming_examples import cmaf_job, dash_job
from vod_testbed.backends.jobmodel.model import CmafGroup, Cmfc, DashIsoGroup, MpdOptions
from vod_testbed.backends.mediaconvert.model import ValidationError, to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings

SOURCE = "s3://media/in/talk.mp4"


def _parse(settings: dict[str, Any]) -> Any:
    return parse_job_settings(to_wire_case(settings)).job


def test_a_cmaf_group_reads_its_lengths_manifests_and_tracks() -> None:
    job = _parse(cmaf_job(SOURCE, "s3://media/out/cmaf/index", iframes=True))

    (group,) = job.output_groups
    assert isinstance(group, CmafGroup)
    assert (group.segment_seconds, group.fragment_seconds) == (2, 1)
    assert (group.write_hls, group.write_dash, group.round_target_duration_up) == (True,) * 3
    assert group.mpd == MpdOptions()
    assert [o.name_modifier for o in group.outputs] == ["_360p", "_180p", "_audio"]
    assert [bool(o.video) for o in group.outputs] == [True, True, False]
    assert group.outputs[0].container == Cmfc(iframe_only=True)
    assert group.outputs[2].container == Cmfc(audio_group="program_audio")


def test_aws_defaults_fill_what_is_left_blank() -> None:
    settings = cmaf_job(SOURCE, "s3://media/out/cmaf/")
    del settings["OutputGroups"][0]["OutputGroupSettings"]["CmafGroupSettings"]["SegmentLength"]
    dash = dash_job(SOURCE, "s3://media/out/dash/")
    del dash["OutputGroups"][0]["OutputGroupSettings"]["DashIsoGroupSettings"]["SegmentLength"]
    settings["OutputGroups"] += dash["OutputGroups"]

    cmaf_group, dash_group = _parse(settings).output_groups
    assert (cmaf_group.segment_seconds, cmaf_group.destination) == (10, "s3://media/out/cmaf/talk")
    assert isinstance(dash_group, DashIsoGroup) and dash_group.segment_seconds == 30


@pytest.mark.parametrize(
    "settings",
    [
        cmaf_job(SOURCE, "s3://media/out/c/index", iframes=True),
        cmaf_job(
            SOURCE,
            "s3://media/out/c/index",
            WriteDashManifest="DISABLED",
            WriteSegmentTimelineInRepresentation="ENABLED",
            MpdManifestBandwidthType="AVERAGE",
            MinBufferTime=12000,
            TargetDurationCompatibilityMode="SPEC_COMPLIANT",
        ),
        dash_job(SOURCE, "s3://media/out/d/"),
    ],
)
def test_rendered_settings_are_valid_and_read_back_as_the_same_job(
    settings: dict[str, Any],
) -> None:
    job = _parse(settings)
    rendered = render_model_settings(job)

    assert_valid_for_boto3(rendered)
    assert _parse(rendered) == job


def _cmaf(change: Callable[[dict[str, Any], dict[str, Any]], Any]) -> dict[str, Any]:
    settings = cmaf_job(SOURCE, "s3://media/out/c/index")
    group = settings["OutputGroups"][0]
    change(group["OutputGroupSettings"]["CmafGroupSettings"], group["Outputs"])
    return settings


REFUSALS = [
    (
        "muxed-output",
        lambda g, o: o[0].update(AudioDescriptions=o[2]["AudioDescriptions"]),
        "/outputGroups/0/outputs/0",
        "holds one track",
    ),
    (
        "ac3-audio",
        lambda g, o: o[2]["AudioDescriptions"][0].update(
            CodecSettings={"Codec": "AC3", "Ac3Settings": {"CodingMode": "CODING_MODE_2_0"}}
        ),
        "/outputGroups/0/outputs/2/audioDescriptions/0/codecSettings/codec",
        "AC3 in CMFC outputs is not supported",
    ),
    (
        "number-identifier",
        lambda g, o: o[0].update(NameModifier="_video_$Number$"),
        "/outputGroups/0/outputs/0/nameModifier",
        "format identifiers",
    ),
    (
        "no-name-modifier",
        lambda g, o: o[1].pop("NameModifier"),
        "/outputGroups/0/outputs/1",
        "nameModifier is required",
    ),
    (
        "no-manifest",
        lambda g, o: g.update(WriteHlsManifest="DISABLED", WriteDashManifest="DISABLED"),
        "/outputGroups/0/outputGroupSettings/cmafGroupSettings",
        "neither an HLS nor a DASH manifest",
    ),
    (
        "audio-only",
        lambda g, o: [o.pop(0), o.pop(0)],
        "/outputGroups/0/outputs",
        "at least one video output",
    ),
    (
        "two-audio-groups",
        lambda g, o: o.append(
            {**o[2], "NameModifier": "_fr", "ContainerSettings": {
                "Container": "CMFC", "CmfcSettings": {"AudioGroupId": "french"}}}
        ),
        "/outputGroups/0/outputs",
        "one audio rendition group",
    ),
    (
        "single-file",
        lambda g, o: g.update(SegmentControl="SINGLE_FILE"),
        "/outputGroups/0/outputGroupSettings/cmafGroupSettings/segmentControl",
        "not supported by the emulator",
    ),
    (
        "dash-trick-play",
        lambda g, o: g.update(DashIFrameTrickPlayNameModifier="_trick"),
        "/outputGroups/0/outputGroupSettings/cmafGroupSettings/dashIFrameTrickPlayNameModifier",
        "not supported by the emulator",
    ),
    (
        "h265",
        lambda g, o: o[1]["VideoDescription"]["CodecSettings"].update(Codec="H_265"),
        "/outputGroups/0/outputs/1/videoDescription/codecSettings/codec",
        "H_265 is not supported here",
    ),
    (
        "captions",
        lambda g, o: o[1].update(CaptionDescriptions=[{
            "CaptionSelectorName": "Captions Selector 1",
            "DestinationSettings": {"DestinationType": "WEBVTT"}}]),
        "/outputGroups/0/outputs/1/captionDescriptions",
        "captions in CMFC outputs are not supported",
    ),
    (
        "m3u8-container",
        lambda g, o: o[1].update(ContainerSettings={"Container": "M3U8"}),
        "/outputGroups/0/outputs/1/containerSettings/container",
        "use the CMFC container",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "path", "fragment"), [pytest.param(c, p, f, id=n) for n, c, p, f in REFUSALS]
)
def test_what_is_not_built_is_refused_by_name(
    change: Callable[[dict[str, Any], dict[str, Any]], Any], path: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _parse(_cmaf(change))
    assert caught.value.path == path, caught.value
    assert fragment in caught.value.message
