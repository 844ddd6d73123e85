"""Media for tests: generated sample videos (cached like every fixture clip) and an
assertion that an HLS output is valid."""

from __future__ import annotations

from pathlib import Path

from vod_testbed.backends.ladder import Ladder
from vod_testbed.fixtures.media import ClipSpec, cache_dir, materialize
from vod_testbed.fixtures.media.specs import h264
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

ROTATIONS = (0, 90, 180, 270)


def sample_video(
    duration_s: float = 2.0,
    size: tuple[int, int] = (640, 360),
    audio: bool = True,
    rotation: int = 0,
    rate: int = 30,
) -> Path:
    """An H.264/AAC MP4 of a moving test pattern (and a tone), generated once and cached in
    ``$VOD_FIXTURES_DIR`` or the per-user cache.

    Args:
        duration_s: length in seconds.
        size: stored width and height in pixels.
        audio: whether it has an audio track.
        rotation: display rotation in degrees (0, 90, 180, 270), as phones record it: the
            pixels stay ``size``, players turn them.
        rate: frames per second.

    Raises:
        ValueError: an argument out of range (the message names it).
    """
    width, height = size
    if not duration_s > 0:
        raise ValueError(f"duration_s must be positive, got {duration_s!r}")
    if not (width >= 16 and height >= 16):
        raise ValueError(f"size must be at least 16x16 pixels, got {size!r}")
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}, got {rotation!r}")
    if not 1 <= rate <= 120:
        raise ValueError(f"rate must be 1 to 120 frames per second, got {rate!r}")
    spec = ClipSpec(
        name=f"sample-{width}x{height}-{duration_s:g}s-{rate}fps"
        f"{'' if audio else '-silent'}{f'-rot{rotation}' if rotation else ''}",
        purpose="a sample video asked for by a test",
        size=(width, height),
        rate=rate,
        duration_s=duration_s,
        audio=audio,
        # A display orientation in the H.264 stream, as the fixture catalogue's rotated clip
        # has it: the way that works on every supported ffmpeg.
        video_flags=(
            *h264(),
            "-bsf:v",
            f"h264_metadata=display_orientation=insert:rotate={rotation}",
        )
        if rotation
        else h264(),
    )
    return materialize(spec, cache_dir())


def check_hls(
    uri: str | Path,
    storage: Storage,
    ladder: Ladder | None = None,
    source_duration_s: float | None = None,
) -> None:
    """Validate the HLS output whose master playlist is ``uri`` (``s3://`` or local).

    Raises:
        AssertionError: a check failed; the message lists every failed check.
    """
    report = validate_hls(
        uri, expected=ladder, source_duration_s=source_duration_s, storage=storage
    )
    if not report.ok:
        failures = "\n".join(
            f"  [{check.id}]{f' {check.rendition}:' if check.rendition else ''} {check.message}"
            for check in report.errors
        )
        raise AssertionError(f"{uri} is not valid HLS ({len(report.errors)} failed):\n{failures}")
