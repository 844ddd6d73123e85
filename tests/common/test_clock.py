"""The injectable clock."""

from __future__ import annotations

import pytest

from vod_testbed.common.clock import ManualClock


def test_a_manual_clock_moves_only_when_advanced() -> None:
    clock = ManualClock(1_700_000_000.0)
    assert clock() == 1_700_000_000.0
    assert clock.advance(2.5) == 1_700_000_002.5
    assert clock() == 1_700_000_002.5


def test_a_manual_clock_refuses_to_go_back() -> None:
    clock = ManualClock(10.0)
    with pytest.raises(ValueError, match="a clock only moves forward, not by -1 s"):
        clock.advance(-1)
    assert clock() == 10.0
