"""A frame-capture output (JPEG images) read into the job model (see :mod:`.parse` for the
job around it)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from vod_testbed.backends.jobmodel.codecs import FrameCapture
from vod_testbed.backends.jobmodel.model import Output, Raw, VideoDescription
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported
from vod_testbed.backends.mediaconvert.parse_codecs import video_box

# FrameCaptureSettings left blank: "MediaConvert ... captures one frame per second" at
# quality 80 (service model: framerate 1/1, quality "default 80").
DEFAULT_CAPTURE = FrameCapture()


def frame_capture_output(output: Mapping[str, Any], opath: str) -> Output:
    """The frame capture an output of a file group asks for.

    Raises:
        SettingsError: a setting the emulator cannot honour, named by its pointer.
    """
    check_supported(output, "Output", opath)
    check_supported(output["containerSettings"], "ContainerSettings", f"{opath}/containerSettings")
    for key in ("audioDescriptions", "outputSettings"):
        if key in output:
            raise SettingsError(f"{opath}/{key}", "does not apply to frame captures")
    video = video_box(output, opath, codecs=("FRAME_CAPTURE",), box_required=False)
    capture = output["videoDescription"]["codecSettings"].get("frameCaptureSettings") or {}
    cpath = f"{opath}/videoDescription/codecSettings/frameCaptureSettings"
    check_supported(capture, "FrameCaptureSettings", cpath)
    numerator = int(capture.get("framerateNumerator", 1))
    denominator = int(capture.get("framerateDenominator", 1))
    if not numerator or not denominator:
        raise SettingsError(cpath, "framerateNumerator and framerateDenominator must be positive")
    modifier = output.get("nameModifier", "")
    if "$" in modifier or "/" in modifier:
        raise SettingsError(f"{opath}/nameModifier", "format identifiers and '/' are not supported")
    codec = FrameCapture(
        interval_s=Fraction(denominator, numerator),
        max_captures=int(capture.get("maxCaptures", DEFAULT_CAPTURE.max_captures)),
        quality=int(capture.get("quality", DEFAULT_CAPTURE.quality)),
    )
    return Output(
        Raw(),
        modifier,
        extension=output.get("extension"),
        video=VideoDescription(codec, video.width or None, video.height or None),
    )
