"""The codec-level settings of one output: its video box, H.264 rate control and GOP, and
its AAC audio, read into the ladder's terms (see :mod:`.parse` for the job around them).

Each function raises :class:`~vod_testbed.backends.mediaconvert.coverage.SettingsError`
with the JSON pointer of the setting it cannot honour, and reports approximations through
``warn(path, message)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from vod_testbed.backends.ladder import (
    VBV_INITIAL_FILL_PERCENT,
    AudioSpec,
    MissingAudio,
    RateControl,
    Rung,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert.codec_limits import aac_problem, h264_size_problem
from vod_testbed.backends.mediaconvert.coverage import (
    AAC_BITRATES,
    AUDIO_SELECTOR,
    CODING_MODE_CHANNELS,
    H264_PROFILES,
    SettingsError,
    check_supported,
)

Warn = Callable[[str, str], None]

SCALING = {"DEFAULT": UpscalePolicy.UPSCALE, "FIT_NO_UPSCALE": UpscalePolicy.FIT_NO_UPSCALE}
# MinIInterval left blank: "MediaConvert [uses] an optimal setting"; x264's own automatic
# minimum (a tenth of a 2 s GOP at 30 fps) stands in for it.
AUTO_MIN_I_INTERVAL = 6
# gopSizeUnits FRAMES is converted with the first of these rates that gives whole seconds.
_NOMINAL_FRAME_RATES = (30, 25, 24, 60, 50)


@dataclass(frozen=True)
class VideoBox:
    """An output's box and what its scalingBehavior means for the ladder."""

    width: int
    height: int
    upscale: UpscalePolicy


@dataclass(frozen=True)
class OutputAudio:
    """An output's AAC audio: its bitrate (per rung) and the format (per ladder)."""

    bitrate: int
    spec: AudioSpec


def video_box(output: Mapping[str, Any], path: str, *, h264: bool) -> VideoBox:
    """The output box and scaling policy of an H.264 output (or, ``h264=False``, a frame
    capture); its codec must be the one expected."""
    vpath = f"{path}/videoDescription"
    video = output.get("videoDescription")
    if video is None:
        raise SettingsError(path, "videoDescription is a required property")
    check_supported(video, "VideoDescription", vpath)
    for key in ("width", "height"):
        if key not in video:
            raise SettingsError(
                vpath, f"{key} is required by the emulator: the ladder needs an output box"
            )
        if h264 and video[key] % 2:
            raise SettingsError(f"{vpath}/{key}", "must be even for H.264 4:2:0 outputs")
    if h264:
        too_big = h264_size_problem(int(video["width"]), int(video["height"]))
        if too_big:
            raise SettingsError(vpath, too_big)
    codec_settings = video.get("codecSettings")
    if codec_settings is None:
        raise SettingsError(vpath, "codecSettings is a required property")
    check_supported(codec_settings, "VideoCodecSettings", f"{vpath}/codecSettings")
    expected = "H_264" if h264 else "FRAME_CAPTURE"
    if codec_settings.get("codec") != expected:
        raise SettingsError(
            f"{vpath}/codecSettings/codec",
            f"{codec_settings.get('codec')} is not supported here by the emulator "
            f"(expected {expected})",
        )
    scaling = video.get("scalingBehavior", "DEFAULT")
    if not h264 and scaling != "DEFAULT":
        raise SettingsError(
            f"{vpath}/scalingBehavior", "frame captures support only DEFAULT scaling"
        )
    return VideoBox(int(video["width"]), int(video["height"]), SCALING[scaling])


def h264_rung_fields(h264: Mapping[str, Any], path: str, warn: Warn) -> dict[str, Any]:
    """The :class:`~vod_testbed.backends.ladder.Rung` fields carried by H264Settings."""
    check_supported(h264, "H264Settings", path)
    qvbr = h264.get("qvbrSettings") or {}
    check_supported(qvbr, "H264QvbrSettings", f"{path}/qvbrSettings")
    if "rateControlMode" not in h264:
        raise SettingsError(
            path,
            "rateControlMode is required by the emulator (MediaConvert's default is "
            "not documented)",
        )
    mode = RateControl(h264["rateControlMode"])
    fields: dict[str, Any] = {
        "profile": H264_PROFILES[h264.get("codecProfile", "MAIN")],
        "rate_control": mode,
        "buffer_initial_fill_percent": int(
            h264.get("hrdBufferInitialFillPercentage", VBV_INITIAL_FILL_PERCENT)
        ),
    }
    _check_square_pixels(h264, path)
    bitrate, cap = h264.get("bitrate"), h264.get("maxBitrate")
    if mode is RateControl.QVBR:
        if cap is None:
            raise SettingsError(path, "maxBitrate is required when rateControlMode is QVBR")
        if bitrate is not None:
            warn(f"{path}/bitrate", "bitrate has no effect with QVBR; maxBitrate caps")
        fields["video_bitrate"], fields["peak_bitrate"] = _from_cap(cap)
        fields["buffer_bits"] = _buffer_or_default(h264, fields["video_bitrate"])
        if "qvbrQualityLevel" in qvbr:
            fields["qvbr_quality"] = int(qvbr["qvbrQualityLevel"])
        if qvbr.get("qvbrQualityLevelFineTune"):
            warn(
                f"{path}/qvbrSettings/qvbrQualityLevelFineTune",
                "fine tuning is rounded away; the quality level alone is used",
            )
        return fields
    if qvbr:
        raise SettingsError(f"{path}/qvbrSettings", "only applies when rateControlMode is QVBR")
    if bitrate is None:
        raise SettingsError(path, f"bitrate is required when rateControlMode is {mode}")
    fields["video_bitrate"] = int(bitrate)
    fields["buffer_bits"] = _buffer_or_default(h264, int(bitrate))
    if mode is RateControl.VBR:
        if cap is None:
            warn(
                path,
                "VBR without maxBitrate: the emulator caps peaks at 1.07 x bitrate",
            )
        elif cap < bitrate:
            raise SettingsError(f"{path}/maxBitrate", "must not be below bitrate")
        else:
            fields["peak_bitrate"] = _peak_or_default(int(bitrate), int(cap))
    elif cap is not None:
        warn(f"{path}/maxBitrate", "maxBitrate has no effect with CBR")
    return fields


def _buffer_or_default(h264: Mapping[str, Any], video_bitrate: int) -> int | None:
    """``buffer_bits`` for an hrdBufferSize: None when absent or the ladder's default."""
    size = h264.get("hrdBufferSize")
    if not size or Rung("x", 2, 2, video_bitrate).buffer_size == size:
        return None
    return int(size)


def _check_square_pixels(h264: Mapping[str, Any], path: str) -> None:
    if h264.get("parControl") != "SPECIFIED":
        return
    ratio = (h264.get("parNumerator"), h264.get("parDenominator"))
    if None in ratio:
        raise SettingsError(
            path, "parNumerator and parDenominator are required when parControl is SPECIFIED"
        )
    if ratio[0] != ratio[1]:
        raise SettingsError(
            f"{path}/parNumerator",
            f"a {ratio[0]}:{ratio[1]} pixel aspect ratio is not supported by the emulator "
            "(outputs have square pixels, 1:1)",
        )


def h264_group_fields(
    h264: Mapping[str, Any], path: str, segment_seconds: int, warn: Warn
) -> dict[str, Any]:
    """The :class:`~vod_testbed.backends.ladder.Ladder` fields an H.264 output carries,
    which every output of the HLS group must share: GOP, scene-cut IDRs, frame rate."""
    return {
        "gop_seconds": gop_seconds(h264, path, segment_seconds, warn),
        "scene_cut_min_frames": _scene_cut_min_frames(h264),
        "frame_rate": _frame_rate(h264, path),
    }


def _scene_cut_min_frames(h264: Mapping[str, Any]) -> int | None:
    """None for IDRs only on the GOP grid; else the fewest frames from one IDR to a
    scene-cut IDR. Scene change detection is "enabled by default" (service model), and
    MinIInterval 0 makes MediaConvert "only create IDR-frames at the start of your output's
    cadence-driven GOP"."""
    if h264.get("sceneChangeDetect", "ENABLED") == "DISABLED":
        return None
    interval = h264.get("minIInterval")
    if interval == 0:
        return None
    return AUTO_MIN_I_INTERVAL if interval is None else int(interval)


def _frame_rate(h264: Mapping[str, Any], path: str) -> Fraction | None:
    if h264.get("framerateControl", "INITIALIZE_FROM_SOURCE") != "SPECIFIED":
        return None
    numerator, denominator = h264.get("framerateNumerator"), h264.get("framerateDenominator")
    if not numerator or not denominator:
        raise SettingsError(
            path,
            "framerateNumerator and framerateDenominator are required when framerateControl "
            "is SPECIFIED",
        )
    return Fraction(int(numerator), int(denominator))


def gop_seconds(h264: Mapping[str, Any], path: str, segment_seconds: int, warn: Warn) -> int:
    """The whole-second GOP an output asks for; it must divide the segment length."""
    units = h264.get("gopSizeUnits", "AUTO" if "gopSize" not in h264 else "FRAMES")
    size = h264.get("gopSize")
    if units == "AUTO":
        if size:
            raise SettingsError(f"{path}/gopSize", "leave gopSize blank with gopSizeUnits AUTO")
        return 2 if segment_seconds % 2 == 0 else 1
    if not size or size < 0:
        raise SettingsError(
            f"{path}/gopSize", f"a positive gopSize is required with gopSizeUnits {units}"
        )
    if units == "SECONDS":
        if not float(size).is_integer():
            raise SettingsError(f"{path}/gopSize", "the ladder keeps GOPs of whole seconds")
        seconds = int(size)
    else:
        for rate in _NOMINAL_FRAME_RATES:
            if float(size) % rate == 0 and segment_seconds % (int(size) // rate) == 0:
                seconds = int(size) // rate
                warn(
                    f"{path}/gopSize",
                    f"{int(size)} frames emulated as keyframes every {seconds} s "
                    f"(exact for {rate} fps sources)",
                )
                break
        else:
            raise SettingsError(
                f"{path}/gopSize",
                f"{size} frames is not a whole number of seconds that divides segmentLength "
                f"at 30, 25, 24, 60 or 50 fps; use gopSizeUnits SECONDS",
            )
    if segment_seconds % seconds:
        raise SettingsError(
            f"{path}/gopSize",
            f"a {seconds} s GOP must divide segmentLength ({segment_seconds} s)",
        )
    return seconds


def output_audio(
    output: Mapping[str, Any], path: str, selectors: tuple[str, ...]
) -> OutputAudio | None:
    """The output's AAC audio; None for a video-only output. ``selectors`` are the input's
    audio selector names."""
    descriptions = output.get("audioDescriptions") or []
    if not descriptions:
        return None
    if len(descriptions) > 1:
        raise SettingsError(f"{path}/audioDescriptions/1", "only one audio description per output")
    apath = f"{path}/audioDescriptions/0"
    description = descriptions[0]
    check_supported(description, "AudioDescription", apath)
    source = description.get("audioSourceName", AUDIO_SELECTOR)
    if source not in selectors:
        raise SettingsError(
            f"{apath}/audioSourceName",
            f"{source!r} does not name an audio selector of the input",
        )
    codec_settings = description.get("codecSettings")
    if codec_settings is None:
        raise SettingsError(apath, "codecSettings is a required property")
    check_supported(codec_settings, "AudioCodecSettings", f"{apath}/codecSettings")
    aac = codec_settings.get("aacSettings") or {}
    aac_path = f"{apath}/codecSettings/aacSettings"
    check_supported(aac, "AacSettings", aac_path)
    if "bitrate" not in aac:
        raise SettingsError(aac_path, "bitrate is required by the emulator")
    bitrate = aac["bitrate"]
    if bitrate not in AAC_BITRATES:
        raise SettingsError(f"{aac_path}/bitrate", f"{bitrate} is not a valid AAC bitrate")
    profile = aac.get("codecProfile", "LC")
    mode = aac.get("codingMode", "CODING_MODE_2_0")
    sample_rate = int(aac.get("sampleRate", 48_000))
    problem = aac_problem(profile, mode, sample_rate, int(bitrate))
    if problem:
        raise SettingsError(f"{aac_path}/bitrate", problem)
    spec = AudioSpec(
        codec="aac",
        profile=profile,
        channels=CODING_MODE_CHANNELS[mode],
        sample_rate=sample_rate,
        # On AWS a job whose outputs take audio from an input without any fails (1021).
        when_absent=MissingAudio.FAIL,
    )
    return OutputAudio(int(bitrate), spec)


def _peak_or_default(bitrate: int, cap: int) -> int | None:
    """``peak_bitrate`` for a VBR cap: None when it is the ladder's default cap."""
    return None if Rung("x", 2, 2, bitrate).max_bitrate == cap else cap


def _from_cap(cap: int) -> tuple[int, int | None]:
    """(video_bitrate, peak_bitrate) of a QVBR rung whose cap is ``cap``.

    QVBR carries only the cap. The ladder's QVBR rungs cap at 1.07 x video_bitrate unless
    peak_bitrate says otherwise, so the nominal bitrate is recovered from the cap.
    """
    nominal = round(cap / 1.07)
    for candidate in (nominal, nominal - 1, nominal + 1):
        if Rung("x", 2, 2, candidate, rate_control=RateControl.QVBR).max_bitrate == cap:
            return candidate, None
    return nominal, cap


# Ladder field -> the H264Settings member a difference is reported at.
_SHARED_MEMBERS = {
    "gop_seconds": "gopSize",
    "scene_cut_min_frames": "sceneChangeDetect",
    "frame_rate": "framerateControl",
}


def same_in_every_output(first: dict[str, Any], here: dict[str, Any], path: str) -> None:
    """Refuse outputs of one HLS group that disagree on GOP, scene cuts or frame rate: the
    renditions of one ladder share one keyframe grid and one rate."""
    for key, member in _SHARED_MEMBERS.items():
        if here[key] != first[key]:
            raise SettingsError(
                f"{path}/{member}",
                f"every output of the HLS group needs the same {member} ({first[key]} in "
                f"output 0, {here[key]} here)",
            )
