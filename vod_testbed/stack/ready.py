"""The ready file: a running stack described as JSON for clients in any language, written
once every part answers, and the checks that say whether they do.

The file is written whole or not at all (a temporary file renamed into place), readable by
its owner only (it holds the webhook secret and the S3 credentials), and removed when the
stack stops, so a file present is a stack that was ready.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests

HEALTH_TIMEOUT_S = 2.0
POLL_S = 0.1


def write_ready_file(path: Path, description: Mapping[str, Any]) -> None:
    """Write ``description`` to ``path`` atomically, mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(description, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_ready_file(path: Path) -> dict[str, Any] | None:
    """The description in ``path``; None while there is none."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    description: dict[str, Any] = json.loads(text)
    return description


def unhealthy_parts(description: Mapping[str, Any]) -> list[str]:
    """What does not answer, one line per part: the pipeline's and the emulator's
    ``/healthz``, and a HEAD of the bucket on S3. Empty: every part answers."""
    endpoints = description["endpoints"]
    problems = []
    for part in ("pipeline", "emulator"):
        url = f"{endpoints[part]}/healthz"
        try:
            response = requests.get(url, timeout=HEALTH_TIMEOUT_S)
        except requests.RequestException as exc:
            problems.append(f"{part}: {url}: {type(exc).__name__}")
            continue
        if response.status_code != 200:
            problems.append(f"{part}: {url}: HTTP {response.status_code}")
    problem = _bucket_problem(description)
    if problem:
        problems.append(f"s3: {problem}")
    return problems


def _bucket_problem(description: Mapping[str, Any]) -> str | None:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    credentials = description.get("credentials") or {}
    client = boto3.client(
        "s3",
        endpoint_url=description["endpoints"]["s3"],
        region_name=description["region"],
        config=Config(
            connect_timeout=HEALTH_TIMEOUT_S,
            read_timeout=HEALTH_TIMEOUT_S,
            retries={"max_attempts": 1},
        ),
        **credentials,
    )
    try:
        client.head_bucket(Bucket=description["bucket"])
    except (BotoCoreError, ClientError) as exc:
        return f"HEAD bucket {description['bucket']}: {exc}"
    return None


def wait_until_healthy(description: Mapping[str, Any], timeout_s: float) -> list[str]:
    """Check until every part answers or ``timeout_s`` passes; the problems left (empty:
    healthy)."""
    deadline = time.monotonic() + timeout_s
    while True:
        problems = unhealthy_parts(description)
        if not problems or time.monotonic() >= deadline:
            return problems
        time.sleep(POLL_S)


def wait_for_ready_file(path: Path, timeout_s: float) -> tuple[dict[str, Any] | None, list[str]]:
    """Wait for ``path`` to describe a stack whose parts all answer. The file is read again
    on every check: one left by a stack that was killed is replaced when the next is ready.

    Returns:
        (description, []) when ready; (the last description or None, what is missing) on
        timeout.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        description = read_ready_file(path)
        if description is None:
            problems = [f"no ready file at {path}"]
        else:
            problems = unhealthy_parts(description)
            if not problems:
                return description, []
        if time.monotonic() >= deadline:
            return description, problems
        time.sleep(POLL_S)
