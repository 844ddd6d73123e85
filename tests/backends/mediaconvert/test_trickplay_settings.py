"""ImageBasedTrickPlay in Settings: read into the model, rendered back (ladder and model),
valid for boto3, and what the emulator does not write refused by name."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from tests.support.job_examples import AUDIO_SELECTORS, hls_group
from tests.support.settings_builders import (
    assert_valid_for_boto3,
    read_back,
    request,
)
from vod_testbed.backends.mediaconvert.coverage import SettingsError
from vod_testbed.backends.mediaconvert.model import ValidationError, to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings
from vod_testbed.backends.trickplay import TrickPlay, TrickPlayMode


def job(**group_settings: Any) -> dict[str, Any]:
    group = hls_group("s3://out/talk/hls/index", ("_360p", 640, 360, 800_000))
    group["OutputGroupSettings"]["HlsGroupSettings"].update(group_settings)
    return {
        "Inputs": [{"FileInput": "s3://in/talk.mp4", "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [group],
    }


def trick_play_of(settings: dict[str, Any]) -> TrickPlay | None:
    group = parse_job_settings(to_wire_case(settings)).job.output_groups[0]
    return group.trick_play  # type: ignore[union-attr]


def test_presets_and_none() -> None:
    assert trick_play_of(job()) is None
    assert trick_play_of(job(ImageBasedTrickPlay="NONE")) is None
    assert trick_play_of(job(ImageBasedTrickPlay="THUMBNAIL")) == TrickPlay()
    assert trick_play_of(job(ImageBasedTrickPlay="THUMBNAIL_AND_FULLFRAME")) == TrickPlay(
        TrickPlayMode.THUMBNAIL_AND_FULLFRAME
    )


def test_advanced_reads_every_setting() -> None:
    advanced = {
        "TileWidth": 5,
        "TileHeight": 4,
        "ThumbnailWidth": 160,
        "ThumbnailHeight": 90,
        "IntervalCadence": "FOLLOW_CUSTOM",
        "ThumbnailInterval": 2.5,
    }
    spec = trick_play_of(job(ImageBasedTrickPlay="ADVANCED", ImageBasedTrickPlaySettings=advanced))
    assert spec == TrickPlay(TrickPlayMode.ADVANCED, 5, 4, 160, 90, Fraction(5, 2))
    follow = trick_play_of(job(ImageBasedTrickPlay="ADVANCED"))
    assert follow == TrickPlay(TrickPlayMode.ADVANCED, interval_s=None)


@pytest.mark.parametrize(
    ("settings", "pointer"),
    [
        ({"ImageBasedTrickPlay": "VARIANTS"}, "/imageBasedTrickPlay"),
        (
            {
                "ImageBasedTrickPlay": "ADVANCED",
                "ImageBasedTrickPlaySettings": {"IntervalCadence": "FOLLOW_SEGMENTATION"},
            },
            "/imageBasedTrickPlaySettings/intervalCadence",
        ),
        (
            {
                "ImageBasedTrickPlay": "ADVANCED",
                "ImageBasedTrickPlaySettings": {"IntervalCadence": "FOLLOW_CUSTOM"},
            },
            "/imageBasedTrickPlaySettings/thumbnailInterval",
        ),
        (
            {
                "ImageBasedTrickPlay": "ADVANCED",
                "ImageBasedTrickPlaySettings": {"ThumbnailWidth": 100},
            },
            "/imageBasedTrickPlaySettings",
        ),
        (
            {
                "ImageBasedTrickPlay": "ADVANCED",
                "ImageBasedTrickPlaySettings": {"ThumbnailHeight": 1000, "TileHeight": 5},
            },
            "/imageBasedTrickPlaySettings",
        ),
    ],
)
def test_what_is_not_written_is_refused_by_name(settings: dict[str, Any], pointer: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_job_settings(to_wire_case(job(**settings)))
    where = "/outputGroups/0/outputGroupSettings/hlsGroupSettings"
    assert f"{where}{pointer}" in str(caught.value)


def test_advanced_settings_beside_a_preset_are_still_checked() -> None:
    settings = job(
        ImageBasedTrickPlay="THUMBNAIL",
        ImageBasedTrickPlaySettings={"IntervalCadence": "FOLLOW_SEGMENTATION"},
    )
    with pytest.raises(SettingsError, match="FOLLOW_SEGMENTATION"):
        parse_job_settings(to_wire_case(settings))


@pytest.mark.parametrize(
    "spec",
    [
        TrickPlay(),
        TrickPlay(TrickPlayMode.THUMBNAIL_AND_FULLFRAME),
        TrickPlay(TrickPlayMode.ADVANCED, 5, 4, 160, 90, Fraction(5, 2)),
        TrickPlay(TrickPlayMode.ADVANCED, 2, 2, 320),
    ],
)
def test_rendered_settings_are_valid_and_read_back(spec: TrickPlay) -> None:
    req = request(trick_play=spec)
    settings = render_job_settings(req)
    assert_valid_for_boto3(settings)
    parsed = parse_job_settings(to_wire_case(settings))
    assert parsed.request == read_back(req)
    model = parsed.job
    rendered = render_model_settings(model)
    assert_valid_for_boto3(rendered)
    again = parse_job_settings(to_wire_case(rendered)).job
    assert again.output_groups[0].trick_play == spec  # type: ignore[union-attr]
