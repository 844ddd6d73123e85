"""Checking what ffmpeg wrote for a file group and measuring it for the job's outputs.

As for HLS (:mod:`.outputs`), ffmpeg's exit code is not proof: every file must exist, be
readable media and last as long as the source (frame captures: at least one image), or
the job fails and nothing is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av

from vod_testbed.backends.ffmpeg.compile import FileGroupPlan, FileTarget
from vod_testbed.backends.jobmodel.ladder import is_caption_output
from vod_testbed.common import errors


@dataclass(frozen=True)
class WrittenOutput:
    """One output of a file group as written: its files (a frame capture's images in
    order) and what was measured from them."""

    target: FileTarget
    files: tuple[Path, ...]
    duration_s: float
    width: int = 0
    height: int = 0
    bitrate: int = 0


def _measure(path: Path) -> tuple[float, int, int, int]:
    """Duration, picture size and video bit rate (the COMPLETE event's averageBitrate: the
    video stream's own, as MediaConvert's user guide defines it) of a file the job wrote."""
    try:
        with av.open(str(path)) as container:
            duration = (container.duration or 0) / av.time_base
            width = height = bitrate = 0
            if container.streams.video:
                stream = container.streams.video[0]
                width, height = stream.codec_context.width, stream.codec_context.height
                bitrate = int(stream.bit_rate or 0)
            return duration, width, height, bitrate
    except av.error.FFmpegError as exc:
        raise errors.TranscodeError(
            errors.UNKNOWN_ERROR, f"The encoder wrote an unreadable file: {path.name}."
        ) from exc


def read_file_group(
    plan: FileGroupPlan, source_duration_s: float, tolerance_s: float
) -> list[WrittenOutput]:
    """Every output of the group, checked. Raises TranscodeError when one is missing,
    unreadable or shorter than the source."""
    written = []
    for target in plan.targets:
        if target.output.is_frame_capture:
            pattern = target.path.name.replace("%07d", "[0-9]" * 7)
            images = tuple(sorted(target.path.parent.glob(pattern)))
            if not images:
                raise errors.TranscodeError(
                    errors.UNKNOWN_ERROR, "The encoder wrote no frame capture."
                )
            geometry = target.geometry
            assert geometry is not None
            written.append(
                WrittenOutput(
                    target,
                    images,
                    source_duration_s,
                    geometry.box_width,
                    geometry.box_height,
                )
            )
            continue
        if not target.path.is_file() or target.path.stat().st_size == 0:
            raise errors.TranscodeError(
                errors.UNKNOWN_ERROR, f"The encoder wrote no {target.path.name}."
            )
        if is_caption_output(target.output):
            # A sidecar caption file (model_captions.check_sidecar read it back): it spans
            # the video.
            written.append(WrittenOutput(target, (target.path,), source_duration_s))
            continue
        duration, width, height, bitrate = _measure(target.path)
        if source_duration_s - duration > tolerance_s:
            raise errors.TranscodeError(
                errors.INPUT_ERROR,
                f"The input is truncated or corrupt: it declares {source_duration_s:.2f} s but "
                f"only {duration:.2f} s could be decoded ({target.path.name}).",
            )
        written.append(WrittenOutput(target, (target.path,), duration, width, height, bitrate))
    return written
