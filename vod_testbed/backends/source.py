"""What a job needs to know about its source, decided once for both backends.

**Probing an S3 object without downloading all of it.** The first and last
``sample_bytes`` of the object are fetched with ranged GETs and written at their own
offsets into a sparse local file of the object's full size. Both MP4 layouts probe
correctly from that: "faststart" files keep their index (``moov``) at the head, camera
files at the tail, and the first frames follow the head. The hole in the middle costs no
disk space, which matters in a Lambda function's ``/tmp``. The upload trigger probes
uploads this way, and so does the MediaConvert backend before it renders a job.

**Rotation.** MediaConvert's ``Rotate: AUTO`` turns the picture only for the inputs its
user guide names ("Input file requirements for video rotation"): MP4 or MOV, progressive,
4:2:0 or 4:2:2 chroma, metadata of 90, 180 or 270 degrees (within one degree). A fixed
``Rotate`` (``DEGREES_90``, ...) turns the stored picture of any progressive 4:2:0 or 4:2:2
video, ignoring its metadata. The FFmpeg backend applies the same rules, so a rotated source
gives the same renditions everywhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from vod_testbed.backends.ladder import Ladder, MissingAudio, RotatePolicy
from vod_testbed.common import errors
from vod_testbed.media.probe import (
    MediaInfo,
    VideoInfo,
    follow_source_rate,
    output_frame_rate,
    probe,
)

CHUNK = 1024 * 1024
# Bytes read from each end of an object: enough for an MP4 index and the first frames.
DEFAULT_SAMPLE_BYTES = 16 * 2**20

# PyAV's name for the ISO BMFF demuxer, which reads both .mp4 and .mov.
_MP4_MOV_DEMUXER = "mov,mp4,m4a,3gp,3g2,mj2"
# Pixel formats with 4:2:0 or 4:2:2 chroma, by prefix (yuv420p10le, yuvj422p ...).
_ROTATABLE_CHROMA = ("yuv420", "yuvj420", "nv12", "nv21", "p010", "yuv422", "yuvj422", "nv16")
_RIGHT_ANGLES = (90, 180, 270)


def _copy_range(
    client: Any, bucket: str, key: str, start: int, end: int, out: Any, if_match: str | None
) -> None:
    conditions = {"IfMatch": if_match} if if_match else {}
    response = client.get_object(Bucket=bucket, Key=key, Range=f"bytes={start}-{end}", **conditions)
    out.seek(start)
    shutil.copyfileobj(response["Body"], out, CHUNK)


def fetch_sample(
    client: Any,
    bucket: str,
    key: str,
    size: int,
    sample_bytes: int,
    dest: Path,
    if_match: str | None = None,
) -> Path:
    """Write the head and tail of ``s3://bucket/key`` (``size`` bytes) into ``dest``; the
    whole object when it is no larger than both samples together. With ``if_match`` (an
    ETag) every read is of that version, or fails with ``PreconditionFailed``."""
    with dest.open("wb") as out:
        if size <= 2 * sample_bytes:
            if size > 0:
                _copy_range(client, bucket, key, 0, size - 1, out, if_match)
            return dest
        out.truncate(size)
        _copy_range(client, bucket, key, 0, sample_bytes - 1, out, if_match)
        _copy_range(client, bucket, key, size - sample_bytes, size - 1, out, if_match)
    return dest


def probe_object(
    client: Any,
    bucket: str,
    key: str,
    size: int,
    sample_bytes: int,
    work_dir: Path,
    if_match: str | None = None,
    *,
    audio_only: bool = False,
) -> MediaInfo:
    """Probe ``s3://bucket/key`` from its head and tail (see the module docstring);
    ``audio_only`` accepts sound without picture (:func:`~vod_testbed.media.probe.probe`).

    Raises:
        TranscodeError: 1010 (not media, no video stream) or 1030 (undecodable video).
        botocore.exceptions.ClientError: the object cannot be read (``PreconditionFailed``:
            it is no longer at the ETag ``if_match``).
    """
    suffix = Path(key).suffix[:16]
    dest = work_dir / f"sample{suffix}"
    path = fetch_sample(client, bucket, key, size, sample_bytes, dest, if_match)
    try:
        return probe(path, audio_only=audio_only)
    finally:
        path.unlink(missing_ok=True)


def auto_rotation(media: MediaInfo) -> int:
    """The clockwise rotation ``Rotate: AUTO`` applies to ``media``: its metadata's when
    MediaConvert would honour it, else 0."""
    video = media.video
    if video is None or not rotation_supported(video) or media.format_name != _MP4_MOV_DEMUXER:
        return 0
    for angle in _RIGHT_ANGLES:
        # Metadata within one degree of a right angle is rounded to it.
        if abs(video.rotation % 360 - angle) <= 1:
            return angle
    return 0


def rotation_supported(video: VideoInfo) -> bool:
    """Whether MediaConvert can rotate this video at all: progressive, 4:2:0 or 4:2:2."""
    return not video.interlaced and video.pix_fmt.startswith(_ROTATABLE_CHROMA)


def applied_rotation(media: MediaInfo, policy: RotatePolicy) -> int:
    """The clockwise rotation a job with ``policy`` gives ``media`` (0, 90, 180 or 270). A
    fixed rotation turns the stored picture, whatever its metadata, of any video
    MediaConvert can rotate at all (progressive, 4:2:0 or 4:2:2)."""
    degrees = policy.fixed_degrees
    if degrees is None:
        return auto_rotation(media)
    if degrees and media.video is not None and rotation_supported(media.video):
        return degrees
    return 0


def display_size(media: MediaInfo, policy: RotatePolicy) -> tuple[int, int]:
    """The source's size as the renditions show it: pixel aspect applied, rotation as
    ``policy`` applies it."""
    video = media.video
    if video is None:
        raise ValueError("the source has no video")
    width, height = video.picture_size
    if applied_rotation(media, policy) in (90, 270):
        return height, width
    return width, height


def check_audio(ladder: Ladder, media: MediaInfo) -> None:
    """Refuse a source without audio when the ladder's audio is required.

    Raises:
        TranscodeError: 1021, MediaConvert's "Audio Error" (no audio stream in the input).
    """
    audio = ladder.audio
    if audio is not None and media.audio is None and audio.when_absent is MissingAudio.FAIL:
        raise errors.TranscodeError(
            errors.AUDIO_ERROR,
            "Audio Error: the outputs take audio from the input, and the input has no audio "
            "stream. Remove the outputs' audio descriptions for a video-only job.",
        )


def frame_rate_warning(ladder: Ladder, media: MediaInfo) -> str | None:
    """A note when the ladder follows the source and the source runs faster than 60 fps:
    the renditions are encoded at half (or a quarter ...) of its rate, where MediaConvert's
    "follow source" would keep it."""
    if ladder.frame_rate is not None or media.video is None:
        return None
    source_rate = follow_source_rate(media.video)
    encoded = output_frame_rate(media.video)
    if encoded == source_rate:
        return None
    return (
        f"The source runs at {float(source_rate):g} fps, above 60: the renditions are "
        f"encoded at {float(encoded):g} fps."
    )
