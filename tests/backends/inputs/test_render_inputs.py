"""A job with clipped and stitched inputs, selectors, groups, remixing, loudness, images,
a segment modifier and automated ABR, rendered for the MediaConvert backend into Settings
boto3 accepts, reads back as the same model."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.support.inputs import h264_output, hls_group
from tests.support.settings_builders import assert_valid_for_boto3
from vod_testbed.backends.jobmodel.model import JobSpec
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings

LOGO = {"ImageInserterInput": "s3://b/logo.png", "ImageX": 10, "ImageY": 20, "Opacity": 80,
        "StartTime": "00:00:01:00", "Duration": 2000, "FadeIn": 200, "Layer": 2}  # fmt: skip


def model(settings: dict[str, Any]) -> JobSpec:
    return replace(parse_job_settings(to_wire_case(settings)).job, warnings=())


def everything() -> dict[str, Any]:
    output = h264_output("_180p")
    output["OutputSettings"] = {"HlsSettings": {"SegmentModifier": "$dt$"}}
    output["VideoDescription"]["VideoPreprocessors"] = {
        "ImageInserter": {"InsertableImages": [LOGO]}
    }
    output["AudioDescriptions"][0].update(
        {
            "AudioSourceName": "Both",
            "AudioNormalizationSettings": {"TargetLkfs": -16, "LoudnessLogging": "LOG"},
            "RemixSettings": {
                "ChannelsIn": 2,
                "ChannelsOut": 2,
                "ChannelMapping": {
                    "OutputChannels": [{"InputChannels": [0, -6]}, {"InputChannels": [-60, 0]}]
                },
            },
        }
    )
    group = hls_group("s3://b/out/master", output)
    group["AutomatedEncodingSettings"] = {
        "AbrSettings": {
            "MaxRenditions": 4,
            "Rules": [
                {"Type": "MIN_BOTTOM_RENDITION_SIZE",
                 "MinBottomRenditionSize": {"Width": 320, "Height": 180}},
            ],
        }
    }  # fmt: skip
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [
            {
                "FileInput": "s3://b/a.mp4",
                "TimecodeSource": "SPECIFIEDSTART",
                "TimecodeStart": "01:00:00:00",
                "InputClippings": [{"StartTimecode": "01:00:01:00", "EndTimecode": "01:00:02:00"}],
                "ImageInserter": {"InsertableImages": [LOGO]},
                "AudioSelectors": {
                    "English": {"SelectorType": "LANGUAGE_CODE", "LanguageCode": "ENG"},
                    "Commentary": {"SelectorType": "PID", "Pids": [258], "Offset": 40},
                },
                "AudioSelectorGroups": {"Both": {"AudioSelectorNames": ["English", "Commentary"]}},
            },
            {
                "FileInput": "s3://b/b.mp4",
                "AudioSelectors": {
                    "Both": {
                        "ExternalAudioFileInput": "s3://b/dub.m4a",
                        "DefaultSelection": "DEFAULT",
                    }
                },
            },
        ],
        "OutputGroups": [group],
    }


def test_inputs_and_audio_round_trip_through_settings() -> None:
    job = model(everything())
    rendered = render_model_settings(job)
    assert_valid_for_boto3(rendered)
    assert model(rendered) == job
    # What the MediaConvert backend sends names what the job asked for.
    first = rendered["Inputs"][0]
    assert first["InputClippings"] == [
        {"StartTimecode": "01:00:01:00", "EndTimecode": "01:00:02:00"}
    ]
    assert rendered["OutputGroups"][0]["Outputs"][0]["OutputSettings"]["HlsSettings"] == {
        "SegmentModifier": "$dt$"
    }
