"""A file group's frame capture written by an HLS group's ffmpeg process, as one more
branch of the picture it already decodes (the thumbnail branch of a ladder job), instead
of by a process of its own that would decode the whole input again; docs/ARCHITECTURE.md,
"The job model".

Only where the images come out the same: one frame capture in the file group, the same
video preprocessors as the HLS group's, no burnt-in captions, a whole-second interval (the
ladder's thumbnail rule), and a picture no larger than the HLS group's largest (the ladder
scales a larger input down once before it splits the picture).
"""

from __future__ import annotations

from dataclasses import replace

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.command import EncodePlan
from vod_testbed.backends.ffmpeg.compile import FileGroupPlan
from vod_testbed.backends.jobmodel.codecs import FrameCapture
from vod_testbed.backends.ladder import ThumbnailSpec


def with_capture(plan: EncodePlan, files: FileGroupPlan) -> EncodePlan | None:
    """``plan`` also writing the one frame capture of ``files`` where the file group's own
    command would write it; None when that branch would not give the same images."""
    if plan.thumbnail is not None or plan.burn_in is not None or not plan.renditions:
        return None
    if len(files.targets) != 1:
        return None
    target = files.targets[0]
    output, geometry = target.output, target.geometry
    if output.video is None or geometry is None or not isinstance(output.video.codec, FrameCapture):
        return None
    capture = output.video.codec
    largest = max(plan.renditions, key=lambda r: r.geometry.picture_width)
    if (
        capture.interval_s.denominator != 1
        or output.video.preprocessors != plan.preprocessors
        or geometry.picture_width > largest.geometry.picture_width
        or geometry.picture_height > largest.geometry.picture_height
        or files.work / naming.thumbnail_pattern(files.base, output.name_modifier) != target.path
    ):
        return None
    spec = ThumbnailSpec(
        interval_s=int(capture.interval_s),
        width=geometry.box_width,
        height=geometry.box_height,
        quality=capture.quality,
        name_modifier=output.name_modifier,
        max_captures=capture.max_captures,
    )
    return replace(
        plan,
        ladder=replace(plan.ladder, thumbnails=spec),
        thumbnail=geometry,
        thumbnail_dir=files.work,
        thumbnail_base=files.base,
    )
