"""`vod-testbed dev` for real: the stack it starts turns an upload into a ready video, stops
on SIGTERM whatever follows, and keeps to its own data dir."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests

from tests.support.dev_process import clean_env, dev_command, dev_process, wait_ready
from tests.support.net import free_port
from vod_testbed.cli.dev import banner
from vod_testbed.cli.main import main
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import Stack, start_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["ffmpeg", "mediaconvert"])
def stack(request, tmp_path) -> Iterator[Stack]:
    backend = BackendSettings().replace(transcoder_backend=request.param)
    settings = StackSettings(
        data_dir=tmp_path / "data",
        s3_port=0,
        emulator_port=0,
        api_port=0,
        pipeline=PipelineSettings(backend=backend, watch_interval_s=0.2),
        emulator=EmulatorSettings(time_compression=20),
    )
    with start_stack(settings) as running:
        yield running


def test_an_upload_becomes_a_ready_video(stack, capsys):
    api = stack.endpoints.pipeline
    text = banner(stack, ready_s=0.5)
    assert f"vod-testbed upload lecture.mp4 --api {api} --wait" in text
    assert "in memory" in text

    code = main(["upload", str(clip_path("short_2s")), "--api", api, "--wait", "--poll", "0.2",
                 "--timeout", "120", "--token", stack.user_token])  # fmt: skip
    assert code == 0, capsys.readouterr()
    # The stack minted the local user's token, and the upload used it.
    dev = {"Authorization": f"Bearer {stack.user_token}"}
    assert f"/console#token={stack.user_token}" in text
    videos = requests.get(f"{api}/videos", headers=dev, timeout=5).json()["videos"]
    assert [(v["status"], v["user_id"]) for v in videos] == [("ready", "dev")]
    detail = requests.get(f"{api}/videos/{videos[0]['id']}", headers=dev, timeout=5).json()
    master = requests.get(detail["playback"]["master_playlist_url"], timeout=5)
    assert master.status_code == 200
    assert "#EXT-X-STREAM-INF" in master.text


@pytest.mark.parametrize("taken", ["--s3-port", "--emulator-port", "--api-port"])
def test_a_taken_port_is_a_one_line_error(taken, tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        ports = {flag: str(free_port()) for flag in ("--s3-port", "--emulator-port", "--api-port")}
        ports[taken] = str(busy.getsockname()[1])
        argv = ["dev", "--text-logs", "--data-dir", str(tmp_path / "data"),
                *(x for pair in ports.items() for x in pair)]  # fmt: skip
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert "a port is already in use" in err
    assert ports[taken] in err


def test_two_sigterms_in_a_row_stop_every_server_within_10_s(tmp_path):
    with dev_process(tmp_path) as (process, ready_file):
        ready = wait_ready(ready_file)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)
        stopped_s = time.monotonic() - started
    assert code == 0
    assert stopped_s < 10
    assert not ready_file.exists()
    for part in ("pipeline", "emulator", "s3"):
        with pytest.raises(requests.ConnectionError):
            requests.get(ready["endpoints"][part], timeout=2)


def test_a_second_stack_on_the_same_data_dir_is_refused_in_one_line(tmp_path):
    with dev_process(tmp_path) as (first, ready_file):
        ready = wait_ready(ready_file)
        second = subprocess.run(
            dev_command(tmp_path / "stack", tmp_path / "second-ready.json"),
            capture_output=True,
            text=True,
            timeout=60,
            env=clean_env(),
        )
        assert second.returncode == 2
        assert second.stderr.strip().splitlines() == [
            f"error: another vod-testbed stack is using {tmp_path / 'stack'} (pid {first.pid}); "
            "stop it or pass another --data-dir"
        ]
        assert requests.get(ready["endpoints"]["pipeline"] + "/healthz", timeout=5).ok


def test_stacks_with_different_data_dirs_share_nothing(tmp_path):
    with dev_process(tmp_path, "a") as (_, ready_a), dev_process(tmp_path, "b") as (_, ready_b):
        a, b = wait_ready(ready_a), wait_ready(ready_b)
        created = requests.post(
            a["endpoints"]["pipeline"] + "/videos",
            json={"filename": "x.mp4", "content_type": "video/mp4", "size": 10, "course_id": "c"},
            headers={"Authorization": f"Bearer {a['user']['token']}"},
            timeout=10,
        )
        assert created.status_code == 201
        listed_b = requests.get(
            b["endpoints"]["pipeline"] + "/videos",
            headers={"Authorization": f"Bearer {b['user']['token']}"},
            timeout=10,
        ).json()
    assert {part: a["endpoints"][part] != b["endpoints"][part] for part in a["endpoints"]} == {
        part: True for part in a["endpoints"]
    }
    assert a["data_dir"] != b["data_dir"]
    assert a["webhook_secret"] != b["webhook_secret"]
    assert listed_b == {"videos": []}


def test_the_banner_settings_pasted_into_a_shell_reach_the_stack(tmp_path):
    with dev_process(tmp_path) as (_, ready_file):
        ready = wait_ready(ready_file)
        banner_text = (tmp_path / "stack.out").read_text()
        block = banner_text.split("In another shell, use the same settings:\n")[1]
        exports = "\n".join(line for line in block.splitlines() if line.startswith("  export"))
        # boto3 with no endpoint, region or credentials given: only what the shell exports.
        probe = (
            "import boto3, json, os; "
            "s3 = boto3.client('s3'); mc = boto3.client('mediaconvert'); "
            "s3.head_bucket(Bucket=os.environ['S3_BUCKET']); "
            "print(json.dumps({'queues': len(mc.list_queues()['Queues']), "
            "'s3': s3.meta.endpoint_url, 'mediaconvert': mc.meta.endpoint_url}))"
        )
        shell = subprocess.run(
            ["bash", "-ec", f'{exports}\nexec {sys.executable} -c "{probe}"'],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        )
    assert shell.returncode == 0, shell.stderr
    seen = json.loads(shell.stdout)
    assert seen == {
        "queues": 1,
        "s3": ready["endpoints"]["s3"],
        "mediaconvert": ready["endpoints"]["mediaconvert"],
    }
