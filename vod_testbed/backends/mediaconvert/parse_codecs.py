"""The video settings of one output: its box, H.264/H.265 rate control, GOP and frame
rate, and its preprocessors, read into the job model's codecs (and the ladder's terms they
map onto); see :mod:`.parse` for the job around them, :mod:`.parse_audio` for audio.

Each function raises :class:`~vod_testbed.backends.mediaconvert.coverage.SettingsError`
with the JSON pointer of the setting it cannot honour, and reports approximations through
``warn(path, message)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from vod_testbed.backends.jobmodel.codecs import H264, H265, GopSettings, RateSettings
from vod_testbed.backends.jobmodel.inputs import InsertedImage
from vod_testbed.backends.jobmodel.model import VideoPreprocessors
from vod_testbed.backends.ladder import (
    VBV_INITIAL_FILL_PERCENT,
    RateControl,
    Rung,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert import parse_inputs
from vod_testbed.backends.mediaconvert.codec_limits import h264_size_problem
from vod_testbed.backends.mediaconvert.coverage import (
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


def video_box(
    output: Mapping[str, Any], path: str, *, codecs: tuple[str, ...], box_required: bool = True
) -> VideoBox:
    """The output box and scaling policy of an output whose codec must be one of ``codecs``
    (a width and height of 0 mean "the source's", where ``box_required`` is False)."""
    h264 = "FRAME_CAPTURE" not in codecs
    vpath = f"{path}/videoDescription"
    video = output.get("videoDescription")
    if video is None:
        raise SettingsError(path, "videoDescription is a required property")
    check_supported(video, "VideoDescription", vpath)
    for key in ("width", "height"):
        if key not in video:
            if not box_required:
                continue
            raise SettingsError(
                vpath, f"{key} is required by the emulator: the ladder needs an output box"
            )
        if h264 and video[key] % 2:
            raise SettingsError(f"{vpath}/{key}", "must be even for H.264 4:2:0 outputs")
    width, height = int(video.get("width", 0)), int(video.get("height", 0))
    if h264 and (width or height):
        if not (width and height):
            raise SettingsError(vpath, "set both width and height, or neither (the source's)")
        too_big = h264_size_problem(width, height)
        if too_big:
            raise SettingsError(vpath, too_big)
    codec_settings = video.get("codecSettings")
    if codec_settings is None:
        raise SettingsError(vpath, "codecSettings is a required property")
    check_supported(codec_settings, "VideoCodecSettings", f"{vpath}/codecSettings")
    if codec_settings.get("codec") not in codecs:
        raise SettingsError(
            f"{vpath}/codecSettings/codec",
            f"{codec_settings.get('codec')} is not supported here by the emulator "
            f"(expected {' or '.join(codecs)})",
        )
    scaling = video.get("scalingBehavior", "DEFAULT")
    if not h264 and scaling != "DEFAULT":
        raise SettingsError(
            f"{vpath}/scalingBehavior", "frame captures support only DEFAULT scaling"
        )
    return VideoBox(width, height, SCALING[scaling])


def rate_fields(settings: Mapping[str, Any], path: str, shape: str, warn: Warn) -> dict[str, Any]:
    """The rate-control :class:`~vod_testbed.backends.ladder.Rung` fields carried by
    H264Settings or H265Settings (``shape``); the profile is the caller's."""
    check_supported(settings, shape, path)
    qvbr = settings.get("qvbrSettings") or {}
    check_supported(qvbr, shape.replace("Settings", "QvbrSettings"), f"{path}/qvbrSettings")
    # The service model documents no default; a Bitrate alone ("Required for VBR and CBR")
    # is what MediaConvert's own examples send with CBR, so blank means CBR.
    mode = RateControl(settings.get("rateControlMode", "CBR"))
    fields: dict[str, Any] = {
        "rate_control": mode,
        "buffer_initial_fill_percent": int(
            settings.get("hrdBufferInitialFillPercentage", VBV_INITIAL_FILL_PERCENT)
        ),
    }
    _check_square_pixels(settings, path)
    bitrate, cap = settings.get("bitrate"), settings.get("maxBitrate")
    if mode is RateControl.QVBR:
        if cap is None:
            raise SettingsError(path, "maxBitrate is required when rateControlMode is QVBR")
        if bitrate is not None:
            warn(f"{path}/bitrate", "bitrate has no effect with QVBR; maxBitrate caps")
        fields["video_bitrate"], fields["peak_bitrate"] = _from_cap(cap)
        fields["buffer_bits"] = _buffer_or_default(settings, fields["video_bitrate"])
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
    fields["buffer_bits"] = _buffer_or_default(settings, int(bitrate))
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


def h264_rung_fields(h264: Mapping[str, Any], path: str, warn: Warn) -> dict[str, Any]:
    """The :class:`~vod_testbed.backends.ladder.Rung` fields carried by H264Settings."""
    fields = rate_fields(h264, path, "H264Settings", warn)
    fields["profile"] = H264_PROFILES[h264.get("codecProfile", "MAIN")]
    return fields


def rate_settings(fields: Mapping[str, Any]) -> RateSettings:
    """The model's rate control from :func:`rate_fields`."""
    return RateSettings(
        mode=fields["rate_control"],
        bitrate=fields["video_bitrate"],
        peak_bitrate=fields.get("peak_bitrate"),
        qvbr_quality=fields.get("qvbr_quality"),
        buffer_bits=fields.get("buffer_bits"),
        buffer_initial_fill_percent=fields["buffer_initial_fill_percent"],
    )


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
    h264: Mapping[str, Any], path: str, segment_seconds: int | None, warn: Warn
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


def gop_seconds(
    h264: Mapping[str, Any], path: str, segment_seconds: int | None, warn: Warn
) -> Fraction:
    """The GOP an output asks for, in seconds ("a decimal value of seconds", service
    model). In an HLS group (``segment_seconds``) a GOP that does not divide the segments
    gets I-frames at their boundaries too (SegmentLengthControl EXACT, jobmodel.ladder)."""
    units = h264.get("gopSizeUnits", "AUTO" if "gopSize" not in h264 else "FRAMES")
    size = h264.get("gopSize")
    if units == "AUTO":
        if size:
            raise SettingsError(f"{path}/gopSize", "leave gopSize blank with gopSizeUnits AUTO")
        return Fraction(1 if segment_seconds and segment_seconds % 2 else 2)
    if not size or size < 0:
        raise SettingsError(
            f"{path}/gopSize", f"a positive gopSize is required with gopSizeUnits {units}"
        )
    if units == "SECONDS":
        seconds = Fraction(str(size)).limit_denominator(1000)
    else:
        seconds = _frames_as_seconds(float(size), segment_seconds, warn, path)
    return seconds


def _frames_as_seconds(size: float, segment_seconds: int | None, warn: Warn, path: str) -> Fraction:
    """gopSizeUnits FRAMES at the first nominal rate that gives whole seconds dividing the
    segment; else (and outside HLS groups) at 30 fps."""
    for rate in _NOMINAL_FRAME_RATES:
        whole = size % rate == 0
        if whole and (segment_seconds is None or segment_seconds % (int(size) // rate) == 0):
            seconds = Fraction(int(size) // rate)
            break
    else:
        rate, seconds = 30, Fraction(int(size), 30)
    warn(
        f"{path}/gopSize",
        f"{int(size)} frames emulated as keyframes every {float(seconds):g} s "
        f"(exact for {rate} fps sources)",
    )
    return seconds


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


# H265Settings.codecProfile -> x265's profile; the tier (MAIN/HIGH) only sets level limits.
H265_PROFILES = {
    "MAIN_MAIN": "main",
    "MAIN_HIGH": "main",
    "MAIN10_MAIN": "main10",
    "MAIN10_HIGH": "main10",
}


def video_codec(
    video: Mapping[str, Any], vpath: str, segment_seconds: int | None, warn: Warn
) -> H264 | H265:
    """The H.264 or H.265 codec of a video description (``segment_seconds``: the HLS
    group's, which chooses the default GOP and a rate for one in frames; None outside HLS)."""
    codec_settings = video["codecSettings"]
    if codec_settings["codec"] == "H_264":
        settings = codec_settings.get("h264Settings") or {}
        path = f"{vpath}/codecSettings/h264Settings"
        fields = h264_rung_fields(settings, path, warn)
        keyframes = h264_group_fields(settings, path, segment_seconds, warn)
        return H264(
            profile=fields["profile"],
            rate=rate_settings(fields),
            gop=GopSettings(keyframes["gop_seconds"], keyframes["scene_cut_min_frames"]),
            frame_rate=keyframes["frame_rate"],
        )
    settings = codec_settings.get("h265Settings") or {}
    path = f"{vpath}/codecSettings/h265Settings"
    fields = rate_fields(settings, path, "H265Settings", warn)
    profile = settings.get("codecProfile", "MAIN_MAIN")
    if profile not in H265_PROFILES:
        raise SettingsError(
            f"{path}/codecProfile",
            f"{profile} is not supported by the emulator (4:2:2 outputs are not written)",
        )
    keyframes = h264_group_fields(settings, path, segment_seconds, warn)
    return H265(
        profile=H265_PROFILES[profile],
        rate=rate_settings(fields),
        gop=GopSettings(keyframes["gop_seconds"], keyframes["scene_cut_min_frames"]),
        frame_rate=keyframes["frame_rate"],
        sample_entry=settings.get("writeMp4PackagingType", "HVC1").lower(),
    )


def video_preprocessors(video: Mapping[str, Any], vpath: str, warn: Warn) -> VideoPreprocessors:
    """The deinterlacer and noise reducer of a video description."""
    preprocessors = video.get("videoPreprocessors") or {}
    ppath = f"{vpath}/videoPreprocessors"
    check_supported(preprocessors, "VideoPreprocessor", ppath)
    deinterlacer = preprocessors.get("deinterlacer")
    mode = None
    all_frames = False
    if deinterlacer is not None:
        dpath = f"{ppath}/deinterlacer"
        check_supported(deinterlacer, "Deinterlacer", dpath)
        # "Default is Deinterlace" (service model, Deinterlacer.Mode).
        mode = deinterlacer.get("mode", "DEINTERLACE")
        all_frames = deinterlacer.get("control") == "FORCE_ALL_FRAMES"
        algorithm = deinterlacer.get("algorithm", "INTERPOLATE")
        if mode != "INVERSE_TELECINE" and algorithm != "INTERPOLATE":
            warn(
                f"{dpath}/algorithm",
                f"{algorithm} is approximated: FFmpeg's bwdif interpolates the missing lines",
            )
    reducer = preprocessors.get("noiseReducer")
    noise = None
    if reducer is not None:
        npath = f"{ppath}/noiseReducer"
        check_supported(reducer, "NoiseReducer", npath)
        for key, shape in (
            ("filterSettings", "NoiseReducerFilterSettings"),
            ("spatialFilterSettings", "NoiseReducerSpatialFilterSettings"),
            ("temporalFilterSettings", "NoiseReducerTemporalFilterSettings"),
        ):
            check_supported(reducer.get(key) or {}, shape, f"{npath}/{key}")
        noise = reducer.get("filter", "BILATERAL")
        if noise == "NONE":
            noise = None
        else:
            warn(
                f"{npath}/filter",
                f"the {noise} noise reducer is approximated with FFmpeg's hqdn3d denoiser",
            )
    images: tuple[InsertedImage, ...] = ()
    if "imageInserter" in preprocessors:
        ipath = f"{ppath}/imageInserter"
        inserter = preprocessors["imageInserter"]
        check_supported(inserter, "ImageInserter", ipath)
        for index, image in enumerate(inserter.get("insertableImages") or []):
            check_supported(image, "InsertableImage", f"{ipath}/insertableImages/{index}")
        images = parse_inputs.images(inserter, ipath)
    return VideoPreprocessors(
        deinterlace=mode, deinterlace_all_frames=all_frames, noise_reducer=noise, images=images
    )
