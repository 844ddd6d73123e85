"""Faults: the emulator killed with SIGKILL while an event is still being delivered (its
receiver answered 503, so the event waits in the outbox for a retry), then started again on
the same data dir. The event is delivered after the restart, with its original id: delivery
is at-least-once across crashes, as EventBridge's is across its own failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.support.emulator import ROLE, ladder_settings
from tests.support.fakes import WebhookReceiver
from tests.support.net import free_port, wait_for_port
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


def start_emulator(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "vod_testbed.cli.main", "emulator", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, timeout_s=30)
    return proc


def test_an_event_pending_when_the_emulator_is_killed_is_delivered_after_the_restart(
    s3: str, tmp_path: Path
) -> None:
    # Each delivery keeps the target it was queued for, as an EventBridge target does: the
    # same receiver answers 503 before the crash and 200 after it.
    receiver = WebhookReceiver(status=503).start()
    port = free_port()
    env = {
        **os.environ,
        "S3_ENDPOINT_URL": s3,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "EMULATOR_AUTH": "off",
        "EMULATOR_DATA_DIR": str(tmp_path / "emulator"),
        "EVENTS_WEBHOOK_URL": receiver.url,
        "WEBHOOK_SECRET": "faults-webhook-secret",
        "EMULATOR_DELIVERY_BASE_DELAY_S": "0.2",
        "EMULATOR_DELIVERY_MAX_DELAY_S": "0.5",
        "VOD_WORK_DIR": str(tmp_path / "work"),
    }
    emulator = start_emulator(env, port)
    try:
        client: Any = boto3.client(
            "mediaconvert",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1}),
        )
        # The input does not exist: the job ends in ERROR at once and its events queue up.
        job = client.create_job(
            Role=ROLE,
            Settings=ladder_settings("s3://faults/missing.mp4", "s3://faults/missing_processed"),
        )["Job"]
        # The job's last event, ERROR, refused at least once (and PROGRESSING before it): every
        # event is in the outbox, due for another retry. Waiting for a number of requests alone
        # could kill the emulator before the job had ended.
        eventually(lambda: "ERROR" in {b["detail"]["status"] for b in receiver.posted()}, 30)
        emulator.send_signal(signal.SIGKILL)
        emulator.wait(10)
        refused_ids = {body["id"] for body in receiver.posted()}
        receiver.posts.clear()
        receiver.status = 200

        emulator = start_emulator(env, port)
        eventually(
            lambda: refused_ids <= {b["id"] for b in receiver.posted()},
            30,
            what=lambda: f"redelivery of {refused_ids}; got {[b['id'] for b in receiver.posted()]}",
        )
        delivered = receiver.posted()
        assert "ERROR" in {b["detail"]["status"] for b in delivered}
        assert {b["detail"]["jobId"] for b in delivered} == {job["Id"]}
    finally:
        emulator.kill()
        emulator.wait(10)
        receiver.stop()
