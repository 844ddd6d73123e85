"""Where the emulator's credentials come from (EmulatorSettings.from_env)."""

from __future__ import annotations

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


def test_emulator_auth_off_is_the_only_way_to_relax_the_checks() -> None:
    assert EmulatorSettings.from_env({"EMULATOR_AUTH": "OFF"}).auth is False
    assert EmulatorSettings.from_env({"EMULATOR_AUTH": "no"}).auth is True
    assert EmulatorSettings.from_env({}).auth is True


def test_secrets_are_not_in_the_settings_repr() -> None:
    text = repr(EmulatorSettings(secret_access_key="s3cr3t", admin_token="t0k3n"))
    assert "s3cr3t" not in text and "t0k3n" not in text
