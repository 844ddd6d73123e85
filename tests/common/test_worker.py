"""The background-worker helper every loop uses."""

from __future__ import annotations

import logging
import threading

import pytest

from vod_testbed.common.worker import Worker


def test_a_failing_step_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    second_step = threading.Event()
    calls: list[int] = []

    def step() -> float:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("one bad item")
        second_step.set()
        return 3600.0

    worker = Worker("failing", step)
    with caplog.at_level(logging.ERROR):
        worker.start()
        worker.wake()  # cut the pause after the failure short
        assert second_step.wait(5)
    worker.stop()
    assert "failing: step failed" in caplog.text
    assert "one bad item" in caplog.text


def test_wake_runs_the_next_step_before_the_wait_is_over() -> None:
    steps = [threading.Event(), threading.Event()]
    done: list[int] = []

    def step() -> float:
        steps[min(len(done), 1)].set()
        done.append(1)
        return 3600.0  # without a wake, the second step would be an hour away

    worker = Worker("sleepy", step)
    worker.start()
    assert steps[0].wait(5)
    worker.wake()
    assert steps[1].wait(5)
    worker.stop()


def test_stop_ends_the_thread() -> None:
    worker = Worker("stoppable", lambda: 3600.0)
    worker.start()
    assert worker.alive
    worker.stop(timeout_s=5)
    assert not worker.alive
    assert worker.stopping
