"""The shell path through the stack: dev in the background, wait, a curl-only upload and
poll, one SIGTERM."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.dev_process import VOD_TESTBED, clean_env
from vod_testbed.fixtures.media import clip_path

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).with_name("dev_smoke.sh")


def run_smoke(vod_testbed: str, work: Path) -> subprocess.CompletedProcess[str]:
    """Run the shell script with ``vod_testbed`` as the command."""
    return subprocess.run(
        ["bash", str(SCRIPT), vod_testbed, str(clip_path("short_2s")), str(work)],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env(),
    )


def test_a_shell_script_uploads_with_curl_and_stops_the_stack_with_one_sigterm(tmp_path):
    result = run_smoke(VOD_TESTBED, tmp_path)

    assert result.returncode == 0, result.stderr + (tmp_path / "dev.log").read_text()
    lines = result.stdout.splitlines()
    assert lines[-2].startswith("video ") and lines[-2].endswith(" ready")
    assert lines[-1] == "stack stopped"
    assert not (tmp_path / "ready.json").exists()
