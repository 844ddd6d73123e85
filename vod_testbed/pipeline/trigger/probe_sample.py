"""Checking that an uploaded object is a video without downloading all of it.

The first and last ``sample_bytes`` of the object are fetched with ranged GETs and written
at their own offsets into a sparse local file of the object's full size. Both MP4 layouts
probe correctly from that: "faststart" files keep their index (``moov``) at the head,
camera files at the tail, and the first frames follow the head. The hole in the middle
costs no disk space, which matters in a Lambda function's ``/tmp``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from vod_testbed.media.probe import MediaInfo, probe

CHUNK = 1024 * 1024


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
) -> MediaInfo:
    """Probe ``s3://bucket/key`` from its head and tail (see the module docstring).

    Raises:
        TranscodeError: 1010 (not media, no video stream) or 1030 (undecodable video).
        botocore.exceptions.ClientError: the object cannot be read (``PreconditionFailed``:
            it is no longer at the ETag ``if_match``).
    """
    suffix = Path(key).suffix[:16]
    dest = work_dir / f"sample{suffix}"
    path = fetch_sample(client, bucket, key, size, sample_bytes, dest, if_match)
    try:
        return probe(path)
    finally:
        path.unlink(missing_ok=True)
