"""Faults: the pipeline killed with SIGKILL in the middle of a job, then started again on
the same database. What the API says afterwards matches what happened and what storage
holds: the video whose job died is failed with a sentence, and a ready video whose outputs
vanished with the storage is failed too, never reported ready."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.e2e_helpers import AUTH_SECRET, bearer, upload, wait_for
from tests.support.net import free_port, start_s3_process, wait_for_port
from vod_testbed.fixtures.media import clip_path

pytestmark = pytest.mark.e2e


def start_pipeline(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "vod_testbed.cli.main", "pipeline", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, timeout_s=30)
    return proc


@pytest.fixture
def pipeline_env(s3: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "S3_ENDPOINT_URL": s3,
        "S3_BUCKET": "faults",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pipeline.sqlite3'}",
        "VOD_WORK_DIR": str(tmp_path / "work"),
        "AUTH_JWT_SECRET": AUTH_SECRET,
        "WEBHOOK_SECRET": "faults-webhook-secret",
        "PLAYBACK_TOKEN_SECRET": "faults-playback-secret",
        "TRANSCODER_BACKEND": "ffmpeg",
        # Slow enough that the job is still running when the process is killed.
        "FFMPEG_PRESET": "veryslow",
        "UPLOAD_WATCH_INTERVAL_S": "0.2",
    }


def kill(proc: subprocess.Popen[Any]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)


def test_a_video_whose_job_died_with_the_pipeline_is_failed_after_the_restart(
    pipeline_env: dict[str, str],
) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    first = start_pipeline(pipeline_env, port)
    try:
        video_id = upload(api, clip_path("three_segments"))
        wait_for(api, video_id, statuses=("processing",), timeout_s=60)
    finally:
        kill(first)
    second = start_pipeline(pipeline_env, port)
    try:
        video = wait_for(api, video_id, statuses=("ready", "failed"), timeout_s=30)
        assert video["status"] == "failed"
        assert video["error"]["message"] == (
            "The transcoding job was lost when the pipeline stopped while it ran. "
            "Upload the video again."
        )
    finally:
        kill(second)


def test_a_ready_video_whose_storage_restarted_empty_is_not_reported_ready(
    pipeline_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    env = {**pipeline_env, "FFMPEG_PRESET": "ultrafast"}
    first = start_pipeline(env, port)
    try:
        video_id = upload(api, clip_path("short_2s"))
        assert wait_for(api, video_id, timeout_s=120)["status"] == "ready"
    finally:
        kill(first)
    # The embedded S3 keeps objects in memory: a new one knows nothing of the outputs.
    proc, endpoint = start_s3_process()
    try:
        second = start_pipeline({**env, "S3_ENDPOINT_URL": endpoint}, port)
        try:
            answer = requests.get(f"{api}/videos/{video_id}", headers=bearer("e2e"), timeout=10)
            video = answer.json()
            assert video["status"] == "failed"
            assert video["error"]["reason"] == "outputs_lost"
            assert video["playback"] is None
            health = requests.get(f"{api}/healthz", timeout=10).json()
            assert health["lost_outputs_failed"] == 1
        finally:
            kill(second)
    finally:
        proc.kill()
        proc.wait(10)
