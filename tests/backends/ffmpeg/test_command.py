"""The ladder command, asserted on its argument list (no ffmpeg is run here)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from tests.support.sources import media_info
from vod_testbed.backends.ffmpeg.command import EncodePlan, build_command
from vod_testbed.backends.ladder import (
    DEFAULT_LADDER,
    Ladder,
    RateControl,
    RotatePolicy,
    Rung,
    plan_renditions,
    thumbnail_geometry,
)
from vod_testbed.backends.source import applied_rotation, display_size
from vod_testbed.media.probe import MediaInfo


def media(width=1920, height=1080, sar=Fraction(1), rotation=0, audio=True, rate=Fraction(30)):
    return media_info(width, height, sar=sar, rotation=rotation, audio=audio, rate=rate)


def command(info: MediaInfo | None = None, ladder: Ladder = DEFAULT_LADDER) -> list[str]:
    info = info or media()
    w, h = display_size(info, ladder.rotate)
    plan = EncodePlan(
        input_path=Path("/in/src.mp4"),
        media=info,
        ladder=ladder,
        renditions=tuple(plan_renditions(ladder, w, h)),
        thumbnail=thumbnail_geometry(ladder, w, h),
        frame_rate=Fraction(30),
        hls_dir=Path("/w/hls"),
        hls_base="master",
        thumbnail_dir=Path("/w/thumbnails"),
        thumbnail_base="master",
        rotation=applied_rotation(info, ladder.rotate),
    )
    return build_command(plan, "/usr/bin/ffmpeg")


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def options(argv: list[str], name: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv) if a == name]


def test_one_process_decodes_once_and_splits_into_rungs_and_thumbnails():
    argv = command()
    assert argv[0] == "/usr/bin/ffmpeg"
    assert options(argv, "-i") == ["file:/in/src.mp4"]
    graph = option(argv, "-filter_complex")
    assert graph.count("split=5") == 1
    assert "asplit=4" in graph
    for size in ("1280:720", "854:480", "640:360"):
        assert f"scale={size}" in graph
    # 1080p needs no scaling from a 1080p source.
    assert "scale=1920:1080" not in graph


def test_hls_muxer_uses_mediaconvert_names():
    argv = command()
    assert option(argv, "-master_pl_name") == "master.m3u8"
    assert option(argv, "-hls_segment_filename") == "/w/hls/master%v_%05d.ts"
    assert "/w/hls/master%v.m3u8" in argv
    assert option(argv, "-start_number") == "1"
    assert option(argv, "-var_stream_map") == (
        "v:0,a:0,name:_1080p v:1,a:1,name:_720p v:2,a:2,name:_480p v:3,a:3,name:_360p"
    )
    assert option(argv, "-hls_time") == "6"
    assert option(argv, "-hls_playlist_type") == "vod"
    assert option(argv, "-hls_segment_type") == "mpegts"


def test_closed_two_second_gop_aligned_across_rungs():
    argv = command()
    assert option(argv, "-g") == "60"
    assert option(argv, "-keyint_min") == "60"
    assert option(argv, "-sc_threshold") == "0"
    assert option(argv, "-force_key_frames") == "expr:gte(t,n_forced*2)"
    assert "fps=fps=30" in option(argv, "-filter_complex")


def test_capped_vbr_per_rung():
    argv = command()
    assert [option(argv, f"-b:v:{i}") for i in range(4)] == ["5000k", "3000k", "1500k", "800k"]
    assert [option(argv, f"-maxrate:v:{i}") for i in range(4)] == [
        "5350k",
        "3210k",
        "1605k",
        "856k",
    ]
    assert [option(argv, f"-profile:v:{i}") for i in range(4)] == ["high"] * 4
    assert option(argv, "-c:v") == "libx264"
    assert option(argv, "-pix_fmt") == "yuv420p"


def test_audio_is_aac_stereo_48k_in_every_rendition():
    argv = command()
    assert option(argv, "-c:a") == "aac"
    assert option(argv, "-ac") == "2"
    assert option(argv, "-ar") == "48000"
    assert [option(argv, f"-b:a:{i}") for i in range(4)] == ["128k", "128k", "96k", "64k"]


def test_source_without_audio_maps_video_only():
    argv = command(media(audio=False))
    assert "asplit" not in option(argv, "-filter_complex")
    assert "-c:a" not in argv
    assert option(argv, "-var_stream_map") == (
        "v:0,name:_1080p v:1,name:_720p v:2,name:_480p v:3,name:_360p"
    )


def test_video_only_ladder_drops_the_source_audio():
    argv = command(ladder=Ladder(rungs=DEFAULT_LADDER.rungs, audio=None))
    assert "asplit" not in option(argv, "-filter_complex")
    assert "-c:a" not in argv
    assert option(argv, "-var_stream_map").startswith("v:0,name:_1080p v:1,name:_720p")


def test_thumbnails_first_frame_then_every_interval():
    argv = command()
    graph = option(argv, "-filter_complex")
    assert r"select=isnan(prev_selected_t)+gte(t-prev_selected_t\,10)" in graph
    # The thumbnail output's options sit between the HLS output and the JPEG pattern.
    thumb_options = argv[
        argv.index("/w/hls/master%v.m3u8") + 1 : argv.index("/w/thumbnails/master_thumb.%07d.jpg")
    ]
    assert option(thumb_options, "-f") == "image2"
    assert option(thumb_options, "-c:v") == "mjpeg"
    assert option(thumb_options, "-start_number") == "0"
    assert option(thumb_options, "-fps_mode") == "vfr"


def test_anamorphic_source_is_made_square_before_the_split():
    argv = command(media(1440, 1080, sar=Fraction(4, 3)))
    graph = option(argv, "-filter_complex")
    assert graph.index("scale=1920:1080") < graph.index("split=")
    assert "setsar=1" in graph


def test_portrait_source_is_padded_into_landscape_boxes():
    graph = option(command(media(1080, 1920)), "-filter_complex")
    assert "scale=608:1080" in graph
    assert "pad=1920:1080:656:0" in graph


def test_bigger_than_ladder_source_is_scaled_once():
    graph = option(command(media(3840, 2160)), "-filter_complex")
    assert graph.index("scale=1920:1080") < graph.index("split=")


def test_cbr_and_qvbr_rungs():
    ladder = Ladder(
        rungs=(
            Rung("cbr", 1280, 720, 3_000_000, rate_control=RateControl.CBR),
            Rung("q", 640, 360, 800_000, rate_control=RateControl.QVBR, qvbr_quality=8),
        )
    )
    argv = command(ladder=ladder)
    assert option(argv, "-b:v:0") == option(argv, "-minrate:v:0") == option(argv, "-maxrate:v:0")
    assert option(argv, "-crf:v:1") == "20"
    assert "-b:v:1" not in argv


def test_integer_durations_round_extinf():
    argv = command(ladder=Ladder(rungs=DEFAULT_LADDER.rungs, integer_durations=True))
    assert option(argv, "-hls_flags") == "independent_segments+round_durations"


def test_progress_goes_to_stdout_and_no_shell_is_involved():
    argv = command()
    assert option(argv, "-progress") == "pipe:1"
    assert "-nostdin" in argv
    assert all(isinstance(a, str) for a in argv)


@pytest.mark.parametrize("rotation", [90, -90, 270])
def test_rotated_source_is_handled_as_portrait(rotation):
    graph = option(command(media(1280, 720, rotation=rotation)), "-filter_complex")
    # ffmpeg autorotates to 720x1280; the ladder then pillarboxes it.
    assert "pad=1920:1080" in graph


def test_rotation_metadata_the_rule_does_not_honour_is_ignored():
    ignored = command(
        media(1280, 720, rotation=90), replace(DEFAULT_LADDER, rotate=RotatePolicy.NONE)
    )
    honoured = command(media(1280, 720, rotation=90))
    assert "-noautorotate" in ignored
    assert "pad=1920:1080" not in option(ignored, "-filter_complex")
    assert "-noautorotate" not in honoured


@pytest.mark.parametrize(
    ("policy", "filters"),
    [
        (RotatePolicy.DEGREES_90, ["transpose=clock"]),
        (RotatePolicy.DEGREES_180, ["hflip", "vflip"]),
        (RotatePolicy.DEGREES_270, ["transpose=cclock"]),
    ],
)
def test_a_fixed_rotation_turns_the_stored_picture_and_ignores_the_metadata(policy, filters):
    argv = command(media(1280, 720, rotation=90), replace(DEFAULT_LADDER, rotate=policy))
    graph = option(argv, "-filter_complex")
    assert "-noautorotate" in argv
    first = graph.index(filters[0])
    assert all(graph.index(f) >= first for f in filters)
    assert graph.index(filters[-1]) < graph.index("fps=")
    # Turned by 90 or 270 degrees, the 1280x720 picture is portrait: pillarboxed.
    assert ("pad=1920:1080" in graph) == (policy is not RotatePolicy.DEGREES_180)


def test_the_vbv_buffer_and_its_initial_fill_are_the_rendered_hrd_settings():
    argv = command()
    for index, rung in enumerate(DEFAULT_LADDER.rungs):
        assert option(argv, f"-bufsize:v:{index}") == str(rung.buffer_size)
        assert option(argv, f"-rc_init_occupancy:v:{index}") == str(rung.buffer_size * 90 // 100)


def test_scene_cuts_use_x264_scene_detection_with_the_minimum_idr_distance():
    argv = command(ladder=replace(DEFAULT_LADDER, scene_cut_min_frames=12))
    assert option(argv, "-keyint_min") == "12"
    assert option(argv, "-sc_threshold") == "40"
    # The 2 s grid is still forced: scene cuts add IDRs, they do not replace the grid's.
    assert option(argv, "-force_key_frames") == "expr:gte(t,n_forced*2)"


def test_the_input_is_read_as_a_local_file_with_the_probed_demuxer_only():
    argv = command()
    before_input = argv[: argv.index("-i")]
    assert option(before_input, "-f") == "mov"  # the ISO BMFF demuxer the probe names
    assert option(before_input, "-protocol_whitelist") == "file"
    assert "mov" in option(before_input, "-format_whitelist").split(",")
    assert "hls" not in option(before_input, "-format_whitelist").split(",")


def test_a_source_probed_as_a_playlist_gets_no_command():
    info = media()
    playlist = MediaInfo("hls", info.duration_s, info.size_bytes, info.video, info.audio)
    with pytest.raises(ValueError, match="'hls' is not an accepted container"):
        command(playlist)
