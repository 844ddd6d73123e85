"""`vod-testbed dev` for real: the stack it starts turns an upload into a ready video."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
import requests

from tests.net import free_port
from vod_testbed.cli.dev import DevStack, banner, start_stack
from vod_testbed.cli.main import main
from vod_testbed.fixtures.media import clip_path

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["ffmpeg", "mediaconvert"])
def stack(request, tmp_path) -> Iterator[DevStack]:
    saved = dict(os.environ)
    for name in (
        "S3_ENDPOINT_URL",
        "WEBHOOK_SECRET",
        "MEDIACONVERT_ENDPOINT",
        "EVENTS_WEBHOOK_URL",
    ):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'pipeline.db'}",
            "EMULATOR_DATA_DIR": str(tmp_path / "emulator"),
            "VOD_WORK_DIR": str(tmp_path / "work"),
            "UPLOAD_WATCH_INTERVAL_S": "0.2",
            "EMULATOR_TIME_COMPRESSION": "20",
        }
    )
    running = start_stack(
        s3_port=free_port(),
        emulator_port=free_port(),
        api_port=free_port(),
        backend=request.param,
    )
    try:
        yield running
    finally:
        running.stop()
        os.environ.clear()
        os.environ.update(saved)


def test_an_upload_becomes_a_ready_video(stack, capsys):
    assert stack.pipeline is not None
    api = stack.pipeline.url
    text = banner(stack)
    assert f"vod-testbed upload lecture.mp4 --api {api} --wait" in text
    assert "in memory" in text

    code = main(["upload", str(clip_path("short_2s")), "--api", api, "--wait", "--poll", "0.2",
                 "--timeout", "120"])  # fmt: skip
    assert code == 0, capsys.readouterr()
    # The stack minted the local user's token, and the upload used it.
    dev = {"Authorization": f"Bearer {os.environ['VOD_TOKEN']}"}
    assert f"/console#token={os.environ['VOD_TOKEN']}" in text
    videos = requests.get(f"{api}/videos", headers=dev, timeout=5).json()["videos"]
    assert [(v["status"], v["user_id"]) for v in videos] == [("ready", "dev")]
    detail = requests.get(f"{api}/videos/{videos[0]['id']}", headers=dev, timeout=5).json()
    master = requests.get(detail["playback"]["master_playlist_url"], timeout=5)
    assert master.status_code == 200
    assert "#EXT-X-STREAM-INF" in master.text


@pytest.mark.parametrize("taken", ["--s3-port", "--emulator-port", "--api-port"])
def test_a_taken_port_is_a_one_line_error(taken, tmp_path, capsys):
    saved = dict(os.environ)
    os.environ.pop("S3_ENDPOINT_URL", None)
    os.environ["EMULATOR_DATA_DIR"] = str(tmp_path / "emulator")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'pipeline.db'}"
    busy = socket.socket()
    try:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        ports = {flag: str(free_port()) for flag in ("--s3-port", "--emulator-port", "--api-port")}
        ports[taken] = str(busy.getsockname()[1])
        argv = ["dev", "--text-logs", *(x for pair in ports.items() for x in pair)]
        assert main(argv) == 2
    finally:
        busy.close()
        os.environ.clear()
        os.environ.update(saved)
    err = capsys.readouterr().err
    assert "a port is already in use" in err
    assert ports[taken] in err
