"""The ffmpeg policy: which ffmpeg is chosen, which are passed over or refused, and why."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.ffmpeg.binary import UnusableFFmpegError, find_ffmpeg
from vod_testbed.cli.main import main as cli_main
from vod_testbed.common.settings import BackendSettings

ENCODERS = """Encoders:
 V..... = Video
 ------
 V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 V....D mjpeg                MJPEG (Motion JPEG)
 A....D aac                  AAC (Advanced Audio Coding)
"""


def version_text(version: str, libavcodec: str = "59. 37.100") -> str:
    return (
        f"ffmpeg version {version} Copyright (c) 2000-2024 the FFmpeg developers\n"
        f"libavutil      57. 28.100 / 57. 28.100\n"
        f"libavcodec     {libavcodec} / {libavcodec}\n"
    )


def fake_ffmpeg(folder: Path, version: str, encoders: str = ENCODERS) -> Path:
    """An executable named ffmpeg that answers -version and -encoders like a real build
    (with shell builtins only, so it works on any PATH) and fails at anything else."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        f"case \"$*\" in *-version*) printf '%s' '{version_text(version)}';; "
        f"*-encoders*) printf '%s' '{encoders}';; *) exit 1;; esac\n"
    )
    script.chmod(0o755)
    return script


@pytest.fixture(autouse=True)
def fresh_choice(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test chooses anew, with no FFMPEG_BINARY unless it sets one; the real choice is
    made again for the tests after."""
    monkeypatch.delenv("FFMPEG_BINARY", raising=False)
    binary.choose_ffmpeg.cache_clear()
    binary.describe_ffmpeg.cache_clear()
    yield
    binary.choose_ffmpeg.cache_clear()
    binary.describe_ffmpeg.cache_clear()


# --- reading what a build says about itself (no process) ---


@pytest.mark.parametrize(
    ("version", "release"),
    [("5.1.9-0+deb12u1", (5, 1)), ("n9.0.2-17-g2a571b6068-20260930", (9, 0)), ("7.1", (7, 1))],
)
def test_the_release_is_read_from_the_version_line(version, release):
    build = binary.parse_build("ffmpeg", version_text(version), ENCODERS)

    assert (build.version, build.release) == (version, release)
    assert build.problem is None


def test_a_release_older_than_5_1_is_a_problem():
    build = binary.parse_build("ffmpeg", version_text("4.4.2-0ubuntu0.22.04.1"), ENCODERS)

    assert build.problem == (
        "ffmpeg 4.4.2-0ubuntu0.22.04.1 is older than 5.1, the oldest supported"
    )


def test_a_git_snapshot_is_judged_by_its_libavcodec():
    new = binary.parse_build("ffmpeg", version_text("N-113226-g0ab3a7f0ba", "61.  3.100"), "")
    old = binary.parse_build("ffmpeg", version_text("N-104000-gdeadbeef", "59. 18.100"), ENCODERS)

    assert new.release is None and new.libavcodec == (61, 3)
    assert new.problem == "ffmpeg N-113226-g0ab3a7f0ba lacks the libx264 and aac encoder(s)"
    assert old.problem == (
        "ffmpeg N-104000-gdeadbeef has libavcodec 59.18, older than ffmpeg 5.1's 59.37"
    )


def test_a_build_without_libx264_is_a_problem():
    no_x264 = ENCODERS.replace(" V....D libx264 ", " V....D libopenh264 ")

    build = binary.parse_build("ffmpeg", version_text("6.0"), no_x264)

    assert build.problem == "ffmpeg 6.0 lacks the libx264 encoder(s)"


# --- choosing: FFMPEG_BINARY, then PATH, then the wheel's ---


def test_a_supported_ffmpeg_on_path_is_used(tmp_path, monkeypatch):
    on_path = fake_ffmpeg(tmp_path / "bin", "5.1.9-0+deb12u1")
    monkeypatch.setenv("PATH", str(on_path.parent))

    assert find_ffmpeg() == str(on_path)


def test_a_too_old_ffmpeg_on_path_is_passed_over_for_the_wheels_with_one_log_line(
    tmp_path, monkeypatch, caplog
):
    on_path = fake_ffmpeg(tmp_path / "bin", "4.4.2")
    monkeypatch.setenv("PATH", str(on_path.parent))

    with caplog.at_level(logging.WARNING, logger=binary.__name__):
        chosen = find_ffmpeg()
        find_ffmpeg()  # asked again: no second line

    assert chosen == binary.wheel_ffmpeg()
    assert [r.getMessage() for r in caplog.records] == [
        f"ffmpeg on PATH ({on_path}) passed over for the wheel's: "
        "ffmpeg 4.4.2 is older than 5.1, the oldest supported"
    ]


def test_an_ffmpeg_on_path_without_aac_is_passed_over(tmp_path, monkeypatch, caplog):
    on_path = fake_ffmpeg(tmp_path / "bin", "6.1", ENCODERS.replace(" aac ", " libfdk_aac "))
    monkeypatch.setenv("PATH", str(on_path.parent))

    with caplog.at_level(logging.WARNING, logger=binary.__name__):
        assert find_ffmpeg() == binary.wheel_ffmpeg()

    assert "lacks the aac encoder(s)" in caplog.text


def test_no_ffmpeg_on_path_means_the_wheels(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    assert find_ffmpeg() == binary.wheel_ffmpeg()


def test_no_ffmpeg_anywhere_says_how_to_get_one(tmp_path, monkeypatch):
    # imageio-ffmpeg is the optional `ffmpeg` extra: without it and without an ffmpeg on
    # PATH, the error names the three ways to get one.
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import raises ImportError
    with pytest.raises(UnusableFFmpegError) as refused:
        find_ffmpeg(None)
    message = str(refused.value)
    assert message.startswith("no usable ffmpeg: put ffmpeg 5.1 or newer with libx264 and aac")
    assert "FFMPEG_BINARY" in message
    assert "vod-testbed[ffmpeg]" in message


def test_a_too_old_ffmpeg_binary_is_refused_not_replaced(tmp_path):
    configured = fake_ffmpeg(tmp_path / "old", "4.4.2")

    with pytest.raises(UnusableFFmpegError) as refused:
        find_ffmpeg(str(configured))

    assert str(refused.value).startswith(
        f"FFMPEG_BINARY='{configured}' cannot be used: ffmpeg 4.4.2 is older than 5.1"
    )
    assert "Unset it to use the imageio-ffmpeg wheel's ffmpeg" in str(refused.value)


def test_ffmpeg_binary_from_the_environment_comes_first(tmp_path, monkeypatch):
    configured = fake_ffmpeg(tmp_path / "configured", "6.1")
    monkeypatch.setenv("PATH", str(fake_ffmpeg(tmp_path / "bin", "7.1").parent))
    monkeypatch.setenv("FFMPEG_BINARY", str(configured))

    assert find_ffmpeg() == str(configured)


def test_an_ffmpeg_binary_that_does_not_exist_is_refused():
    with pytest.raises(UnusableFFmpegError, match=r"FFMPEG_BINARY='/nonexistent/ffmpeg' is not"):
        find_ffmpeg("/nonexistent/ffmpeg")


def test_an_ffmpeg_binary_that_fails_to_run_is_refused(tmp_path):
    broken = tmp_path / "ffmpeg"
    broken.write_text("#!/bin/sh\necho 'error while loading shared libraries' >&2\nexit 127\n")
    broken.chmod(0o755)

    with pytest.raises(UnusableFFmpegError) as refused:
        find_ffmpeg(str(broken))

    assert f"{broken} -version failed: error while loading shared libraries" in str(refused.value)


def test_the_wheels_ffmpeg_is_supported():
    assert binary.describe_ffmpeg(binary.wheel_ffmpeg()).problem is None


@pytest.mark.skipif(not Path("/usr/bin/ffmpeg").exists(), reason="no system ffmpeg installed")
def test_the_system_ffmpeg_is_supported():
    build = binary.describe_ffmpeg("/usr/bin/ffmpeg")

    assert build.problem is None, build
    assert find_ffmpeg("/usr/bin/ffmpeg") == "/usr/bin/ffmpeg"


# --- what a refused FFMPEG_BINARY means for the backend and the command line ---


def test_the_backend_refuses_an_unusable_ffmpeg_binary_before_any_job(tmp_path):
    settings = BackendSettings(ffmpeg_binary=str(fake_ffmpeg(tmp_path / "old", "4.4.2")))

    with pytest.raises(UnusableFFmpegError, match=r"older than 5\.1"):
        FFmpegBackend(settings=settings)


def test_transcode_with_an_unusable_ffmpeg_binary_exits_2_with_one_line(
    tmp_path, monkeypatch, capsys
):
    old = fake_ffmpeg(tmp_path / "old", "4.4.2")
    monkeypatch.setenv("FFMPEG_BINARY", str(old))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not read: the backend is refused first")

    assert cli_main(["transcode", str(clip), "--out", str(tmp_path / "out")]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"error: FFMPEG_BINARY='{old}' cannot be used: ffmpeg 4.4.2 is older")
    assert err.count("\n") == 1
    assert not (tmp_path / "out").exists()
