"""What ffmpeg's stderr says: why a run failed, and how much damaged input it concealed."""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable

from vod_testbed.common import errors

# Decoder complaints about damaged input that ffmpeg conceals and carries on from.
DECODE_DAMAGE = re.compile(
    r"error while decoding|concealing|corrupt|invalid nal|non-existing pps|decode_slice_header",
    re.IGNORECASE,
)


def stderr_tail(lines: Iterable[str], count: int = 20) -> list[str]:
    """The last ``count`` non-blank lines, stripped."""
    return [line.strip() for line in collections.deque(lines, maxlen=count) if line.strip()]


def count_concealed_errors(lines: Iterable[str]) -> int:
    """How many lines report damaged input that the decoder concealed."""
    return sum(1 for line in lines if DECODE_DAMAGE.search(line))


def classify_failure(stderr_tail: list[str]) -> errors.TranscodeError:
    """The MediaConvert-coded error a failed ffmpeg run stands for, from its last lines."""
    text = " ".join(stderr_tail)
    lowered = text.lower()
    detail = "; ".join(stderr_tail[-3:]) or "no diagnostics"
    if "no space left" in lowered:
        return errors.TranscodeError(errors.DISK_FULL, f"The work disk is full: {detail}")
    if "invalid data found" in lowered or "moov atom not found" in lowered:
        return errors.TranscodeError(errors.INPUT_ERROR, f"The input cannot be read: {detail}")
    if "decoder" in lowered and ("not found" in lowered or "unsupported" in lowered):
        return errors.TranscodeError(errors.UNSUPPORTED_CODEC, f"Unsupported input codec: {detail}")
    return errors.TranscodeError(errors.UNKNOWN_ERROR, f"The encoder failed: {detail}")
