"""Bit rates of an HLS rendition as RFC 8216 defines them, from playlist and file sizes.

Segment bit rate = size / EXTINF. BANDWIDTH is the *peak*: the largest bit rate of any
contiguous run of segments lasting between 0.5 and 1.5 target durations (widened by 0.5 s,
as the 2nd-edition draft and Apple's validator do). AVERAGE-BANDWIDTH is total bits over
total duration. Container overhead counts, HTTP does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentSize:
    duration_s: float
    size_bytes: int


def average_bitrate(segments: Sequence[SegmentSize]) -> int:
    total_s = sum(s.duration_s for s in segments)
    if total_s <= 0:
        return 0
    return round(sum(s.size_bytes for s in segments) * 8 / total_s)


def peak_bitrate(segments: Sequence[SegmentSize], target_duration: float) -> int:
    """RFC 8216 s4.1 peak segment bit rate; the whole playlist if it is shorter than a window."""
    low, high = 0.5 * target_duration, 1.5 * target_duration + 0.5
    peak = 0.0
    for start in range(len(segments)):
        bits = 0
        seconds = 0.0
        for seg in segments[start:]:
            bits += seg.size_bytes * 8
            seconds += seg.duration_s
            if seconds > high:
                break
            if seconds >= low and seconds > 0:
                peak = max(peak, bits / seconds)
    if peak == 0:
        return average_bitrate(segments)
    return round(peak)
