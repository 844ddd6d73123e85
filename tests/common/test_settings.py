"""The backends' settings, from the environment."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from vod_testbed.common.settings import BackendSettings, variables
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.playback.settings import PlaybackSettings


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
        dataclasses.replace(EmulatorSettings(), queue_concurrency=0)


def test_secrets_are_left_out_of_the_repr():
    settings = EmulatorSettings.from_env(
        {"EMULATOR_SECRET_ACCESS_KEY": "s3cr3t-key", "EMULATOR_ADMIN_TOKEN": "t0ken"}
    )
    assert settings.secret_access_key == "s3cr3t-key"
    assert "s3cr3t-key" not in repr(settings) and "t0ken" not in repr(settings)


@pytest.mark.parametrize(
    "settings_type", [BackendSettings, PipelineSettings, EmulatorSettings, PlaybackSettings]
)
def test_every_setting_names_its_variable_once(settings_type: type[Any]) -> None:
    direct = {"backend", "idempotency_window_s"}  # given by code, not by a variable
    unnamed = [
        name
        for name, info in settings_type.__pydantic_fields__.items()
        if info.validation_alias is None and name not in direct
    ]
    assert unnamed == []
    names = variables(settings_type)
    assert len(names) == len(set(names))


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
