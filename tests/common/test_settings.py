"""The backends' settings, from the environment."""

from __future__ import annotations

import pytest

from vod_testbed.common.settings import BackendSettings


def test_settings_come_from_the_environment():
    settings = BackendSettings.from_env(
        {"TRANSCODER_BACKEND": "mediaconvert", "S3_BUCKET": "media", "FFMPEG_MAX_JOBS": "3"}
    )
    assert settings.transcoder_backend == "mediaconvert"
    assert settings.s3_bucket == "media"
    assert settings.max_concurrent_jobs == 3
    with pytest.raises(ValueError, match="FFMPEG_MAX_JOBS must be an integer"):
        BackendSettings.from_env({"FFMPEG_MAX_JOBS": "many"})
