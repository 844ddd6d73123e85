"""Concurrent clients for the HTTP benchmarks, each in its own process, and what they cost.

A client in the server's process would share its interpreter lock and measure the two
fighting over it; so each client is a spawned process. The server's CPU per request is this
process's CPU time over the run (it serves, and does nothing else meanwhile) divided by
the requests; each client's is its own process's CPU time over its timed calls. A load
generator that costs more CPU than the server measures itself as much as the server.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A picklable, module-level function: called with ``args`` in each client process, it
# returns the one call to time (which raises, or fails an assert, on a wrong answer).
CallFactory = Callable[..., Callable[[], object]]


@dataclass(frozen=True)
class Load:
    """One run: every timed call's latency (ms, sorted) and the CPU each side spent."""

    latencies_ms: list[float]
    server_cpu_us: float
    client_cpu_us: float

    def percentile(self, q: float) -> float:
        """The ``q`` quantile (0-1) of the latencies, in ms."""
        ordered = self.latencies_ms
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _client(
    factory: CallFactory, args: tuple[Any, ...], warmup: int, calls: int, start: Any
) -> tuple[list[float], float]:
    call = factory(*args)
    for _ in range(warmup):  # connection, imports and caches set up outside the timing
        call()
    start.wait()
    latencies = []
    cpu_s = time.process_time()
    for _ in range(calls):
        began = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies, time.process_time() - cpu_s


def hammer(
    factory: CallFactory, args: tuple[Any, ...], *, clients: int, calls: int, warmup: int = 20
) -> Load:
    """``clients`` processes each make ``calls`` timed calls at once (after ``warmup``
    untimed ones), against a server running in this process."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start = manager.Barrier(clients)
        with context.Pool(clients) as pool:
            server_cpu_s = time.process_time()
            runs = pool.starmap(_client, [(factory, args, warmup, calls, start)] * clients)
            server_cpu_s = time.process_time() - server_cpu_s
    timed = clients * calls
    return Load(
        latencies_ms=sorted(latency for latencies, _ in runs for latency in latencies),
        server_cpu_us=server_cpu_s / (timed + clients * warmup) * 1e6,
        client_cpu_us=sum(cpu_s for _, cpu_s in runs) / timed * 1e6,
    )
