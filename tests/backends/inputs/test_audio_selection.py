"""Audio selectors, groups and remixing as the service model documents them
(``AudioSelector``, ``AudioSelectorGroup``, ``AudioDescription.AudioSourceName``,
``RemixSettings``), read from Settings and resolved against an input's tracks."""

from __future__ import annotations

from typing import Any

import pytest

from vod_testbed.backends.jobmodel.audio_selection import (
    AudioSelectionError,
    SelectedTrack,
    resolve_audio_source,
)
from vod_testbed.backends.jobmodel.model import Input
from vod_testbed.backends.mediaconvert.coverage import SettingsError
from vod_testbed.backends.mediaconvert.parse_inputs import audio_selectors, remix
from vod_testbed.media.tracks import AudioTrack

TRACKS = (
    AudioTrack(1, 0, 2, 48_000, "aac", language="ENG", pid=482),
    AudioTrack(2, 1, 2, 48_000, "aac", language="SPA", pid=483),
    AudioTrack(3, 2, 1, 48_000, "aac", language=None, pid=484),
)


def job_input(settings: dict[str, Any]) -> Input:
    selectors, groups = audio_selectors(settings, "/inputs/0")
    return Input("s3://b/in.mp4", audio_selectors=selectors, audio_selector_groups=groups)


def picked(name: str | None, settings: dict[str, Any]) -> tuple[SelectedTrack, ...]:
    return resolve_audio_source(name, job_input(settings), 0, TRACKS).tracks


def test_selectors_by_track_pid_and_language() -> None:
    settings = {
        "audioSelectors": {
            "Audio Selector 1": {"tracks": [2]},
            "Audio Selector 2": {"selectorType": "PID", "pids": [484]},
            "Audio Selector 3": {"selectorType": "LANGUAGE_CODE", "languageCode": "ENG"},
            "Audio Selector 4": {"tracks": [1, 3]},  # "include several tracks"
            "Audio Selector 5": {"defaultSelection": "DEFAULT"},  # lists nothing: track 1
        }
    }
    assert [t.stream_index for t in picked("Audio Selector 1", settings)] == [1]
    assert [t.stream_index for t in picked("Audio Selector 2", settings)] == [2]
    assert [t.stream_index for t in picked("Audio Selector 3", settings)] == [0]
    assert [t.channels for t in picked("Audio Selector 4", settings)] == [2, 1]
    assert [t.stream_index for t in picked("Audio Selector 5", settings)] == [0]


def test_the_default_source_name_and_the_default_selector() -> None:
    # "If no audio_source_name is specified, then "Audio Selector 1" will be chosen".
    settings: dict[str, Any] = {"audioSelectors": {"Audio Selector 1": {"tracks": [2]}}}
    assert [t.stream_index for t in picked(None, settings)] == [1]
    # "If an input does not have an "Audio Selector 3", then the audio selector marked as
    # "default" in that input will be used."
    settings = {
        "audioSelectors": {
            "Audio Selector 1": {"tracks": [1]},
            "Audio Selector 2": {"tracks": [2], "defaultSelection": "DEFAULT"},
        }
    }
    assert [t.stream_index for t in picked("Audio Selector 3", settings)] == [1]
    # "If there is no audio selector marked as "default", silence will be inserted".
    settings = {"audioSelectors": {"Audio Selector 1": {"tracks": [1]}}}
    assert resolve_audio_source("Audio Selector 3", job_input(settings), 0, TRACKS).silent


def test_a_group_combines_its_selectors() -> None:
    first, second = "Audio Selector 1", "Audio Selector 2"
    settings = {
        "audioSelectors": {first: {"tracks": [1]}, second: {"tracks": [3]}},
        "audioSelectorGroups": {"Audio Selector Group 1": {"audioSelectorNames": [first, second]}},
    }
    source = resolve_audio_source("Audio Selector Group 1", job_input(settings), 0, TRACKS)
    assert [t.stream_index for t in source.tracks] == [0, 2]
    assert source.channels == 3


def test_missing_tracks_end_the_job_with_aws_sentence() -> None:
    settings = {"audioSelectors": {"Audio Selector 1": {"tracks": [4]}}}
    with pytest.raises(AudioSelectionError) as caught:
        picked(None, settings)
    assert str(caught.value) == (
        "Invalid audio track specified for Audio Selector 1. Audio track [4] not found in input "
        "container."
    )
    assert caught.value.code == 1021
    with pytest.raises(AudioSelectionError, match=r"no audio track in language \[FRA\]"):
        picked(None, {"audioSelectors": {"Audio Selector 1": {
            "selectorType": "LANGUAGE_CODE", "languageCode": "FRA"}}})  # fmt: skip
    with pytest.raises(AudioSelectionError, match=r"PID \[999\] not found"):
        picked(
            None, {"audioSelectors": {"Audio Selector 1": {"selectorType": "PID", "pids": [999]}}}
        )


def test_external_audio_files_use_their_own_tracks() -> None:
    settings = {
        "audioSelectors": {"Audio Selector 1": {"externalAudioFileInput": "s3://b/dub.wav"}}
    }
    external = {"s3://b/dub.wav": (AudioTrack(1, 0, 2, 48_000, "pcm_s16le"),)}
    source = resolve_audio_source(None, job_input(settings), 0, TRACKS, external)
    assert source.external_uri == "s3://b/dub.wav"
    assert source.tracks == (SelectedTrack(None, 0, 2),)


def test_remix_levels_are_db_with_minus_60_as_mute() -> None:
    # "Valid values are within the range from -60 (mute) through 6. A setting of 0 passes the
    # input channel unchanged to the output channel".
    mix = remix(
        {
            "channelsIn": 2,
            "channelsOut": 2,
            "channelMapping": {
                "outputChannels": [{"inputChannels": [0, -60]}, {"inputChannels": [-60, -6]}]
            },
        },
        "/r",
    )
    assert mix.gains[0] == (1.0, 0.0)
    assert mix.gains[1][0] == 0.0 and abs(mix.gains[1][1] - 0.501) < 0.001
    with pytest.raises(SettingsError, match="3 levels for channelsIn 2"):
        remix(
            {"channelsIn": 2, "channelMapping": {"outputChannels": [{"inputChannels": [0, 0, 0]}]}},
            "/r",
        )


def test_settings_name_what_a_selector_lacks() -> None:
    with pytest.raises(SettingsError, match="languageCode is required"):
        audio_selectors({"audioSelectors": {"A": {"selectorType": "LANGUAGE_CODE"}}}, "/inputs/0")
    with pytest.raises(SettingsError, match="'B' is not an audio selector of this input"):
        audio_selectors(
            {
                "audioSelectors": {"A": {}},
                "audioSelectorGroups": {"G": {"audioSelectorNames": ["B"]}},
            },
            "/inputs/0",
        )
