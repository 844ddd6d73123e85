"""AWS's ``System-Generic_...`` MP4 presets, with settings read from their names.

AWS publishes neither these presets' settings nor a way to read them without an account,
yet public jobs name them more than any other system preset. Their names carry what an
output is judged by: tier, container, video and audio codec, aspect, frame size and scan,
frame rate, bitrate and, for the QVBR family, the quality level. A name of the grammar
below becomes a SYSTEM preset whose settings say exactly that, with AWS's documented
defaults for the rest (docs/inputs-and-audio.md, "System presets"): an approximation,
labelled as such in its description, never a claim to be AWS's own settings.

Names outside the grammar stay unknown (NotFoundException), as AWS answers an unknown name.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

GENERIC = re.compile(
    r"System-Generic_(?P<tier>Sd|Hd|Uhd)_Mp4_(?P<video>Avc|Hevc)_Aac"
    r"_(?P<aspect>\d+x\d+)(?:_Sdr)?_(?P<width>\d+)x(?P<height>\d+)p"
    r"_(?P<rate>\d+(?:\.\d+)?)Hz_(?P<mbps>\d+(?:\.\d+)?)Mbps(?:_Qvbr_Vq(?P<vq>\d+))?"
)

# The names AWS's documentation and public samples use, listed by ListPresets(SYSTEM);
# any other name of the grammar is read the same way when a job names it.
KNOWN = (
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_1920x1080p_24Hz_6Mbps",
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_1280x720p_24Hz_4.5Mbps",
    "System-Generic_Sd_Mp4_Avc_Aac_4x3_640x480p_24Hz_1.5Mbps",
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_1920x1080p_60Hz_9Mbps",
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1280x720p_30Hz_5Mbps_Qvbr_Vq9",
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1920x1080p_30Hz_10Mbps_Qvbr_Vq9",
)

# The NTSC rates a name writes rounded to two decimals.
_NTSC = {"23.98": (24000, 1001), "29.97": (30000, 1001), "59.94": (60000, 1001)}
_AUDIO_BITRATE = 96_000  # the user guide's MP4 example job: AAC-LC 2.0, 48 kHz, 96 kb/s
MAX_DIMENSION = 4096  # the Uhd tier's widest; a larger name is not one of AWS's


def describe(name: str) -> str | None:
    """The preset's description, or None when ``name`` is not of the grammar."""
    match = GENERIC.fullmatch(name)
    if match is None or not _plausible(match):
        return None
    parts = [
        "Generic",
        "MP4",
        match["video"].upper(),
        "AAC",
        match["aspect"],
        f"{match['width']}x{match['height']}p",
        f"{match['rate']}Hz",
        f"{match['mbps']}Mbps" + (f" QVBR {match['vq']}" if match["vq"] else ""),
    ]
    return ", ".join(parts) + " (settings read from the name; AWS does not publish them)"


def settings_for(name: str) -> dict[str, Any] | None:
    """PresetSettings (PascalCase, as AWS writes them) read from ``name``, or None."""
    match = GENERIC.fullmatch(name)
    if match is None or not _plausible(match):
        return None
    numerator, denominator = _framerate(match["rate"])
    bitrate = int(Decimal(match["mbps"]) * 1_000_000)
    hevc = match["video"] == "Hevc"
    rate_control: dict[str, Any] = (
        {"RateControlMode": "QVBR", "MaxBitrate": bitrate}
        | {"QvbrSettings": {"QvbrQualityLevel": int(match["vq"])}}
        if match["vq"]
        else {"RateControlMode": "CBR", "Bitrate": bitrate, "HrdBufferSize": 2 * bitrate}
    )
    codec = {
        "CodecProfile": "MAIN_MAIN" if hevc else "HIGH",
        "CodecLevel": "AUTO",
        "FramerateControl": "SPECIFIED",
        "FramerateNumerator": numerator,
        "FramerateDenominator": denominator,
        # Two seconds of frames, as the user guide's MP4 example (48 at 23.976 fps).
        "GopSize": round(2 * numerator / denominator),
        "GopSizeUnits": "FRAMES",
        "InterlaceMode": "PROGRESSIVE",
        **rate_control,
    }
    return {
        "ContainerSettings": {
            "Container": "MP4",
            "Mp4Settings": {
                "CslgAtom": "INCLUDE",
                "FreeSpaceBox": "EXCLUDE",
                "MoovPlacement": "PROGRESSIVE_DOWNLOAD",
            },
        },
        "VideoDescription": {
            "Width": int(match["width"]),
            "Height": int(match["height"]),
            "CodecSettings": {
                "Codec": "H_265" if hevc else "H_264",
                ("H265Settings" if hevc else "H264Settings"): codec,
            },
        },
        "AudioDescriptions": [
            {
                "CodecSettings": {
                    "Codec": "AAC",
                    "AacSettings": {
                        "Bitrate": _AUDIO_BITRATE,
                        "CodecProfile": "LC",
                        "CodingMode": "CODING_MODE_2_0",
                        "RateControlMode": "CBR",
                        "SampleRate": 48000,
                    },
                }
            }
        ],
    }


def _framerate(rate: str) -> tuple[int, int]:
    if rate in _NTSC:
        return _NTSC[rate]
    value = Decimal(rate)
    if value == value.to_integral_value():
        return int(value), 1
    scaled = value * 1000
    return int(scaled), 1000


def _plausible(match: re.Match[str]) -> bool:
    width, height = int(match["width"]), int(match["height"])
    rate, mbps = Decimal(match["rate"]), Decimal(match["mbps"])
    quality = int(match["vq"]) if match["vq"] else 7
    return (
        0 < width <= MAX_DIMENSION
        and 0 < height <= MAX_DIMENSION
        and width % 2 == 0
        and height % 2 == 0
        and 0 < rate <= 120
        and 0 < mbps <= 100
        and 1 <= quality <= 10
    )
