"""What ``validate`` and ``report`` share: printing a report as text or JSON, and the exit
code of a passed, failed or unreadable output."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vod_testbed.cli.hls_output import EXIT_FAILED, EXIT_OK, print_report
from vod_testbed.cli.main import main
from vod_testbed.hls.model import HlsInputError


@dataclass
class FakeReport:
    ok: bool

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok}


def printed(capsys: pytest.CaptureFixture[str], *, ok: bool, as_json: bool) -> tuple[int, str]:
    args = argparse.Namespace(master="out/master.m3u8", json=as_json)
    code = print_report(
        args, lambda _m: FakeReport(ok), lambda r: f"TEXT ok={r.ok}", lambda r: r.ok
    )
    return code, capsys.readouterr().out


@pytest.mark.parametrize(("ok", "expected"), [(True, EXIT_OK), (False, EXIT_FAILED)])
def test_the_exit_code_says_whether_the_report_passed(
    capsys: pytest.CaptureFixture[str], ok: bool, expected: int
) -> None:
    code, out = printed(capsys, ok=ok, as_json=False)
    assert (code, out) == (expected, f"TEXT ok={ok}\n")


def test_json_prints_the_reports_dict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = printed(capsys, ok=True, as_json=True)
    assert (code, json.loads(out)) == (EXIT_OK, {"ok": True})


def test_a_master_that_cannot_be_read_exits_2_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen: list[str] = []

    def build(master: str) -> FakeReport:
        seen.append(master)
        raise HlsInputError("no #EXTM3U")

    args = argparse.Namespace(master="s3://b/master.m3u8", json=False)
    assert print_report(args, build, str, lambda _r: True) == 2
    assert seen == ["s3://b/master.m3u8"]
    assert capsys.readouterr().err == "error: no #EXTM3U\n"


@pytest.mark.parametrize("command", ["validate", "report"])
def test_a_missing_master_exits_2_with_one_line_on_stderr(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.m3u8"
    assert main([command, str(missing), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: no such file: {missing}\n"


def test_report_refuses_a_quality_span_that_is_not_positive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "master.m3u8"), "--quality-seconds", "0"]) == 2
    assert capsys.readouterr().err == "error: --quality-seconds must be positive\n"
