"""Where the emulator's credentials come from (EmulatorSettings.from_env)."""

from __future__ import annotations

import pytest

from vod_testbed.emulator.config import EmulatorSettings


def test_emulator_credentials_and_admin_token_come_from_their_variables() -> None:
    settings = EmulatorSettings.from_env(
        {
            "EMULATOR_ACCESS_KEY_ID": "AKIDEMU",
            "EMULATOR_SECRET_ACCESS_KEY": "emu-secret",
            "AWS_ACCESS_KEY_ID": "AKIDAWS",
            "AWS_SECRET_ACCESS_KEY": "aws-secret",
            "EMULATOR_ADMIN_TOKEN": "tok",
        }
    )
    assert (settings.access_key_id, settings.secret_access_key) == ("AKIDEMU", "emu-secret")
    assert (settings.admin_token, settings.auth) == ("tok", True)


def test_without_emulator_credentials_the_processes_aws_pair_is_expected() -> None:
    settings = EmulatorSettings.from_env(
        {"AWS_ACCESS_KEY_ID": "AKIDAWS", "AWS_SECRET_ACCESS_KEY": "aws-secret"}
    )
    assert (settings.access_key_id, settings.secret_access_key) == ("AKIDAWS", "aws-secret")


def test_emulator_auth_takes_the_same_words_as_every_switch() -> None:
    for word in ("OFF", "false", "no", "0"):
        assert EmulatorSettings.from_env({"EMULATOR_AUTH": word}).auth is False
    for word in ("on", "True", "yes", "1"):
        assert EmulatorSettings.from_env({"EMULATOR_AUTH": word}).auth is True
    assert EmulatorSettings.from_env({}).auth is True


def test_an_unknown_word_leaves_no_check_on_or_off_by_surprise() -> None:
    with pytest.raises(ValueError, match=r"^EMULATOR_AUTH must be one of .*got 'of'$"):
        EmulatorSettings.from_env({"EMULATOR_AUTH": "of"})


def test_secrets_are_not_in_the_settings_repr() -> None:
    text = repr(EmulatorSettings(secret_access_key="s3cr3t", admin_token="t0k3n"))
    assert "s3cr3t" not in text and "t0k3n" not in text
