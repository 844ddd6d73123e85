"""ffmpeg's ``-progress`` stream: blocks of ``key=value`` lines ending in ``progress=...``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def progress_blocks(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    """Group progress lines into one dict per block (the block's last key is ``progress``)."""
    block: dict[str, str] = {}
    for raw in lines:
        key, sep, value = raw.strip().partition("=")
        if not sep:
            continue
        block[key] = value
        if key == "progress":
            yield block
            block = {}


def percent_done(block: dict[str, str], duration_s: float) -> float:
    """Share of the source encoded so far, 0..100 (100 only once ffmpeg says ``end``)."""
    if block.get("progress") == "end":
        return 100.0
    # out_time_us is "N/A" or negative before the first frame is muxed.
    raw = block.get("out_time_us") or block.get("out_time_ms") or ""
    try:
        micros = int(raw)
    except ValueError:
        return 0.0
    if duration_s <= 0:
        return 0.0
    return max(0.0, min(99.0, micros / (duration_s * 1e6) * 100))
