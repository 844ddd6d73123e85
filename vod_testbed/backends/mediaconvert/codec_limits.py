"""The codec tables MediaConvert checks a job against, for the codecs the ladder uses.

Both the settings parser (so the emulator refuses what AWS refuses) and the renderer (so the
MediaConvert backend refuses a ladder before any API call) read them here.

* **AAC**: profile x coding mode x sample rate limits the bitrate ("AAC output reference
  tables", CBR, in the MediaConvert user guide). The guide lists each allowed bitrate; every
  list is the service model's bitrate set between a minimum and a maximum, so the table keeps
  the two ends. The LC 2.0 44.1 kHz row starts at 64000, as the guide's own row does. The
  LC 2.0 rows for 32, 48, 88.2 and 96 kHz are cut short in the guide's rendering and are
  completed from MediaLive's table of the same encoder ("Supported sampling rate and bitrate
  for AAC output"), whose every other row agrees with MediaConvert's (see
  ``emulator/COVERAGE.md``).
* **H.264**: "Maximum supported output resolutions": AVC outputs up to 4096x2160 or
  2160x4096.
"""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage import AAC_BITRATES

# (profile, coding mode, sample rate in Hz) -> (lowest, highest) CBR bitrate in bits/s.
_AAC_CBR_RANGES: dict[tuple[str, str, int], tuple[int, int]] = {
    ("LC", "CODING_MODE_1_0", 8000): (8000, 14000),
    ("LC", "CODING_MODE_1_0", 12000): (8000, 14000),
    ("LC", "CODING_MODE_1_0", 16000): (8000, 28000),
    ("LC", "CODING_MODE_1_0", 22050): (24000, 28000),
    ("LC", "CODING_MODE_1_0", 24000): (24000, 28000),
    ("LC", "CODING_MODE_1_0", 32000): (32000, 192000),
    ("LC", "CODING_MODE_1_0", 44100): (56000, 256000),
    ("LC", "CODING_MODE_1_0", 48000): (56000, 288000),
    ("LC", "CODING_MODE_1_0", 88200): (288000, 288000),
    ("LC", "CODING_MODE_1_0", 96000): (128000, 288000),
    ("LC", "CODING_MODE_2_0", 8000): (16000, 20000),
    ("LC", "CODING_MODE_2_0", 12000): (16000, 20000),
    ("LC", "CODING_MODE_2_0", 16000): (16000, 32000),
    ("LC", "CODING_MODE_2_0", 22050): (32000, 32000),
    ("LC", "CODING_MODE_2_0", 24000): (32000, 32000),
    ("LC", "CODING_MODE_2_0", 32000): (40000, 384000),
    ("LC", "CODING_MODE_2_0", 44100): (64000, 512000),
    ("LC", "CODING_MODE_2_0", 48000): (64000, 576000),
    ("LC", "CODING_MODE_2_0", 88200): (576000, 576000),
    ("LC", "CODING_MODE_2_0", 96000): (256000, 576000),
}

H264_MAX_SIZE = (4096, 2160)
_CODING_MODE_NAMES = {"CODING_MODE_1_0": "1.0", "CODING_MODE_2_0": "2.0"}


def aac_bitrates(profile: str, coding_mode: str, sample_rate: int) -> tuple[int, ...]:
    """The CBR bitrates MediaConvert accepts for this AAC profile, mode and sample rate
    (empty when the combination itself is not supported)."""
    low, high = _AAC_CBR_RANGES.get((profile, coding_mode, sample_rate), (1, 0))
    return tuple(sorted(b for b in AAC_BITRATES if low <= b <= high))


def aac_problem(profile: str, coding_mode: str, sample_rate: int, bitrate: int) -> str | None:
    """Why MediaConvert refuses this AAC bitrate, or None when it accepts it."""
    allowed = aac_bitrates(profile, coding_mode, sample_rate)
    mode = _CODING_MODE_NAMES.get(coding_mode, coding_mode)
    if not allowed:
        return f"AAC {profile} {mode} does not support a sample rate of {sample_rate} Hz"
    if bitrate in allowed:
        return None
    span = f"{allowed[0]}" if len(allowed) == 1 else f"{allowed[0]} to {allowed[-1]}"
    return (
        f"{bitrate} is not a valid bitrate for AAC {profile} {mode} at {sample_rate} Hz; "
        f"valid bitrates are {span}"
    )


def h264_size_problem(width: int, height: int) -> str | None:
    """Why MediaConvert refuses an H.264 output of this size, or None."""
    long_side, short_side = max(H264_MAX_SIZE), min(H264_MAX_SIZE)
    if max(width, height) <= long_side and min(width, height) <= short_side:
        return None
    return (
        f"{width}x{height} exceeds the maximum AVC (H.264) output resolution of "
        f"{long_side}x{short_side} or {short_side}x{long_side}"
    )
