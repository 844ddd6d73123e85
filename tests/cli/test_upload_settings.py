"""Where `vod-testbed upload` finds the API and its token: the declared settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from vod_testbed.cli.main import build_parser
from vod_testbed.cli.upload import run


def test_the_api_port_and_token_come_from_the_declared_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_PORT", "18123")
    monkeypatch.setenv("VOD_TOKEN", "tok")
    args = build_parser().parse_args(["upload", str(tmp_path / "missing.mp4")])
    assert run(args) == 2  # the file is missing: nothing is sent
    assert (args.api, args.token) == ("http://127.0.0.1:18123", "tok")


def test_a_refused_port_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PIPELINE_PORT", "eighty")
    args = build_parser().parse_args(["upload", str(tmp_path / "missing.mp4")])
    assert run(args) == 2
    assert "PIPELINE_PORT must be an integer, got 'eighty'" in capsys.readouterr().err
