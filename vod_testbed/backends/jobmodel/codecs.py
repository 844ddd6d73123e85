"""The codecs of the job model (docs/ARCHITECTURE.md, "The job model"): video (H.264,
H.265, frame capture) and audio (AAC, AC3/EAC3, MP3, WAV) settings, already checked and
defaulted as AWS defaults them. :mod:`.model` re-exports every name."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from vod_testbed.backends.ladder import RateControl


@dataclass(frozen=True)
class RateSettings:
    """Rate control of a video codec, as MediaConvert names it; ``peak_bitrate`` and
    ``buffer_bits`` None mean the defaults of :class:`~vod_testbed.backends.ladder.Rung`."""

    mode: RateControl = RateControl.QVBR
    bitrate: int | None = None
    peak_bitrate: int | None = None
    qvbr_quality: int | None = None
    buffer_bits: int | None = None
    buffer_initial_fill_percent: int = 90


@dataclass(frozen=True)
class GopSettings:
    """Keyframe placement: ``seconds`` may be fractional; ``scene_cut_min_frames`` None
    means IDRs only on the grid."""

    seconds: Fraction = Fraction(2)
    scene_cut_min_frames: int | None = None


@dataclass(frozen=True)
class H264:
    profile: str = "main"
    rate: RateSettings = field(default_factory=RateSettings)
    gop: GopSettings = field(default_factory=GopSettings)
    frame_rate: Fraction | None = None  # None: follow the source
    codec: Literal["H_264"] = "H_264"


@dataclass(frozen=True)
class H265:
    profile: str = "main"
    rate: RateSettings = field(default_factory=RateSettings)
    gop: GopSettings = field(default_factory=GopSettings)
    frame_rate: Fraction | None = None
    # HVC1 (the default) or HEV1: the sample entry MP4 writes, which Apple players need.
    sample_entry: str = "hvc1"
    codec: Literal["H_265"] = "H_265"


@dataclass(frozen=True)
class FrameCapture:
    """JPEG captures: the first frame, then one every ``interval_s`` seconds."""

    interval_s: Fraction = Fraction(1)
    max_captures: int = 10_000
    quality: int = 80
    codec: Literal["FRAME_CAPTURE"] = "FRAME_CAPTURE"


VideoCodec = H264 | H265 | FrameCapture


@dataclass(frozen=True)
class Aac:
    bitrate: int = 96_000
    profile: str = "LC"
    channels: int = 2
    sample_rate: int = 48_000
    codec: Literal["AAC"] = "AAC"


@dataclass(frozen=True)
class Ac3:
    """AC3 (``codec`` ``AC3``) or Dolby Digital Plus (``EAC3``)."""

    bitrate: int = 384_000
    channels: int = 2
    sample_rate: int = 48_000
    codec: Literal["AC3", "EAC3"] = "AC3"


@dataclass(frozen=True)
class Mp3:
    bitrate: int | None = 160_000  # None: VBR at ``vbr_quality``
    vbr_quality: int | None = None
    channels: int = 2
    sample_rate: int = 48_000
    codec: Literal["MP3"] = "MP3"


@dataclass(frozen=True)
class Wav:
    bit_depth: int = 16
    channels: int = 2
    sample_rate: int = 48_000
    codec: Literal["WAV"] = "WAV"


AudioCodec = Aac | Ac3 | Mp3 | Wav
