"""The shell path through the stack: dev in the background, wait, a curl-only upload and
poll, one SIGTERM."""

from __future__ import annotations

import pytest

from tests.support.dev_process import VOD_TESTBED, run_smoke

pytestmark = pytest.mark.e2e


def test_a_shell_script_uploads_with_curl_and_stops_the_stack_with_one_sigterm(tmp_path):
    result = run_smoke(VOD_TESTBED, tmp_path)

    assert result.returncode == 0, result.stderr + (tmp_path / "dev.log").read_text()
    lines = result.stdout.splitlines()
    assert lines[-2].startswith("video ") and lines[-2].endswith(" ready")
    assert lines[-1] == "stack stopped"
    assert not (tmp_path / "ready.json").exists()
