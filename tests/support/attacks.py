"""What the attack tests share: a MediaConvert client that takes a refusal as it comes,
and the names of the uploads that are instructions rather than media (the attack tests'
``host_files`` fixture makes them)."""

from __future__ import annotations

from typing import Any

from tests.support.emulator import boto_client

ATTACKS = ("hls-to-server-video", "hls-to-etc-passwd", "concat-to-server-video")


def mediaconvert(url: str, **identity: Any) -> Any:
    """A boto3 MediaConvert client for ``url`` with one attempt (refusals are not retried);
    ``key``, ``secret``, ``region`` override the emulator's test credentials."""
    return boto_client(url, **identity, retries={"max_attempts": 1})
