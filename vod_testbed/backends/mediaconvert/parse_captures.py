"""A frame-capture output (the thumbnails) read into the ladder's
:class:`~vod_testbed.backends.ladder.ThumbnailSpec` (see :mod:`.parse` for the job around it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vod_testbed.backends.ladder import ThumbnailSpec
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported
from vod_testbed.backends.mediaconvert.parse_codecs import video_box


def frame_capture_spec(output: Mapping[str, Any], opath: str) -> ThumbnailSpec:
    """The thumbnails a FRAME_CAPTURE output asks for.

    Raises:
        SettingsError: a setting the emulator cannot honour, named by its pointer.
    """
    check_supported(output, "Output", opath)
    check_supported(output["containerSettings"], "ContainerSettings", f"{opath}/containerSettings")
    for key in ("audioDescriptions", "outputSettings"):
        if key in output:
            raise SettingsError(f"{opath}/{key}", "does not apply to frame captures")
    video = video_box(output, opath, h264=False)
    capture = output["videoDescription"]["codecSettings"].get("frameCaptureSettings") or {}
    cpath = f"{opath}/videoDescription/codecSettings/frameCaptureSettings"
    check_supported(capture, "FrameCaptureSettings", cpath)
    numerator = capture.get("framerateNumerator")
    denominator = capture.get("framerateDenominator")
    if not numerator or not denominator:
        raise SettingsError(
            cpath, "framerateNumerator and framerateDenominator are required by the emulator"
        )
    if denominator % numerator:
        raise SettingsError(
            cpath,
            f"one capture every {denominator}/{numerator} s: the emulator captures at "
            "whole-second intervals only",
        )
    defaults = ThumbnailSpec()
    spec = ThumbnailSpec(
        interval_s=denominator // numerator,
        width=video.width,
        height=video.height,
        quality=int(capture.get("quality", defaults.quality)),
        name_modifier=output.get("nameModifier", ""),
        max_captures=int(capture.get("maxCaptures", defaults.max_captures)),
    )
    if "$" in spec.name_modifier or "/" in spec.name_modifier:
        raise SettingsError(f"{opath}/nameModifier", "format identifiers and '/' are not supported")
    return spec
