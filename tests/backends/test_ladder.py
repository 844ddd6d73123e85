from __future__ import annotations

import pytest

from vod_testbed.backends.ladder import (
    DEFAULT_LADDER,
    Ladder,
    PortraitPolicy,
    RateControl,
    RenditionPlan,
    Rung,
    UpscalePolicy,
    fit_geometry,
    plan_renditions,
    thumbnail_geometry,
)


def boxes(plans):
    return [(p.geometry.box_width, p.geometry.box_height) for p in plans]


def pictures(plans):
    return [(p.geometry.picture_width, p.geometry.picture_height) for p in plans]


def test_default_ladder_is_the_four_rungs_of_the_design():
    assert [(r.name, r.width, r.height, r.video_bitrate) for r in DEFAULT_LADDER.rungs] == [
        ("1080p", 1920, 1080, 5_000_000),
        ("720p", 1280, 720, 3_000_000),
        ("480p", 854, 480, 1_500_000),
        ("360p", 640, 360, 800_000),
    ]
    assert DEFAULT_LADDER.segment_seconds == 6
    assert DEFAULT_LADDER.gop_seconds == 2
    assert DEFAULT_LADDER.audio is not None
    assert DEFAULT_LADDER.audio.sample_rate == 48_000
    assert DEFAULT_LADDER.audio.channels == 2
    assert DEFAULT_LADDER.thumbnails is not None
    assert DEFAULT_LADDER.thumbnails.interval_s == 10
    assert all(r.profile == "high" for r in DEFAULT_LADDER.rungs)


def test_landscape_source_fills_every_box():
    plans = plan_renditions(DEFAULT_LADDER, 1920, 1080)
    assert boxes(plans) == pictures(plans) == [(1920, 1080), (1280, 720), (854, 480), (640, 360)]


def test_portrait_source_is_pillarboxed_by_default():
    plans = plan_renditions(DEFAULT_LADDER, 1080, 1920)
    assert boxes(plans) == [(1920, 1080), (1280, 720), (854, 480), (640, 360)]
    assert pictures(plans)[0] == (608, 1080)
    assert plans[0].geometry.pad_x == (1920 - 608) // 2


def test_portrait_source_with_rotated_boxes_has_no_bars():
    ladder = DEFAULT_LADDER.with_policies(portrait=PortraitPolicy.ROTATE_BOX)
    plans = plan_renditions(ladder, 1080, 1920)
    assert boxes(plans) == pictures(plans) == [(1080, 1920), (720, 1280), (480, 854), (360, 640)]


def test_small_source_is_upscaled_by_default():
    plans = plan_renditions(DEFAULT_LADDER, 640, 360)
    assert [p.rung.name for p in plans] == ["1080p", "720p", "480p", "360p"]


def test_no_upscale_policy_drops_rungs_taller_than_the_source():
    ladder = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP)
    assert [p.rung.name for p in plan_renditions(ladder, 1280, 720)] == ["720p", "480p", "360p"]
    assert [p.rung.name for p in plan_renditions(ladder, 640, 360)] == ["360p"]


def test_no_upscale_policy_always_keeps_the_smallest_rung():
    ladder = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP)
    assert [p.rung.name for p in plan_renditions(ladder, 320, 180)] == ["360p"]


def test_odd_source_keeps_the_rung_it_nearly_matches():
    ladder = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP)
    plans = plan_renditions(ladder, 853, 479)
    assert [p.rung.name for p in plans] == ["480p", "360p"]
    assert pictures(plans) == [(854, 480), (640, 360)]


def test_geometry_is_always_even():
    for src in [(853, 479), (1000, 999), (1081, 1921), (3840, 1600)]:
        for plan in plan_renditions(DEFAULT_LADDER, *src):
            g = plan.geometry
            assert g.picture_width % 2 == 0 and g.picture_height % 2 == 0
            assert g.picture_width <= g.box_width and g.picture_height <= g.box_height


def test_cinemascope_source_is_letterboxed():
    g = fit_geometry(1920, 1080, 3840, 1600)
    assert (g.picture_width, g.picture_height) == (1920, 800)
    assert g.pad_y == 140


def test_thumbnails_follow_the_portrait_policy():
    boxed = thumbnail_geometry(DEFAULT_LADDER, 1080, 1920)
    assert boxed is not None and boxed.box_width == 1280
    rotated = DEFAULT_LADDER.with_policies(portrait=PortraitPolicy.ROTATE_BOX)
    turned = thumbnail_geometry(rotated, 1080, 1920)
    assert turned is not None and turned.box_width == 720


def test_rate_control_caps():
    vbr = Rung("x", 640, 360, 800_000)
    assert vbr.max_bitrate == 856_000
    assert vbr.buffer_size == 1_200_000
    cbr = Rung("x", 640, 360, 800_000, rate_control=RateControl.CBR)
    assert cbr.max_bitrate == 800_000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rungs": ()}, "at least one rung"),
        ({"rungs": (Rung("a", 640, 360, 1), Rung("a", 320, 180, 1))}, "unique"),
        ({"rungs": (Rung("a", 641, 360, 1),)}, "even"),
        ({"rungs": (Rung("a", 640, 360, 1),), "segment_seconds": 0}, "must be positive"),
    ],
)
def test_invalid_ladders_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Ladder(**kwargs)


def boxes_and_pads(plans: list[RenditionPlan]) -> list[tuple[int, int, int, int]]:
    return [
        (p.geometry.box_width, p.geometry.box_height, p.geometry.pad_x, p.geometry.pad_y)
        for p in plans
    ]


def test_fit_no_upscale_gives_a_4_3_source_its_own_size_without_padding() -> None:
    """ "MediaConvert decreases the size of your input image until it fits inside the
    dimensions of your output resolution [...] does not add padding" (MediaConvert user
    guide, "Configuring fit without upscaling scaling")."""
    ladder = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.FIT_NO_UPSCALE)
    assert boxes_and_pads(plan_renditions(ladder, 1440, 1080)) == [
        (1440, 1080, 0, 0),
        (960, 720, 0, 0),
        (640, 480, 0, 0),
        (480, 360, 0, 0),
    ]


def test_fit_no_upscale_never_enlarges_nor_drops_a_rung() -> None:
    """ "If your input image is smaller than your output image, MediaConvert does not
    increase the size of your image" (user guide, "Configuring fit without upscaling")."""
    ladder = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.FIT_NO_UPSCALE)
    plans = plan_renditions(ladder, 640, 360)
    assert [p.rung.name for p in plans] == ["1080p", "720p", "480p", "360p"]
    assert boxes_and_pads(plans) == [(640, 360, 0, 0)] * 4


def test_fit_no_upscale_rounds_a_16_9_source_to_the_box() -> None:
    ladder = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.FIT_NO_UPSCALE)
    assert boxes_and_pads(plan_renditions(ladder, 1920, 1080))[2] == (854, 480, 0, 0)
