"""Backends by name."""

from __future__ import annotations

import pytest

from vod_testbed.backends.registry import create_transcoder
from vod_testbed.common.errors import UnknownBackendError
from vod_testbed.common.settings import BackendSettings


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(UnknownBackendError, match=r"unknown transcoder backend 'gpu'.*ffmpeg"):
        create_transcoder("gpu", BackendSettings())


def test_registry_builds_the_ffmpeg_backend_by_default():
    backend = create_transcoder(settings=BackendSettings.from_env({}))
    try:
        assert backend.name == "ffmpeg"
    finally:
        backend.close()
