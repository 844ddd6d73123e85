"""Hostile environment values refused at start, by name: a duration of NaN, infinity, zero
or below would silently switch the reaper off (every comparison with NaN is false), make
it fail every video at once, or spin it without pause. Run as the command is run."""

from __future__ import annotations

import pytest

from vod_testbed.cli.main import main


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STUCK_UPLOADED_S", "nan"),
        ("STUCK_PROCESSING_S", "inf"),
        ("PENDING_UPLOAD_EXPIRES_S", "Infinity"),
        ("STUCK_UPLOADED_S", "-1"),
        ("STUCK_PROCESSING_S", "0"),
        ("REAPER_INTERVAL_S", "0"),
        ("REAPER_INTERVAL_S", "-inf"),
    ],
)
def test_a_duration_that_is_not_a_positive_number_is_refused_by_name(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["dev", "--print-settings"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert name in captured.err
    assert "Traceback" not in captured.err


def test_secrets_never_reach_the_printed_tree(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = {
        "WEBHOOK_SECRET": "S3CRET-webhook",
        "PLAYBACK_TOKEN_SECRET": "S3CRET-playback-token-secret-long-enough",
        "AUTH_JWT_SECRET": "S3CRET-jwt-secret-long-enough-for-hs256",
        "EMULATOR_ADMIN_TOKEN": "S3CRET-admin",
        "VOD_SECRET_ACCESS_KEY": "S3CRET-storage",
        "VOD_TOKEN": "S3CRET-user-token",
        "AWS_SECRET_ACCESS_KEY": "S3CRET-aws",
        "S3_ENDPOINT_URL": "http://user:S3CRET-url@127.0.0.1:9000",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    assert main(["dev", "--print-settings"]) == 0
    captured = capsys.readouterr()
    assert '"webhook_secret": "***"' in captured.out
    assert "S3CRET" not in captured.out + captured.err
