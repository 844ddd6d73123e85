"""Caption tracks rendered into CreateJob Settings AWS accepts: sidecar caption selectors,
WebVTT outputs in the HLS group, burn-in on every video output."""

from __future__ import annotations

from vod_testbed.backends.captions import CaptionDestination, CaptionTrack
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.mediaconvert.model import to_wire_case, validate_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.backends.mediaconvert.render_captions import BURN_IN_STYLE
from vod_testbed.media.captions import CaptionFormat

TRACKS = (
    CaptionTrack("s3://b/v/talk.srt", CaptionFormat.SRT, "eng", "English (CC)"),
    CaptionTrack("s3://b/v/talk.scc", CaptionFormat.SCC, "spa", time_delta_ms=-250),
    CaptionTrack(
        "s3://b/v/talk.vtt", CaptionFormat.WEBVTT, "eng", destination=CaptionDestination.BURN_IN
    ),
)


def _settings() -> dict:
    return render_job_settings(JobRequest.for_prefix("s3://b/v/talk.mp4", captions=TRACKS))


def test_caption_settings_pass_the_service_model():
    validate_job_settings(to_wire_case(_settings()))


def test_each_sidecar_file_is_a_caption_selector_with_its_time_delta():
    selectors = _settings()["Inputs"][0]["CaptionSelectors"]
    assert list(selectors) == ["Captions Selector 1", "Captions Selector 2", "Captions Selector 3"]
    assert selectors["Captions Selector 2"] == {
        "LanguageCode": "SPA",
        "SourceSettings": {
            "SourceType": "SCC",
            "FileSourceSettings": {
                "SourceFile": "s3://b/v/talk.scc",
                "TimeDelta": -250,
                "TimeDeltaUnits": "MILLISECONDS",
            },
        },
    }


def test_webvtt_tracks_are_caption_outputs_of_the_hls_group():
    hls = _settings()["OutputGroups"][0]
    assert hls["OutputGroupSettings"]["HlsGroupSettings"]["CaptionSegmentLengthControl"] == (
        "MATCH_VIDEO"
    )
    captions = [o for o in hls["Outputs"] if "VideoDescription" not in o]
    assert [o["NameModifier"] for o in captions] == ["_captions_eng", "_captions_spa"]
    (description,) = captions[0]["CaptionDescriptions"]
    assert description == {
        "CaptionSelectorName": "Captions Selector 1",
        "LanguageCode": "ENG",
        "LanguageDescription": "English (CC)",
        "DestinationSettings": {
            "DestinationType": "WEBVTT",
            "WebvttDestinationSettings": {"StylePassthrough": "DISABLED"},
        },
    }
    assert all("AudioDescriptions" not in o for o in captions)


def test_a_burnt_in_track_is_on_every_video_output():
    outputs = [o for o in _settings()["OutputGroups"][0]["Outputs"] if "VideoDescription" in o]
    assert len(outputs) == 4
    for output in outputs:
        (description,) = output["CaptionDescriptions"]
        assert description["CaptionSelectorName"] == "Captions Selector 3"
        assert description["DestinationSettings"] == {
            "DestinationType": "BURN_IN",
            "BurninDestinationSettings": BURN_IN_STYLE,
        }


def test_a_job_without_captions_has_no_caption_settings():
    settings = render_job_settings(JobRequest.for_prefix("s3://b/v/talk.mp4"))
    assert "CaptionSelectors" not in settings["Inputs"][0]
    group = settings["OutputGroups"][0]
    assert "CaptionSegmentLengthControl" not in group["OutputGroupSettings"]["HlsGroupSettings"]
    assert all("CaptionDescriptions" not in o for o in group["Outputs"])
