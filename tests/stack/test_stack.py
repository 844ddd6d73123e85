"""A stack starts from its settings alone, keeps to its data dir, and says what clients need."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
import requests

from vod_testbed.cli.dev import banner
from vod_testbed.common.settings import BackendSettings, ServerSettings
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import StackInUseError, start_stack
from vod_testbed.storage.embedded import start_embedded_s3

pytestmark = pytest.mark.e2e


def free_ports(data_dir: Path, **changes) -> StackSettings:
    ports = {"s3_port": 0, "emulator_port": 0, "api_port": 0}
    return StackSettings(data_dir=data_dir, **{**ports, **changes})


def test_starting_and_stopping_a_stack_leaves_the_environment_untouched(tmp_path):
    before = dict(os.environ)
    with start_stack(free_ports(tmp_path / "data")):
        during = dict(os.environ)
    assert during == before
    assert dict(os.environ) == before


def test_the_data_dir_is_private_and_holds_the_database_and_the_emulator_state(tmp_path):
    data_dir = tmp_path / "data"
    with start_stack(free_ports(data_dir)):
        mode = stat.S_IMODE(data_dir.stat().st_mode)
        contents = sorted(p.name for p in data_dir.iterdir())
    assert mode == 0o700
    assert {"emulator", "pipeline.sqlite3", "stack.lock"} <= set(contents)


def test_a_second_stack_on_the_same_data_dir_is_refused(tmp_path):
    with start_stack(free_ports(tmp_path / "data")), pytest.raises(StackInUseError) as refused:
        start_stack(free_ports(tmp_path / "data"))
    assert str(refused.value) == (
        f"another vod-testbed stack is using {tmp_path / 'data'} (pid {os.getpid()}); "
        "stop it or pass another --data-dir"
    )


def test_a_stack_that_failed_to_start_releases_its_data_dir(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = free_ports(tmp_path / "data", api_port=busy.getsockname()[1])
        with pytest.raises(OSError, match="already in use"):
            start_stack(taken)
    with start_stack(free_ports(tmp_path / "data")) as stack:
        assert stack.endpoints is not None


def test_every_part_answers_its_health_check(tmp_path):
    with start_stack(free_ports(tmp_path / "data")) as stack:
        endpoints = stack.endpoints
        assert endpoints is not None
        answers = {
            part: requests.get(f"{url}/healthz", timeout=5)
            for part, url in (("pipeline", endpoints.pipeline),
                              ("emulator", endpoints.emulator))
        }  # fmt: skip
    assert {part: (a.status_code, a.json()["status"]) for part, a in answers.items()} == {
        "pipeline": (200, "ok"),
        "emulator": (200, "ok"),
    }


def test_every_server_of_a_stack_answers_to_the_names_of_its_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("VOD_ALLOWED_HOSTS", "from-the-environment")
    servers = ServerSettings(allowed_hosts=("testbed",))
    with start_stack(free_ports(tmp_path / "data", servers=servers)) as stack:
        endpoints = stack.endpoints
        assert endpoints is not None
        statuses = {
            (url, name): requests.get(url, headers={"Host": name}, timeout=5).status_code
            for url in (f"{endpoints.pipeline}/healthz", f"{endpoints.emulator}/healthz",
                        endpoints.s3)
            for name in ("testbed", "from-the-environment")
        }  # fmt: skip
    refused = {key for key, status in statuses.items() if status == 421}
    assert {name for _, name in refused} == {"from-the-environment"}
    assert len(refused) == 3


def test_the_embedded_s3_credentials_are_described_and_exported(tmp_path):
    with start_stack(free_ports(tmp_path / "data")) as stack:
        described = stack.describe()
        environment = stack.environment()
    assert described["embedded_s3"] is True
    # This run's own pair, never a well-known one, and the same in both places.
    assert described["credentials"] == {
        "aws_access_key_id": stack.access_key_id,
        "aws_secret_access_key": stack.secret_access_key,
    }
    assert stack.access_key_id != "testing"
    assert len(stack.secret_access_key) >= 40
    assert environment["AWS_ACCESS_KEY_ID"] == stack.access_key_id
    assert environment["AWS_SECRET_ACCESS_KEY"] == stack.secret_access_key
    assert environment["WEBHOOK_SECRET"] == described["webhook_secret"]


def test_the_banner_exports_the_runs_own_keys(tmp_path):
    with start_stack(free_ports(tmp_path / "data")) as stack:
        text = banner(stack, ready_s=1.0)
    assert f"export AWS_ACCESS_KEY_ID={stack.access_key_id}" in text
    assert f"export AWS_SECRET_ACCESS_KEY={stack.secret_access_key}" in text
    assert "this run's own keys" in text


def test_two_stacks_get_different_keys_and_yours_are_kept(tmp_path):
    with start_stack(free_ports(tmp_path / "one")) as one:
        first = one.credentials()
    mine = free_ports(tmp_path / "two").replace(
        access_key_id="AKIAMINE", secret_access_key="my-secret"
    )
    with start_stack(mine) as two:
        second = two.credentials()
    assert first["aws_access_key_id"] != second["aws_access_key_id"]
    assert second == {"aws_access_key_id": "AKIAMINE", "aws_secret_access_key": "my-secret"}


def test_credentials_of_your_own_s3_are_never_exported_in_the_banner(tmp_path):
    your_s3 = start_embedded_s3(credentials={"AKIAYOURS": "your-secret-key"})
    yours = BackendSettings().replace(
        s3_endpoint_url=your_s3.endpoint_url,
        aws_access_key_id="AKIAYOURS",
        aws_secret_access_key="your-secret-key",
    )
    settings = free_ports(tmp_path / "data", pipeline=PipelineSettings(backend=yours))
    try:
        with start_stack(settings) as stack:
            text = banner(stack, ready_s=1.0)
            described = stack.describe()
    finally:
        your_s3.stop()
    assert "your-secret-key" not in text
    assert "AKIAYOURS" not in text
    assert "# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: your own, as in this shell" in text
    assert described["embedded_s3"] is False
    assert described["credentials"]["aws_secret_access_key"] == "your-secret-key"


def test_settings_from_the_environment(tmp_path):
    settings = StackSettings.from_env(
        {
            "VOD_DATA_DIR": str(tmp_path),
            "DEV_S3_PORT": "19000",
            "EMULATOR_PORT": "18888",
            "PIPELINE_PORT": "18000",
            "DATABASE_URL": "postgresql+psycopg://db/vod",
            "WEBHOOK_SECRET": "shared",
            "TRANSCODER_BACKEND": "mediaconvert",
            "VOD_ACCESS_KEY_ID": "AKIALOCAL",
            "VOD_SECRET_ACCESS_KEY": "local-secret",
        }
    )
    assert (settings.access_key_id, settings.secret_access_key) == ("AKIALOCAL", "local-secret")
    assert (settings.data_dir, settings.s3_port, settings.emulator_port, settings.api_port) == (
        tmp_path, 19000, 18888, 18000
    )  # fmt: skip
    assert (settings.database_url, settings.webhook_secret) == (
        "postgresql+psycopg://db/vod",
        "shared",
    )
    assert settings.pipeline.backend.transcoder_backend == "mediaconvert"


def test_a_port_that_is_not_a_number_is_refused_by_name():
    with pytest.raises(ValueError, match="EMULATOR_PORT must be an integer, got 'x'"):
        StackSettings.from_env({"EMULATOR_PORT": "x"})
