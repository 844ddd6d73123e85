"""The report tests read the session's default ladder of the fixtures' 1080p clip
(``landscape_ladder``, tests/support/ladders.py), which the validator's tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.ladders import LANDSCAPE_CLIP
from vod_testbed.fixtures.media import clip_path


@pytest.fixture(scope="session")
def ladder_1080p(landscape_ladder: Path) -> tuple[Path, Path]:
    """(master playlist, source clip) of the default ladder made from ``landscape_1080p``."""
    return landscape_ladder / "hls" / "master.m3u8", clip_path(LANDSCAPE_CLIP)
