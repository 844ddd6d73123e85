"""`vod-testbed dev --print-settings`: the settings tree a stack would start from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vod_testbed.cli.main import main


def test_the_tree_is_printed_with_the_command_line_on_top_and_secrets_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PIPELINE_PORT", "8100")
    monkeypatch.setenv("WEBHOOK_SECRET", "do-not-print-me")
    monkeypatch.setenv("EMULATOR_QUEUE_CONCURRENCY", "2")
    assert main(["dev", "--print-settings", "--data-dir", str(tmp_path), "--s3-port", "0"]) == 0
    out = capsys.readouterr().out
    tree = json.loads(out)
    assert (tree["data_dir"], tree["s3_port"], tree["api_port"]) == (str(tmp_path), 0, 8100)
    assert tree["emulator"]["queue_concurrency"] == 2
    assert tree["pipeline"]["webhook_secret"] == "***"
    assert "do-not-print-me" not in out
    assert not (tmp_path / "pipeline.sqlite3").exists()  # nothing was started


def test_a_refused_variable_is_named_and_nothing_is_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EMULATOR_PORT", "many")
    assert main(["dev", "--print-settings"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "EMULATOR_PORT must be an integer, got 'many'" in captured.err
