"""Sidecar caption outputs of a file group (SRT and WebVTT) and WebVTT renditions beside
segment modifiers, read into the job model, named as MediaConvert names them, rendered back
into Settings boto3 accepts, and what the emulator cannot do refused by name."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from tests.support.caption_jobs import captioned_input, hls_with_captions_and_modifiers, sidecar
from tests.support.job_examples import file_group, mp4_output
from tests.support.settings_builders import assert_valid_for_boto3
from vod_testbed.backends.jobmodel import names
from vod_testbed.backends.jobmodel.model import CaptionDescription, FileGroup, JobSpec, Raw
from vod_testbed.backends.mediaconvert.coverage import SettingsError
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings

SOURCE = "s3://media/in/lecture.mp4"


def job(*outputs: dict[str, Any]) -> dict[str, Any]:
    """One input with two sidecar caption files; a file group of ``outputs``."""
    return {
        "Inputs": [captioned_input(SOURCE, "s3://media/in/en.srt", "s3://media/in/es.vtt")],
        "OutputGroups": [file_group("s3://media/out/", *outputs)],
    }


def parsed(settings: dict[str, Any]) -> JobSpec:
    return replace(parse_job_settings(to_wire_case(settings)).job, warnings=())


def _refused(settings: dict[str, Any], pointer: str, words: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_job_settings(to_wire_case(settings))
    assert str(caught.value).startswith(pointer), str(caught.value)
    assert words in str(caught.value)


def test_sidecar_outputs_are_named_base_modifier_and_format_extension() -> None:
    settings = job(
        mp4_output(modifier="_video"),
        sidecar("_en", "SRT"),
        sidecar("_es", "WEBVTT", "Captions Selector 2"),
        {**sidecar("_es_srt", "SRT", "Captions Selector 2"), "Extension": "txt"},
    )
    model = parsed(settings)
    group = model.output_groups[0]
    assert isinstance(group, FileGroup)
    captions = group.outputs[1:]
    assert all(isinstance(o.container, Raw) for o in captions)
    assert captions[0].captions == (CaptionDescription("Captions Selector 1", "SRT", "eng"),)
    # Output.Extension: the default is the format's; a given one wins.
    assert [names.file_name("lecture", o) for o in group.outputs] == [
        "lecture_video.mp4",
        "lecture_en.srt",
        "lecture_es.vtt",
        "lecture_es_srt.txt",
    ]
    assert model.inputs[0].caption_selectors[1].time_delta_ms == 1000


def test_sidecar_outputs_render_into_settings_boto3_accepts_and_read_back() -> None:
    model = parsed(job(mp4_output(modifier="_video"), sidecar("_en", "SRT")))
    rendered = render_model_settings(model)
    assert_valid_for_boto3(rendered)
    outputs = rendered["OutputGroups"][0]["Outputs"]
    destination = outputs[1]["CaptionDescriptions"][0]["DestinationSettings"]
    assert destination["DestinationType"] == "SRT"
    assert outputs[1]["ContainerSettings"] == {"Container": "RAW"}
    assert parsed(rendered) == model


def test_a_webvtt_rendition_beside_segment_modifiers_renders_and_reads_back() -> None:
    settings = job()
    settings["OutputGroups"] = [hls_with_captions_and_modifiers("s3://media/out/hls/")]
    model = parsed(settings)
    assert model.output_groups[0].outputs[1].captions[0].destination == "WEBVTT"
    rendered = render_model_settings(model)
    assert_valid_for_boto3(rendered)
    assert parsed(rendered) == model


def test_what_a_sidecar_output_cannot_be_is_refused_by_name() -> None:
    base = job(mp4_output(modifier="_video"), sidecar("_en", "SRT"))
    two = copy.deepcopy(base)
    descriptions = two["OutputGroups"][0]["Outputs"][1]["CaptionDescriptions"]
    descriptions.append({**descriptions[0], "CaptionSelectorName": "Captions Selector 2"})
    _refused(two, "/outputGroups/0/outputs/1/captionDescriptions", "put each captions track")
    scc = copy.deepcopy(base)
    scc["OutputGroups"][0]["Outputs"][1]["CaptionDescriptions"][0]["DestinationSettings"] = {
        "DestinationType": "SCC"
    }
    _refused(scc, "/outputGroups/0/outputs/1/captionDescriptions/0/destinationSettings", "SCC")
    inside = copy.deepcopy(base)
    inside["OutputGroups"][0]["Outputs"][0]["CaptionDescriptions"] = copy.deepcopy(
        base["OutputGroups"][0]["Outputs"][1]["CaptionDescriptions"]
    )
    _refused(inside, "/outputGroups/0/outputs/0/captionDescriptions", "inside a media file")
    mp4 = copy.deepcopy(base)
    mp4["OutputGroups"][0]["Outputs"][1]["ContainerSettings"] = {"Container": "MP4"}
    _refused(mp4, "/outputGroups/0/outputs/1/containerSettings/container", "RAW")


def test_captions_of_a_clipped_input_are_refused_by_name() -> None:
    settings = job(mp4_output(modifier="_video"), sidecar("_en", "SRT"))
    settings["Inputs"][0]["InputClippings"] = [{"StartTimecode": "00:00:01:00"}]
    _refused(settings, "/outputGroups/0/outputs/1/captionDescriptions", "InputClippings")


def test_embedded_608_selectors_read_render_and_read_back() -> None:
    settings = job(mp4_output(modifier="_video"), sidecar("_en", "WEBVTT"))
    settings["Inputs"][0]["CaptionSelectors"]["Captions Selector 1"] = {
        "SourceSettings": {
            "SourceType": "EMBEDDED",
            "EmbeddedSourceSettings": {"Source608ChannelNumber": 1, "Convert608To708": "DISABLED"},
        }
    }
    model = parsed(settings)
    selector = model.inputs[0].caption_selectors[0]
    assert (selector.source_type, selector.file) == ("EMBEDDED", None)
    rendered = render_model_settings(model)
    assert_valid_for_boto3(rendered)
    assert parsed(rendered) == model
    # ffmpeg's caption decoder reads CC1 only.
    embedded = settings["Inputs"][0]["CaptionSelectors"]["Captions Selector 1"]
    embedded["SourceSettings"]["EmbeddedSourceSettings"]["Source608ChannelNumber"] = 3
    _refused(
        settings,
        "/inputs/0/captionSelectors/Captions Selector 1/sourceSettings/embeddedSourceSettings"
        "/source608ChannelNumber",
        "",
    )


def test_burn_in_on_an_mp4_output_renders_and_reads_back() -> None:
    burnt = mp4_output(modifier="_burnt")
    burnt["CaptionDescriptions"] = [
        {
            "CaptionSelectorName": "Captions Selector 1",
            "DestinationSettings": {"DestinationType": "BURN_IN"},
        }
    ]
    model = parsed(job(mp4_output(modifier="_plain"), burnt))
    assert model.output_groups[0].outputs[1].captions[0].destination == "BURN_IN"
    rendered = render_model_settings(model)
    assert_valid_for_boto3(rendered)
    assert parsed(rendered) == model
