"""The settings tree, from the environment."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from vod_testbed.common.settings import (
    BackendSettings,
    ClientSettings,
    ServerSettings,
    Settings,
    branches,
    variable,
    variable_names,
    variables,
)
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.fixtures.settings import FixtureSettings
from vod_testbed.pipeline.config import PipelineSettings, PlaybackSettings
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.stack.settings import StackSettings

EVERY_TYPE: list[type[Settings]] = [
    StackSettings,
    BackendSettings,
    PipelineSettings,
    EmulatorSettings,
    PlaybackSettings,
    FixtureSettings,
    ServerSettings,
    ClientSettings,
    DeployConfig,
]


def test_settings_come_from_the_environment():
    settings = BackendSettings.from_env(
        {"TRANSCODER_BACKEND": "mediaconvert", "S3_BUCKET": "media", "FFMPEG_MAX_JOBS": "3"}
    )
    assert settings.transcoder_backend == "mediaconvert"
    assert settings.s3_bucket == "media"
    assert settings.max_concurrent_jobs == 3
    with pytest.raises(ValueError, match="FFMPEG_MAX_JOBS must be an integer"):
        BackendSettings.from_env({"FFMPEG_MAX_JOBS": "many"})


def test_a_fallback_variable_is_read_when_the_first_is_unset_or_empty():
    settings = BackendSettings.from_env({"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-1"})
    assert settings.aws_region == "eu-west-1"


def test_an_empty_variable_leaves_the_default():
    assert BackendSettings.from_env({"S3_BUCKET": "", "FFMPEG_MAX_JOBS": ""}) == BackendSettings()


def test_a_number_that_is_not_one_is_refused_naming_the_variable():
    with pytest.raises(ValueError, match=r"^UPLOAD_WATCH_INTERVAL_S must be a number, got 'soon'$"):
        PipelineSettings.from_env({"UPLOAD_WATCH_INTERVAL_S": "soon"})


def test_a_rule_of_the_settings_is_checked_on_replace_too():
    with pytest.raises(ValueError, match="EMULATOR_QUEUE_CONCURRENCY must be at least 1"):
        EmulatorSettings().replace(queue_concurrency=0)


def test_secrets_are_left_out_of_the_repr():
    settings = EmulatorSettings.from_env(
        {"EMULATOR_SECRET_ACCESS_KEY": "s3cr3t-key", "EMULATOR_ADMIN_TOKEN": "t0ken"}
    )
    assert settings.secret_access_key == "s3cr3t-key"
    assert "s3cr3t-key" not in repr(settings) and "t0ken" not in repr(settings)


# Given by code (or composed from the parts' variables), not read from a variable; a
# branch of the tree (another part's settings) reads its own.
DIRECT = {
    "idempotency_window_s",
    "host",
    "watch",
    "emulator_port",
    "api_port",
    "database_url",
    "webhook_secret",
}


@pytest.mark.parametrize("settings_type", EVERY_TYPE)
def test_every_setting_names_its_variable_once(settings_type: type[Any]) -> None:
    unnamed = [
        name
        for name, info in settings_type.model_fields.items()
        if info.validation_alias is None and name not in DIRECT | set(branches(settings_type))
    ]
    assert unnamed == []
    names = variables(settings_type)
    assert len(names) == len(set(names))


def test_no_variable_has_two_declarations() -> None:
    """A variable two parts read (``WEBHOOK_SECRET``) is one shared declaration (another
    field may still fall back to it, as ``EMULATOR_ACCESS_KEY_ID`` does to
    ``AWS_ACCESS_KEY_ID``)."""
    seen: dict[str, Any] = {}
    for settings_type in EVERY_TYPE:
        for info in settings_type.model_fields.values():
            if info.validation_alias is not None:
                name = variable_names(info)[0]
                assert seen.setdefault(name, repr(info)) == repr(info), name


def test_the_stack_reads_the_whole_tree_from_one_environment() -> None:
    tree = StackSettings.from_env(
        {
            "VOD_DATA_DIR": "/srv/vod",
            "DEV_S3_PORT": "0",
            "PIPELINE_PORT": "8100",
            "EMULATOR_PORT": "8900",
            "WEBHOOK_SECRET": "shared",
            "DATABASE_URL": "sqlite:///elsewhere.db",
            "TRANSCODER_BACKEND": "mediaconvert",
            "EMULATOR_AUTH": "off",
            "PLAYBACK_TOKEN_SECRET": "tokens",
            "VOD_ALLOWED_HOSTS": "testbed",
        }
    )
    assert tree.pipeline.playback.token_secret == "tokens"
    assert tree.servers.allowed_hosts == ("testbed",)
    assert (str(tree.data_dir), tree.s3_port, tree.api_port, tree.emulator_port) == (
        "/srv/vod",
        0,
        8100,
        8900,
    )
    assert tree.pipeline.backend.transcoder_backend == "mediaconvert"
    assert tree.emulator.auth is False
    assert tree.webhook_secret == tree.pipeline.webhook_secret == tree.emulator.webhook_secret
    assert tree.pipeline_database_url == "sqlite:///elsewhere.db"


def test_without_database_url_the_stack_keeps_its_database_in_its_data_dir() -> None:
    tree = StackSettings.from_env({"VOD_DATA_DIR": "/srv/vod"})
    assert tree.database_url is None
    assert tree.pipeline_database_url == "sqlite:////srv/vod/pipeline.sqlite3"


def test_a_refused_variable_deep_in_the_tree_is_named() -> None:
    with pytest.raises(ValueError, match=r"^FFMPEG_MAX_JOBS must be an integer, got 'x'$"):
        StackSettings.from_env({"FFMPEG_MAX_JOBS": "x"})


def test_constructing_settings_reads_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S3_BUCKET", "from-the-environment")
    assert BackendSettings().s3_bucket == "vod-testbed"
    assert BackendSettings.from_env().s3_bucket == "from-the-environment"


def test_the_secrets_of_the_tree_are_masked_when_shown() -> None:
    tree = StackSettings.from_env({"WEBHOOK_SECRET": "hush", "AUTH_JWT_SECRET": "jwt-hush"})
    shown = repr(tree.shown())
    assert "hush" not in shown
    assert tree.shown()["pipeline"]["webhook_secret"] == "***"


def test_a_password_in_a_url_is_masked_when_shown() -> None:
    tree = StackSettings.from_env({"DATABASE_URL": "postgresql://vod:pa55@db:5432/vod"})
    assert tree.shown()["database_url"] == "postgresql://vod:***@db:5432/vod"
    assert tree.database_url == "postgresql://vod:pa55@db:5432/vod"


class Renamed(Settings):
    seconds: float = variable(
        "NEW_SECONDS", deprecated=("OLD_SECONDS",), description="a renamed one", default=1.0
    )


def test_a_deprecated_name_still_works_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="vod_testbed.common.settings"):
        assert Renamed.from_env({"OLD_SECONDS": "3"}).seconds == 3.0
    assert "OLD_SECONDS is deprecated: set NEW_SECONDS instead" in caplog.text
    assert Renamed.from_env({"OLD_SECONDS": "3", "NEW_SECONDS": "5"}).seconds == 5.0


@pytest.mark.parametrize("word", ["false", "off", "no", "0", "OFF"])
def test_the_pipeline_and_the_emulator_read_a_switch_word_alike(word: str) -> None:
    assert PipelineSettings.from_env({"VOD_AUTH": word}).auth_enabled is False
    assert EmulatorSettings.from_env({"EMULATOR_AUTH": word}).auth is False


def test_a_switch_word_outside_the_documented_ones_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValueError, match=r"^VOD_AUTH must be one of .*got 'disabled'$"):
        PipelineSettings.from_env({"VOD_AUTH": "disabled"})


def test_a_port_out_of_range_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValueError, match=r"^EMULATOR_PORT: .*65535"):
        EmulatorSettings.from_env({"EMULATOR_PORT": "70000"})
    with pytest.raises(ValueError, match=r"^PIPELINE_PORT: .*0"):
        PipelineSettings.from_env({"PIPELINE_PORT": "-1"})


@pytest.mark.parametrize("settings_type", EVERY_TYPE)
def test_every_variable_follows_the_naming_scheme(settings_type: type[Settings]) -> None:
    """Upper-case words joined by `_`; a duration in seconds ends in `_S`."""
    for field_name, info in settings_type.model_fields.items():
        if info.validation_alias is None:
            continue
        name = variable_names(info)[0]
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", name), name
        if field_name.endswith(("_s", "_seconds")):
            assert name.endswith("_S"), name
