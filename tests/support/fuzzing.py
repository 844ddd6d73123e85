"""How many examples each fuzzer tries. ``make fuzz`` (``FUZZ_BUDGET=full``, also run by CI)
tries each fuzzer's full budget; ``make test`` tries a fifth of it, so every fuzzer still runs
there on the same derandomized examples' first share, in a fifth of the time."""

from __future__ import annotations

import os

FULL = os.environ.get("FUZZ_BUDGET") == "full"
SMOKE_SHARE = 5
SMOKE_FLOOR = 20


def examples(full: int) -> int:
    """The number of examples to try of a fuzzer whose full budget is ``full``."""
    return full if FULL else max(full // SMOKE_SHARE, min(full, SMOKE_FLOOR))
