"""The ready file and `vod-testbed wait`: whole or absent, private, and waited for."""

from __future__ import annotations

import json
import stat

import pytest

from tests.support.net import free_port
from vod_testbed.cli.main import main
from vod_testbed.stack.ready import read_ready_file, unhealthy_parts, write_ready_file
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import start_stack


def test_the_ready_file_is_private_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "run" / "ready.json"

    write_ready_file(path, {"bucket": "b", "webhook_secret": "s"})

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_ready_file(path) == {"bucket": "b", "webhook_secret": "s"}
    assert [p.name for p in path.parent.iterdir()] == ["ready.json"]


def test_a_ready_file_replaced_is_never_seen_half_written(tmp_path):
    path = tmp_path / "ready.json"
    write_ready_file(path, {"version": 1})
    write_ready_file(path, {"version": 2, "padding": "x" * 100_000})
    ready = read_ready_file(path)
    assert ready is not None
    assert ready["version"] == 2


def test_parts_that_do_not_answer_are_each_named():
    dead = f"http://127.0.0.1:{free_port()}"
    description = {
        "endpoints": {"pipeline": dead, "emulator": dead, "s3": dead},
        "bucket": "b",
        "region": "us-east-1",
        "credentials": {"aws_access_key_id": "k", "aws_secret_access_key": "s"},
    }
    problems = unhealthy_parts(description)
    assert [problem.split(":")[0] for problem in problems] == ["pipeline", "emulator", "s3"]


def test_wait_without_a_ready_file_gives_up_in_one_line(tmp_path, capsys):
    missing = tmp_path / "ready.json"

    assert main(["wait", "--ready-file", str(missing), "--timeout", "0.2"]) == 1

    assert capsys.readouterr().err.splitlines() == [
        f"error: not ready after 0.2 s: no ready file at {missing}"
    ]


def test_wait_on_a_file_that_is_not_a_ready_file_is_an_unusable_input(tmp_path, capsys):
    path = tmp_path / "ready.json"
    path.write_text("{not json")

    assert main(["wait", "--ready-file", str(path), "--timeout", "1"]) == 2
    assert f"error: {path} is not a vod-testbed ready file" in capsys.readouterr().err


@pytest.mark.e2e
def test_wait_prints_the_stack_settings_as_exports(tmp_path, capsys):
    settings = StackSettings(data_dir=tmp_path / "data", s3_port=0, emulator_port=0, api_port=0)
    with start_stack(settings) as stack:
        write_ready_file(tmp_path / "ready.json", stack.describe())
        code = main(["wait", "--ready-file", str(tmp_path / "ready.json"), "--env"])
        environment = stack.environment()
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == [f"export {key}={value}" for key, value in environment.items()]
    assert json.loads((tmp_path / "ready.json").read_text())["environment"] == environment
