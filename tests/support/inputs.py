"""Small sources and settings shared by the input and audio tests: videos written with
ffmpeg (320x180 at 30 fps, a frame counter burnt in by ``testsrc``, each audio track a sine of
its own frequency, so a test can tell which track an output carries), a one-colour picture
for watermarks, a pixel's colour, and the HLS output AWS's example jobs write.
"""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vod_testbed.backends.ffmpeg import binary


def write_source(
    path: Path,
    *,
    duration_s: float = 2.0,
    tracks: Sequence[tuple[int, str | None, int]] = ((440, None, 2),),
    timecode: str | None = None,
    size: str = "320x180",
    rate: int = 30,
    volume_db: float = 0.0,
) -> Path:
    """A video with one audio track per ``(frequency, language, channels)``."""
    argv = [
        binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={duration_s}",
    ]  # fmt: skip
    for frequency, _, _ in tracks:
        argv += ["-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={duration_s}"]
    argv += ["-map", "0:v"]
    for index, (_, language, channels) in enumerate(tracks):
        argv += ["-map", f"{index + 1}:a", f"-ac:a:{index}", str(channels)]
        if language:
            argv += [f"-metadata:s:a:{index}", f"language={language}"]
    if volume_db:
        argv += ["-af", f"volume={volume_db}dB"]
    argv += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(rate)]
    if tracks:
        argv += ["-c:a", "aac", "-b:a", "96k"]
    if timecode:
        argv += ["-timecode", timecode]
    argv.append(str(path))
    subprocess.run(argv, check=True, timeout=60)
    return path


def image(path: Path, colour: str = "red") -> Path:
    argv = [
        binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"color={colour}:size=32x32", "-frames:v", "1", str(path),
    ]  # fmt: skip
    subprocess.run(argv, check=True, timeout=30)
    return path


def pixel(video: Path, at_s: float, x: int, y: int) -> tuple[int, int, int]:
    """The colour at (x, y) of the frame ``at_s`` seconds after the video's first."""
    argv = [
        binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error",
        "-i", str(video), "-ss", str(at_s), "-frames:v", "1", "-vf", f"crop=2:2:{x}:{y}",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
    ]  # fmt: skip
    data = subprocess.run(argv, check=True, capture_output=True, timeout=30).stdout
    return data[0], data[1], data[2]


def dominant_frequency(media: Path, start_s: float = 0.0, duration_s: float = 1.0) -> float:
    """The frequency of a pure tone in ``duration_s`` seconds of the first audio track from
    ``start_s``, from its zero crossings in one channel."""
    raw = subprocess.run(
        [binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", str(media),
         "-ss", str(start_s), "-t", str(duration_s),
         "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "s16le", "-"],
        check=True, capture_output=True, timeout=60,
    ).stdout  # fmt: skip
    samples = [int.from_bytes(raw[i : i + 2], "little", signed=True) for i in range(0, len(raw), 2)]
    crossings = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    return crossings * 48_000 / len(samples)


def h264_output(modifier: str, width: int = 320, height: int = 180) -> dict[str, Any]:
    """An HLS output as AWS's example jobs write one (H.264 QVBR, AAC stereo 96 kb/s)."""
    return {
        "NameModifier": modifier,
        "ContainerSettings": {"Container": "M3U8"},
        "VideoDescription": {
            "Width": width,
            "Height": height,
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": {
                    "RateControlMode": "QVBR",
                    "MaxBitrate": 600_000,
                    "QvbrSettings": {"QvbrQualityLevel": 7},
                    "GopSize": 2,
                    "GopSizeUnits": "SECONDS",
                    "SceneChangeDetect": "DISABLED",
                },
            },
        },
        "AudioDescriptions": [
            {
                "AudioSourceName": "Audio Selector 1",
                "CodecSettings": {
                    "Codec": "AAC",
                    "AacSettings": {
                        "Bitrate": 96_000,
                        "CodingMode": "CODING_MODE_2_0",
                        "SampleRate": 48_000,
                    },
                },
            }
        ],
    }


def hls_group(destination: str, *outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "Name": "Apple HLS",
        "OutputGroupSettings": {
            "Type": "HLS_GROUP_SETTINGS",
            "HlsGroupSettings": {
                "Destination": destination,
                "SegmentLength": 2,
                "MinSegmentLength": 0,
            },
        },
        "Outputs": list(outputs),
    }
