"""`vod-testbed parity`: the emulator, the FFmpeg backend and a MediaConvert endpoint of the
usual settings make the same output of one clip; one setting changed is found and reported;
outputs that cannot be read are a clear error."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.cli.main import main
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.app import create_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.fixtures.media import clip_path
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

CLIP = "short_2s"


@pytest.fixture
def s3_env(
    monkeypatch: pytest.MonkeyPatch, backend_settings: BackendSettings, storage: Storage
) -> None:
    """The command's environment: the session's S3 and bucket (which ``storage`` made)."""
    assert backend_settings.s3_endpoint_url is not None
    monkeypatch.setenv("S3_ENDPOINT_URL", backend_settings.s3_endpoint_url)
    monkeypatch.setenv("S3_BUCKET", backend_settings.s3_bucket)
    monkeypatch.setenv("VOD_WORK_DIR", str(backend_settings.work_dir))


def parity_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = main(["parity", *argv, "--json"])
    captured = capsys.readouterr()
    assert captured.out.strip(), captured.err
    return code, json.loads(captured.out)


def rows(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["what"]: row for row in report["rows"]}


@pytest.fixture
def mediaconvert_endpoint(
    monkeypatch: pytest.MonkeyPatch,
    backend_settings: BackendSettings,
    storage: Storage,
    tmp_path: Path,
) -> Iterator[None]:
    """A MediaConvert endpoint in the usual settings (MEDIACONVERT_ENDPOINT), as a staging
    account's would be: here an emulator of its own."""
    settings = EmulatorSettings(
        data_dir=tmp_path / "emulator",
        access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    )
    app = create_app(
        {
            "EMULATOR_SETTINGS": settings,
            "TRANSCODER_FACTORY": lambda: FFmpegBackend(settings=backend_settings, storage=storage),
        }
    )
    server = EmulatorServer(app).start()
    monkeypatch.setenv("MEDIACONVERT_ENDPOINT", server.url)
    yield
    server.stop()


@pytest.mark.parametrize(
    ("a", "b"),
    [("emulator", "ffmpeg"), ("ffmpeg", "mediaconvert")],
    ids=["emulator-vs-ffmpeg", "ffmpeg-vs-endpoint"],
)
def test_two_transcoders_make_the_same_output(
    s3_env: None,
    mediaconvert_endpoint: None,
    s3_prefix: str,
    a: str,
    b: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = parity_json(
        [
            "--source", str(clip_path(CLIP)), "--a", a, "--b", b,
            "--out", s3_prefix, "--quality-seconds", "0.5",
        ],
        capsys,
    )  # fmt: skip
    assert [row["what"] for row in report["rows"] if not row["ok"]] == []
    assert (code, report["equal"]) == (0, True)
    found = rows(report)
    names = found["renditions"]["a"]
    assert names == ["1080p", "360p", "480p", "720p"]
    assert "hls/master.m3u8" in found["keys"]["a"]
    assert found["thumbnails"]["a"] and found["thumbnails"]["a"] == found["thumbnails"]["b"]
    assert found["events"]["a"][-1] == found["events"]["b"][-1] == "COMPLETE"
    assert found["720p resolution"]["a"] == "1280x720"
    assert found["720p keyframes s"]["a"][0] == 0.0
    quality = [row for row in report["rows"] if "(B against A)" in row["what"]]
    assert len(quality) == 4
    assert all(row["b"] is not None for row in quality)
    assert report["quality_metric"] in ("vmaf", "psnr-ssim")


def _output(folder: Path, ladder: Ladder) -> str:
    backend = FFmpegBackend(settings=BackendSettings.from_env())
    try:
        request = JobRequest.for_prefix(str(clip_path(CLIP)), str(folder), ladder=ladder)
        job = backend.wait(backend.submit(request).id, 180)
    finally:
        backend.close()
    assert job.status is JobStatus.COMPLETE, job.error_message
    return str(folder)


@pytest.fixture(scope="module")
def two_outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The clip's output, and its output with one setting changed: a 1 s GOP, not 2 s."""
    root = tmp_path_factory.mktemp("parity")
    changed = dataclasses.replace(DEFAULT_LADDER, gop_seconds=1)
    return _output(root / "a", DEFAULT_LADDER), _output(root / "b", changed)


def test_one_setting_changed_is_reported_and_exits_1(
    two_outputs: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two_outputs
    code, report = parity_json([a, b, "--quality-seconds", "0"], capsys)
    assert (code, report["equal"]) == (1, False)
    different = {row["what"] for row in report["rows"] if not row["ok"]}
    assert "1080p keyframes s" in different
    found = rows(report)
    assert found["1080p keyframes s"]["a"] == [0.0]
    assert found["1080p keyframes s"]["b"] == [0.0, 1.0]
    assert found["keys"]["ok"] and found["1080p resolution"]["ok"]
    # The text form marks the row and says the tolerance.
    assert main(["parity", a, b, "--quality-seconds", "0"]) == 1
    text = capsys.readouterr().out
    assert "!= 1080p keyframes s" in text
    assert "as many, each within 0.05 s" in text


@pytest.mark.parametrize(
    ("outputs", "words"),
    [
        (["/no/such/output", "/no/such/other"], "/no/such/output: no hls/master.m3u8"),
        (["s3://vod-testbed-test/nothing-here", "/tmp"], "s3://vod-testbed-test/nothing-here"),
        (["one-output-only"], "give two outputs"),
    ],
)
def test_unreadable_outputs_exit_2_with_one_line(
    s3_env: None, outputs: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parity", *outputs]) == 2
    captured = capsys.readouterr()
    assert words in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_a_master_playlist_that_is_not_one_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hls").mkdir()
    (tmp_path / "hls" / "master.m3u8").write_text("not a playlist\n")
    assert main(["parity", str(tmp_path), str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err
