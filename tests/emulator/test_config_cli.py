"""EmulatorSettings from the environment, the CLI sub-command, and paging edge cases."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import template_settings
from vod_testbed.cli.main import build_parser
from vod_testbed.emulator.config import EmulatorSettings


def test_settings_from_env() -> None:
    settings = EmulatorSettings.from_env(
        {
            "EMULATOR_DATA_DIR": "/srv/emu",
            "EVENTS_WEBHOOK_URL": "http://127.0.0.1:9000/a, http://127.0.0.1:9001/b,",
            "WEBHOOK_SECRET": "s",
            "AWS_REGION": "eu-west-1",
            "EMULATOR_ACCOUNT_ID": "111122223333",
            "EMULATOR_QUEUE_CONCURRENCY": "3",
            "EMULATOR_TIME_COMPRESSION": "60",
        }
    )
    assert settings.data_dir == Path("/srv/emu")
    assert settings.webhook_urls == ("http://127.0.0.1:9000/a", "http://127.0.0.1:9001/b")
    assert (settings.webhook_secret, settings.region, settings.account_id) == (
        "s",
        "eu-west-1",
        "111122223333",
    )
    assert (settings.queue_concurrency, settings.time_compression) == (3, 60.0)
    assert (
        settings.arn("queues", "Default")
        == "arn:aws:mediaconvert:eu-west-1:111122223333:queues/Default"
    )


def test_settings_defaults() -> None:
    settings = EmulatorSettings.from_env({})
    assert settings.webhook_urls == ()
    assert (settings.region, settings.account_id, settings.queue_concurrency) == (
        "us-east-1",
        "123456789012",
        1,
    )
    assert settings.http_threads == 2


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"EMULATOR_TIME_COMPRESSION": "fast"},
            "EMULATOR_TIME_COMPRESSION must be a number, got 'fast'",
        ),
        ({"EMULATOR_TIME_COMPRESSION": "0"}, "EMULATOR_TIME_COMPRESSION must be positive"),
        ({"EMULATOR_QUEUE_CONCURRENCY": "0"}, "EMULATOR_QUEUE_CONCURRENCY must be at least 1"),
        ({"EMULATOR_ACCOUNT_ID": "42"}, "EMULATOR_ACCOUNT_ID must be 12 digits"),
        ({"EMULATOR_HTTP_THREADS": "0"}, "EMULATOR_HTTP_THREADS must be between 1 and 64"),
        ({"EMULATOR_HTTP_THREADS": "65"}, "EMULATOR_HTTP_THREADS must be between 1 and 64"),
        ({"EMULATOR_HTTP_THREADS": "many"}, "EMULATOR_HTTP_THREADS must be an integer"),
    ],
)
def test_bad_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        EmulatorSettings.from_env(env)


def test_the_server_answers_with_emulator_http_threads_threads(make_app: Any, serve: Any) -> None:
    settings = EmulatorSettings.from_env({"EMULATOR_HTTP_THREADS": "3"})
    server = serve(make_app(http_threads=settings.http_threads))
    assert server._server.adj.threads == 3  # waitress's worker pool


def test_cli_emulator_defaults_to_localhost() -> None:
    args = build_parser().parse_args(["emulator"])
    # No --port: the port is the settings' (EMULATOR_PORT, default 8888).
    assert (args.host, args.port, args.data_dir) == ("127.0.0.1", None, None)
    assert EmulatorSettings.from_env({}).port == 8888
    args = build_parser().parse_args(["emulator", "--port", "0", "--data-dir", "/tmp/x"])
    assert (args.port, args.data_dir) == (0, Path("/tmp/x"))


def test_paging_resumes_after_the_last_item_when_one_is_deleted(mc: Any) -> None:
    for name in ("a", "b", "c", "d"):
        mc.create_job_template(Name=name, Settings=template_settings())
    first = mc.list_job_templates(MaxResults=2)
    mc.delete_job_template(Name="a")
    second = mc.list_job_templates(MaxResults=2, NextToken=first["NextToken"])
    assert [t["Name"] for t in first["JobTemplates"]] == ["a", "b"]
    assert [t["Name"] for t in second["JobTemplates"]] == ["c", "d"]
    assert "NextToken" not in second


def test_one_emulator_per_data_dir(app: Any, make_app: Any) -> None:
    from vod_testbed.emulator.store import DataDirInUseError

    with pytest.raises(DataDirInUseError, match="another emulator is using"):
        make_app()
