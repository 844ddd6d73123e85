"""The suite's one way to wait: poll a condition until it holds, with a deadline (tenacity).

A test never sleeps for a fixed time hoping something happened; it asks ``eventually`` to call
a condition every ``interval_s`` until it returns something truthy (which it returns) and fails
with ``what`` once ``timeout_s`` has passed. The deadline only bounds a failing test: a passing
one returns as soon as the condition holds. An exception the condition raises is not retried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tenacity import RetryError, Retrying, retry_if_result, stop_after_delay, wait_fixed

T = TypeVar("T")


def eventually(
    condition: Callable[[], T | None],
    timeout_s: float = 10.0,
    interval_s: float = 0.02,
    what: str | Callable[[], str] = "condition",
) -> T:
    """``condition()``'s first truthy value within ``timeout_s``; an AssertionError naming
    ``what`` (a string, or a function describing the state at the deadline) otherwise."""
    retrying = Retrying(
        stop=stop_after_delay(timeout_s),
        wait=wait_fixed(interval_s),
        retry=retry_if_result(lambda value: not value),
    )
    try:
        value = retrying(condition)
    except RetryError:
        described = what() if callable(what) else what
        raise AssertionError(f"{described}: not met within {timeout_s} s") from None
    assert value is not None  # retried until truthy
    return value
