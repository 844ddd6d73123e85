"""The job model's types for what is done to inputs and audio before any output is encoded:
timecode sources, audio selector groups and remixing, loudness normalisation, inserted
images (watermarks) and automated ABR (docs/ARCHITECTURE.md, "The job model").

Values are AWS's names and defaults, already checked; :mod:`.timecodes`,
:mod:`.audio_selection` and :mod:`.automated_abr` give them their meaning, and
``backends/ffmpeg`` compiles them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Input.TimecodeSource; "If you don't specify a value for Timecode source, the service will
# use Embedded by default" (service model).
EMBEDDED = "EMBEDDED"
ZEROBASED = "ZEROBASED"
SPECIFIEDSTART = "SPECIFIEDSTART"


@dataclass(frozen=True)
class Remix:
    """``RemixSettings``: ``gains[out][in]``, the linear gain of input channel ``in`` in
    output channel ``out`` (MediaConvert's dB levels converted; -60 dB is 0)."""

    gains: tuple[tuple[float, ...], ...]

    @property
    def channels_out(self) -> int:
        return len(self.gains)


@dataclass(frozen=True)
class AudioSelectorGroup:
    """``AudioSelectorGroups``: selectors of one input combined into one source."""

    name: str
    selectors: tuple[str, ...]


@dataclass(frozen=True)
class LoudnessSettings:
    """``AudioNormalizationSettings`` with AWS's defaults (the target is -24 LKFS for
    BS.1770-1, -23 otherwise)."""

    algorithm: str = "ITU_BS_1770_2"
    correct: bool = True  # CORRECT_AUDIO; False is MEASURE_ONLY
    target_lkfs: float = -23.0
    true_peak_limit_db: float = 0.0
    log: bool = False  # LoudnessLogging LOG
    true_peak: bool = False  # PeakCalculation TRUE_PEAK


@dataclass(frozen=True)
class InsertedImage:
    """One ``InsertableImage`` of an ``ImageInserter`` (opacity defaults to 50; a blank
    start is the first frame, a blank duration the rest of the video)."""

    uri: str
    x: int
    y: int
    width: int | None = None
    height: int | None = None
    opacity: int = 50
    start: str | None = None  # timecode on the input's (or, in an output, the job's) clock
    duration_ms: int | None = None
    fade_in_ms: int = 0
    fade_out_ms: int = 0
    layer: int = 0


@dataclass(frozen=True)
class Resolution:
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


@dataclass(frozen=True)
class AutomatedAbr:
    """``AutomatedEncodingSettings.AbrSettings`` with AWS's defaults, and its rules."""

    max_renditions: int = 15
    max_bitrate: int = 8_000_000
    min_bitrate: int = 600_000
    max_quality: int | None = None
    min_top: Resolution | None = None
    min_bottom: Resolution | None = None
    force_include: tuple[Resolution, ...] = ()
    allowed: tuple[Resolution, ...] | None = None
    required: tuple[Resolution, ...] = ()  # allowed renditions marked Required
