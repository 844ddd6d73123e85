"""Shared by the fault tests: an S3 in a process of its own, so it outlives what is killed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.net import start_s3_process


@pytest.fixture
def s3() -> Iterator[str]:
    proc, endpoint = start_s3_process()
    yield endpoint
    proc.kill()
    proc.wait(10)
