"""The generated test media: each clip is what its name claims, and the cache is crash-safe."""

from __future__ import annotations

import contextlib
import dataclasses
import subprocess
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import av
import pytest

from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.common import errors
from vod_testbed.fixtures import media
from vod_testbed.media.probe import MediaInfo, probe

# A clip small enough to generate many times in a test (about 0.1 s of ffmpeg).
TINY = media.ClipSpec("tiny", "cache behaviour under test", size=(160, 90), duration_s=0.5)


def clip_spec(name: str) -> media.ClipSpec:
    spec = media.CLIPS[name]
    assert isinstance(spec, media.ClipSpec)
    return spec


def probed(name: str) -> MediaInfo:
    return probe(media.clip_path(name))


def decodable_frames(path: Path) -> int:
    """Frames decoded before the first error (a truncated file errors where its data ends)."""
    count = 0
    with av.open(str(path)) as container, contextlib.suppress(av.error.FFmpegError):
        for _ in container.decode(video=0):
            count += 1
    return count


# --- the registry and the command line it builds (no ffmpeg run) ---


def test_registry_keys_are_the_spec_names() -> None:
    assert all(name == spec.name and spec.purpose for name, spec in media.CLIPS.items())


def test_only_the_benchmark_clip_is_on_demand() -> None:
    assert [name for name, spec in media.CLIPS.items() if spec.on_demand] == ["bench_1080p"]


def test_argv_is_a_quiet_non_interactive_list_ending_with_the_output() -> None:
    argv = media.ffmpeg_argv(clip_spec("landscape_1080p"), Path("/out/x.mp4"), "/bin/ffmpeg")

    assert argv[:6] == ["/bin/ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"]
    assert argv[-1] == "/out/x.mp4"
    assert "testsrc2=size=1920x1080:rate=30:duration=4" in argv
    assert argv.count("-map") == 2


def test_argv_of_an_audio_only_clip_maps_its_only_input() -> None:
    argv = media.ffmpeg_argv(clip_spec("audio_only"), "a.m4a")

    assert "testsrc2" not in " ".join(argv)
    assert argv[argv.index("-map") + 1] == "0:a"


def test_odd_sizes_are_drawn_even_and_scaled_to_the_odd_size() -> None:
    argv = media.ffmpeg_argv(clip_spec("odd_dimensions"), "o.mkv")

    assert "testsrc2=size=854x480:rate=30:duration=3,scale=853:479" in argv


def test_changing_a_spec_changes_its_cache_name(tmp_path: Path) -> None:
    longer = dataclasses.replace(TINY, duration_s=0.6)
    damaged = dataclasses.replace(TINY, damage=media.Truncate(0.5))

    names = {media.cached_path(spec, tmp_path).name for spec in (TINY, longer, damaged)}

    assert len(names) == 3


def test_cache_dir_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(media.CACHE_ENV, str(tmp_path))
    assert media.cache_dir() == tmp_path

    monkeypatch.delenv(media.CACHE_ENV)
    assert media.cache_dir() == media.REPO_ROOT / ".cache" / "fixtures"


def test_overwrite_is_deterministic_and_stays_in_its_range(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for path in (first, second):
        path.write_bytes(bytes(1000))
        media.Overwrite(start=0.4, length=0.1, seed=7).apply(path)

    data = first.read_bytes()
    assert data == second.read_bytes()
    assert data[:400] == bytes(400) and data[500:] == bytes(500)
    assert data[400:500] != bytes(100)


# --- valid clips: geometry, streams and timing as named ---


def test_landscape_1080p_is_the_main_h264_high_aac_source() -> None:
    info = probed("landscape_1080p")

    assert info.video is not None and info.audio is not None
    assert (info.video.width, info.video.height) == (1920, 1080)
    assert (info.video.codec, info.video.profile, info.video.pix_fmt) == ("h264", "High", "yuv420p")
    assert info.video.average_rate == Fraction(30)
    assert (info.audio.codec, info.audio.sample_rate) == ("aac", 48000)
    assert info.duration_s == pytest.approx(4, abs=0.05)


@pytest.mark.parametrize(
    ("name", "size"),
    [("portrait", (1080, 1920)), ("small", (640, 360)), ("odd_dimensions", (853, 479))],
)
def test_clip_has_its_stored_size(name: str, size: tuple[int, int]) -> None:
    video = probed(name).video

    assert video is not None and (video.width, video.height) == size


def test_anamorphic_has_four_by_three_pixels_shown_as_16_by_9() -> None:
    video = probed("anamorphic").video

    assert video is not None
    assert video.sample_aspect_ratio == Fraction(4, 3)
    assert video.display_size == (1920, 1080)


def test_rotated_is_landscape_stored_and_portrait_displayed() -> None:
    video = probed("rotated").video

    assert video is not None
    assert (video.width, video.height, video.rotation) == (1280, 720, 90)
    assert video.display_size == (720, 1280)


def test_no_audio_has_video_only() -> None:
    info = probed("no_audio")

    assert info.video is not None and info.audio is None


def test_variable_frame_rate_averages_below_its_nominal_rate() -> None:
    video = probed("variable_frame_rate").video

    assert video is not None and video.is_variable_rate
    assert video.base_rate == Fraction(30)
    assert video.average_rate is not None and 19 < video.average_rate < 23


@pytest.mark.parametrize(
    ("name", "pix_fmt", "profile", "bit_depth"),
    [
        ("ten_bit", "yuv420p10le", "High 10", 10),
        ("yuv444", "yuv444p", "High 4:4:4 Predictive", 8),
    ],
)
def test_high_fidelity_clip_has_its_pixel_format(
    name: str, pix_fmt: str, profile: str, bit_depth: int
) -> None:
    video = probed(name).video

    assert video is not None
    assert (video.pix_fmt, video.profile, video.bit_depth) == (pix_fmt, profile, bit_depth)


def test_short_2s_lasts_two_seconds() -> None:
    assert probed("short_2s").duration_s == pytest.approx(2, abs=0.05)


# --- bad inputs: broken in the way they claim ---


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_video", "not a media file"),
        ("empty", "empty (0 bytes)"),
        ("audio_only", "no video stream"),
        ("truncated_moov_end", "not a media file"),
    ],
)
def test_unreadable_input_is_rejected_as_input_error(name: str, message: str) -> None:
    with pytest.raises(errors.TranscodeError) as caught:
        probed(name)

    assert caught.value.code == errors.INPUT_ERROR
    assert message in caught.value.message


def test_truncated_faststart_claims_its_full_length_but_holds_a_fraction() -> None:
    path = media.clip_path("truncated_faststart")

    info = probe(path)

    assert info.duration_s == pytest.approx(4, abs=0.05)
    assert 0 < decodable_frames(path) < 0.5 * 4 * 30


def test_corrupt_ts_opens_at_full_length_but_fails_a_strict_decode() -> None:
    path = media.clip_path("corrupt_ts")

    assert probe(path).duration_s == pytest.approx(3, abs=0.1)
    strict = subprocess.run(
        [find_ffmpeg(), "-nostdin", "-v", "error", "-xerror", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        check=False,
    )
    assert strict.returncode != 0


# --- the cache ---


def test_generated_file_is_valid_and_no_part_file_remains(tmp_path: Path) -> None:
    path = media.materialize(TINY, tmp_path)

    assert probe(path).video is not None
    assert list(tmp_path.iterdir()) == [path]


def test_existing_cache_file_is_reused_without_running_ffmpeg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = media.materialize(TINY, tmp_path)

    def no_ffmpeg(*args: object, **kwargs: object) -> None:
        raise AssertionError("ffmpeg ran for a cached clip")

    monkeypatch.setattr(media.subprocess, "run", no_ffmpeg)

    assert media.materialize(TINY, tmp_path) == first


def test_part_file_left_by_a_killed_run_is_never_used(tmp_path: Path) -> None:
    final = media.cached_path(TINY, tmp_path)
    leftover = tmp_path / f".{final.stem}.killed{media.PART_MARK}{TINY.suffix}"
    leftover.write_bytes(b"\x00\x00\x00\x18ftypisom half an mp4")

    path = media.materialize(TINY, tmp_path)

    assert path == final and path != leftover
    assert probe(path).duration_s == pytest.approx(0.5, abs=0.05)


def test_failed_generation_leaves_no_file(tmp_path: Path) -> None:
    broken = dataclasses.replace(TINY, video_flags=("-c:v", "no_such_encoder"))

    with pytest.raises(media.FixtureError, match="tiny"):
        media.materialize(broken, tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_concurrent_generation_of_one_clip_ends_with_one_valid_file(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        paths = list(pool.map(lambda _: media.materialize(TINY, tmp_path), range(2)))

    assert paths[0] == paths[1]
    assert list(tmp_path.iterdir()) == [paths[0]]
    assert probe(paths[0]).video is not None


# --- the command line ---


def test_main_prints_path_and_size_of_named_clips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(media.CACHE_ENV, str(tmp_path))

    assert media.main(["not_video", "empty"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    path, size = lines[0].split()[:2]
    assert Path(path).parent == tmp_path and Path(path).name.startswith("not_video-")
    assert int(size.replace(",", "")) == Path(path).stat().st_size > 0
    assert lines[1].split()[1:3] == ["0", "bytes"]


def test_main_rejects_an_unknown_clip(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        media.main(["no_such_clip"])

    assert exited.value.code == 2
    assert "unknown clip(s): no_such_clip" in capsys.readouterr().err
