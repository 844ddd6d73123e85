"""An output's ``AudioDescriptions`` read into the job model's
:class:`~vod_testbed.backends.jobmodel.model.AudioDescription` (AAC, AC3, EAC3, MP3, WAV),
each with the default AWS documents for what it leaves blank (see :mod:`.parse` for the job
around them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vod_testbed.backends.jobmodel.codecs import Aac, Ac3, AudioCodec, Mp3, Wav
from vod_testbed.backends.jobmodel.model import AudioDescription
from vod_testbed.backends.mediaconvert import parse_inputs
from vod_testbed.backends.mediaconvert.codec_limits import aac_bitrates, aac_problem
from vod_testbed.backends.mediaconvert.coverage import (
    AAC_BITRATES,
    AUDIO_SELECTOR,
    CODING_MODE_CHANNELS,
    SettingsError,
    check_supported,
)

# AacSettings.bitrate left blank: "Default values depend on Bitrate control mode and
# Profile" (service model), without the values; the console's 96 kb/s stereo (64 kb/s
# mono) stands in, or the nearest bitrate the guide's table allows.
AAC_DEFAULT_BITRATE = {1: 64_000, 2: 96_000}

# Dolby coding modes -> (channels, default bitrate, lowest, highest), from the service
# model's Ac3Settings.Bitrate and Eac3Settings.Bitrate ("according ETSI TS 102 366").
AC3_MODES = {
    "CODING_MODE_1_0": (1, 96_000, 64_000, 128_000),
    "CODING_MODE_2_0": (2, 192_000, 128_000, 384_000),
    "CODING_MODE_3_2_LFE": (6, 384_000, 384_000, 640_000),
}
EAC3_MODES = {
    "CODING_MODE_1_0": (1, 96_000, 32_000, 3_024_000),
    "CODING_MODE_2_0": (2, 192_000, 96_000, 3_024_000),
    "CODING_MODE_3_2": (5, 384_000, 192_000, 3_024_000),
}


def audio_descriptions(
    output: Mapping[str, Any], path: str, selectors: tuple[str, ...]
) -> tuple[AudioDescription, ...]:
    """Every audio description of an output; ``selectors`` are the input's selector
    names (an output may only take audio a selector picks)."""
    descriptions = output.get("audioDescriptions") or []
    return tuple(
        _description(d, f"{path}/audioDescriptions/{i}", selectors)
        for i, d in enumerate(descriptions)
    )


def _description(
    description: Mapping[str, Any], path: str, selectors: tuple[str, ...]
) -> AudioDescription:
    check_supported(description, "AudioDescription", path)
    source = description.get("audioSourceName", AUDIO_SELECTOR)
    if source not in selectors:
        raise SettingsError(
            f"{path}/audioSourceName", f"{source!r} does not name an audio selector of the input"
        )
    codec_settings = description.get("codecSettings")
    if codec_settings is None:
        raise SettingsError(path, "codecSettings is a required property")
    cpath = f"{path}/codecSettings"
    check_supported(codec_settings, "AudioCodecSettings", cpath)
    codec = codec_settings.get("codec")
    readers = {"AAC": _aac, "AC3": _ac3, "EAC3": _ac3, "MP3": _mp3, "WAV": _wav}
    key = f"{str(codec).lower()}Settings"
    settings = codec_settings.get(key) or {}
    check_supported(settings, f"{str(codec).capitalize()}Settings", f"{cpath}/{key}")
    remix = description.get("remixSettings")
    loudness = description.get("audioNormalizationSettings")
    return AudioDescription(
        codec=readers[str(codec)](settings, f"{cpath}/{key}", str(codec)),
        selector=source,
        language=description.get("languageCode") or description.get("customLanguageCode"),
        stream_name=description.get("streamName"),
        remix=parse_inputs.remix(remix, f"{path}/remixSettings") if remix else None,
        loudness=parse_inputs.loudness(loudness) if loudness is not None else None,
    )


def he_aac_warning(codec: AudioCodec) -> str | None:
    """The warning of an HE-AAC output. The emulator encodes AAC with ffmpeg's own encoder,
    which writes AAC-LC only (HE-AAC needs libfdk_aac, which neither the imageio-ffmpeg
    wheel's ffmpeg nor Debian's is built with, for its licence)."""
    if isinstance(codec, Aac) and codec.profile in ("HEV1", "HEV2"):
        return (
            f"AAC profile {codec.profile} is encoded as AAC-LC at the same bitrate (ffmpeg's "
            "AAC encoder writes only AAC-LC); players see mp4a.40.2."
        )
    return None


def _aac(aac: Mapping[str, Any], path: str, _codec: str) -> AudioCodec:
    profile = aac.get("codecProfile", "LC")
    mode = aac.get("codingMode", "CODING_MODE_2_0")
    sample_rate = int(aac.get("sampleRate", 48_000))
    channels = CODING_MODE_CHANNELS[mode]
    if "bitrate" in aac:
        bitrate = int(aac["bitrate"])
        if bitrate not in AAC_BITRATES:
            raise SettingsError(f"{path}/bitrate", f"{bitrate} is not a valid AAC bitrate")
    else:
        allowed = aac_bitrates(profile, mode, sample_rate) or (AAC_DEFAULT_BITRATE[channels],)
        bitrate = min(allowed, key=lambda b: abs(b - AAC_DEFAULT_BITRATE[channels]))
    # The guide's HE-AAC rows are not in the table: only LC bitrates are checked.
    problem = aac_problem(profile, mode, sample_rate, bitrate) if profile == "LC" else None
    if problem:
        raise SettingsError(f"{path}/bitrate", problem)
    return Aac(bitrate=bitrate, profile=profile, channels=channels, sample_rate=sample_rate)


def _ac3(settings: Mapping[str, Any], path: str, codec: str) -> AudioCodec:
    modes = AC3_MODES if codec == "AC3" else EAC3_MODES
    mode = settings.get("codingMode", "CODING_MODE_2_0")
    if mode not in modes:
        raise SettingsError(
            f"{path}/codingMode",
            f"{mode} is not supported by the emulator (accepted: {', '.join(modes)})",
        )
    channels, default, low, high = modes[mode]
    bitrate = int(settings.get("bitrate", default))
    if bitrate % 8000 or not low <= bitrate <= high:
        raise SettingsError(
            f"{path}/bitrate",
            f"{bitrate} is not a valid {codec} bitrate for {mode}: a multiple of 8000 "
            f"from {low} to {high}",
        )
    return Ac3(bitrate=bitrate, channels=channels, codec="EAC3" if codec == "EAC3" else "AC3")


def _mp3(settings: Mapping[str, Any], path: str, _codec: str) -> AudioCodec:
    mode = settings.get("rateControlMode", "CBR")
    if mode == "VBR":
        if "vbrQuality" not in settings:
            raise SettingsError(path, "vbrQuality is required when rateControlMode is VBR")
        bitrate, quality = None, int(settings["vbrQuality"])
    else:
        bitrate, quality = int(settings.get("bitrate", 160_000)), None
    return Mp3(
        bitrate=bitrate,
        vbr_quality=quality,
        channels=int(settings.get("channels", 2)),
        sample_rate=int(settings.get("sampleRate", 48_000)),
    )


def _wav(settings: Mapping[str, Any], path: str, _codec: str) -> AudioCodec:
    channels = int(settings.get("channels", 2))
    if channels > 2 and channels % 2:
        raise SettingsError(f"{path}/channels", "valid values are 0, 1 and even numbers")
    return Wav(
        bit_depth=int(settings.get("bitDepth", 16)),
        channels=channels,
        sample_rate=int(settings.get("sampleRate", 48_000)),
    )
