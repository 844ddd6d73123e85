"""`vod-testbed transcode`: a job with a progress bar, its outputs, then the verdict."""

from __future__ import annotations

import pytest

from vod_testbed.cli.main import main
from vod_testbed.fixtures.media import clip_path

pytestmark = pytest.mark.e2e


def test_a_local_clip_is_transcoded_listed_and_validated(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["transcode", str(clip_path("short_2s")), "--out", str(out), "--no-upscale"]) == 0
    printed = capsys.readouterr()
    assert "COMPLETE" in printed.out
    assert f"master playlist: {out / 'hls' / 'master.m3u8'}" in printed.out
    assert "duration.source" in printed.out  # validated against the probed source
    assert printed.out.rstrip().splitlines()[-1].startswith("VALID")
    assert "TRANSCODING" in printed.err  # the progress bar
    assert (out / "thumbnails" / "master_thumb.0000000.jpg").is_file()
    assert sorted(p.name for p in (out / "hls").glob("*.m3u8")) == [
        "master.m3u8",
        "master_360p.m3u8",
        "master_480p.m3u8",
        "master_720p.m3u8",
        "master_Thumbnail.m3u8",  # the ladder's trick-play tiles (image playlist)
    ]


def test_a_non_video_ends_in_error_1010(tmp_path, capsys):
    code = main(["transcode", str(clip_path("not_video")), "--out", str(tmp_path / "out")])
    assert code == 1
    assert "ERROR: [1010]" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["transcode", "/no/such/file.mp4"], "input_uri"),
        (["transcode", "clip.mp4", "--backend", "gpu"], "unknown transcoder backend 'gpu'"),
    ],
)
def test_unusable_requests_exit_2_with_one_line(argv, words, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
