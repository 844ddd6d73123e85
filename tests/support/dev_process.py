"""`vod-testbed dev` as a child process, the way CI jobs and shells start it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vod_testbed.fixtures.media import clip_path

VOD_TESTBED = str(Path(sys.executable).with_name("vod-testbed"))
READY_TIMEOUT_S = 60


def dev_command(data_dir: Path, ready_file: Path, *extra: str) -> list[str]:
    return [
        VOD_TESTBED, "dev", "--text-logs", "--data-dir", str(data_dir),
        "--ready-file", str(ready_file),
        "--s3-port", "0", "--emulator-port", "0", "--api-port", "0", *extra,
    ]  # fmt: skip


def clean_env() -> dict[str, str]:
    """This environment without the settings a developer's shell may hold."""
    prefixes = ("AWS_", "S3_", "MEDIACONVERT_", "WEBHOOK_", "EMULATOR_", "PIPELINE_", "VOD_DATA")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


@contextmanager
def dev_process(
    tmp_path: Path, name: str = "stack"
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A running ``vod-testbed dev`` with its own data dir (``tmp_path/name``); its output
    goes to ``tmp_path/name.out`` and ``.err``; killed after if still running."""
    ready_file = tmp_path / f"{name}-ready.json"
    # Output to files, not pipes: a full pipe would block the stack's logging.
    with (tmp_path / f"{name}.out").open("w") as out, (tmp_path / f"{name}.err").open("w") as err:
        process = subprocess.Popen(
            dev_command(tmp_path / name, ready_file), stdout=out, stderr=err, env=clean_env()
        )
        try:
            yield process, ready_file
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def wait_ready(ready_file: Path, timeout_s: float = READY_TIMEOUT_S) -> dict[str, Any]:
    """Wait with `vod-testbed wait`, as a shell script would; the ready file's content."""
    subprocess.run(
        [VOD_TESTBED, "wait", "--ready-file", str(ready_file), "--timeout", str(timeout_s)],
        check=True,
        capture_output=True,
        timeout=timeout_s + 30,
    )
    description: dict[str, Any] = json.loads(ready_file.read_text())
    return description


# The CI job of docs/ci.md as a shell script: curl for the upload and the polling.
SMOKE_SCRIPT = Path(__file__).resolve().parents[1] / "cli" / "dev_smoke.sh"


def run_smoke(vod_testbed: str, work: Path) -> subprocess.CompletedProcess[str]:
    """Run the shell script with ``vod_testbed`` as the command."""
    return subprocess.run(
        ["bash", str(SMOKE_SCRIPT), vod_testbed, str(clip_path("short_2s")), str(work)],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env(),
    )
