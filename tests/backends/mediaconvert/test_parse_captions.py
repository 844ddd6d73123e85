"""Caption settings read by the emulator: rendered caption tracks read back as the same
tracks, and what the emulator cannot do refused by name with its pointer."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vod_testbed.backends.captions import CaptionDestination, CaptionTrack
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.mediaconvert.coverage import SettingsError
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.media.captions import CaptionFormat

TRACKS = (
    CaptionTrack("s3://b/v/talk.srt", CaptionFormat.SRT, "eng", "English (CC)"),
    CaptionTrack("s3://b/v/talk.scc", CaptionFormat.SCC, "spa", time_delta_ms=-250),
    CaptionTrack(
        "s3://b/v/talk.vtt", CaptionFormat.WEBVTT, "eng", destination=CaptionDestination.BURN_IN
    ),
)
REQUEST = JobRequest.for_prefix("s3://b/v/talk.mp4", captions=TRACKS)


def wire() -> dict[str, Any]:
    return to_wire_case(render_job_settings(REQUEST))


def test_rendered_caption_tracks_read_back_as_the_same_tracks():
    parsed = parse_job_settings(wire())
    assert parsed.request.captions == TRACKS
    assert [r.name for r in parsed.request.ladder.rungs] == [r.name for r in REQUEST.ladder.rungs]
    selectors = parsed.job.inputs[0].caption_selectors
    assert [(s.name, s.source_type, s.time_delta_ms) for s in selectors] == [
        ("Captions Selector 1", "SRT", 0),
        ("Captions Selector 2", "SCC", -250),
        ("Captions Selector 3", "WEBVTT", 0),
    ]


def test_time_delta_in_seconds_is_the_default_unit():
    settings = wire()
    files = settings["inputs"][0]["captionSelectors"]["Captions Selector 2"]["sourceSettings"][
        "fileSourceSettings"
    ]
    files["timeDelta"] = 2
    del files["timeDeltaUnits"]
    assert parse_job_settings(settings).request.captions[1].time_delta_ms == 2000


def _refused(settings: dict[str, Any], pointer: str, words: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_job_settings(settings)
    assert str(caught.value).startswith(pointer), str(caught.value)
    assert words in str(caught.value)


def test_caption_sources_the_emulator_cannot_read_are_refused_by_name():
    settings = wire()
    selector = settings["inputs"][0]["captionSelectors"]["Captions Selector 1"]
    selector["sourceSettings"] = {"sourceType": "TELETEXT"}
    _refused(
        settings,
        "/inputs/0/captionSelectors/Captions Selector 1/sourceSettings/sourceType",
        "'TELETEXT' is not supported by the emulator",
    )


def test_an_unknown_selector_and_an_unsupported_destination_are_refused():
    settings = wire()
    outputs = settings["outputGroups"][0]["outputs"]
    caption_index = next(i for i, o in enumerate(outputs) if "videoDescription" not in o)
    broken = copy.deepcopy(settings)
    broken["outputGroups"][0]["outputs"][caption_index]["captionDescriptions"][0][
        "captionSelectorName"
    ] = "Captions Selector 9"
    _refused(
        broken,
        f"/outputGroups/0/outputs/{caption_index}/captionDescriptions/0/captionSelectorName",
        "names no caption selector",
    )
    destination = settings["outputGroups"][0]["outputs"][caption_index]["captionDescriptions"][0][
        "destinationSettings"
    ]
    destination.clear()
    destination.update({"destinationType": "TTML", "ttmlDestinationSettings": {}})
    _refused(
        settings,
        f"/outputGroups/0/outputs/{caption_index}/captionDescriptions/0/destinationSettings",
        "is not supported by the emulator",
    )


def test_a_job_that_must_run_as_a_model_keeps_its_captions():
    # An I-frame playlist makes the job a model (only the model path writes one); the model
    # path writes the WebVTT renditions and the burn-in too.
    settings = wire()
    first = settings["outputGroups"][0]["outputs"][0]
    assert "videoDescription" in first
    first.setdefault("outputSettings", {}).setdefault("hlsSettings", {})["iFrameOnlyManifest"] = (
        "INCLUDE"
    )
    parsed = parse_job_settings(settings)
    assert parsed.ladder is None
    outputs = parsed.job.output_groups[0].outputs
    videos = [o for o in outputs if o.video is not None]
    assert {tuple(c.destination for c in o.captions) for o in videos} == {("BURN_IN",)}
    assert [o.captions[0].destination for o in outputs if o.video is None] == ["WEBVTT"] * 2
