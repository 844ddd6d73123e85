"""The asset state machine: forward only, ready and failed final."""

from __future__ import annotations

import itertools

import pytest

from vod_testbed.pipeline.assets.asset_states import AssetStatus, may_transition

S = AssetStatus
FORWARD = [
    (S.PENDING_UPLOAD, S.UPLOADED),
    (S.PENDING_UPLOAD, S.PROCESSING),
    (S.PENDING_UPLOAD, S.FAILED),
    (S.UPLOADED, S.PROCESSING),
    (S.UPLOADED, S.FAILED),
    (S.PROCESSING, S.PROCESSING),
    (S.PROCESSING, S.READY),
    (S.PROCESSING, S.FAILED),
]


@pytest.mark.parametrize(("current", "new"), FORWARD)
def test_forward_moves_are_allowed(current: AssetStatus, new: AssetStatus) -> None:
    assert may_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [(c, n) for c, n in itertools.product(S, S) if n.rank < c.rank],
)
def test_backward_moves_are_refused(current: AssetStatus, new: AssetStatus) -> None:
    assert not may_transition(current, new)


@pytest.mark.parametrize("final", [S.READY, S.FAILED])
@pytest.mark.parametrize("new", list(S))
def test_nothing_leaves_a_final_state(final: AssetStatus, new: AssetStatus) -> None:
    assert not may_transition(final, new)
