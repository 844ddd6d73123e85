"""The ladder report's data: one :class:`RungReport` per rendition, JSON-ready."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Quality:
    """A rendition against its source, over the first ``seconds`` of both.

    ``metric`` says what was computed: ``vmaf`` (libvmaf, model vmaf_v0.6.1, with PSNR-Y and
    SSIM from the same pass) or ``psnr-ssim`` (ffmpeg's psnr and ssim filters).
    """

    metric: str
    seconds: float
    vmaf: float | None = None
    psnr_db: float | None = None
    ssim: float | None = None

    @property
    def score(self) -> float | None:
        """The headline figure: VMAF where computed, else PSNR in dB."""
        return self.vmaf if self.vmaf is not None else self.psnr_db


@dataclass
class BitratePoint:
    """One segment: it starts at ``start_s``, lasts ``duration_s`` and carries ``bps``."""

    start_s: float
    duration_s: float
    bps: int


@dataclass
class RungReport:
    """One rendition: target, measured figures (from HLS validation), quality, series."""

    name: str
    playlist: str
    resolution: str | None
    target_video_bps: int | None
    target_peak_bps: int | None
    video_bps: int | None
    average_bps: int | None
    peak_bps: int | None
    declared_bandwidth: int | None
    segment_count: int
    duration_s: float | None
    series: list[BitratePoint] = field(default_factory=list)
    target_duration: int | None = None
    audio: str | None = None
    quality: Quality | None = None

    @property
    def video_error(self) -> float | None:
        """Measured video bit rate against the target, as a signed fraction."""
        if not self.video_bps or not self.target_video_bps:
            return None
        return (self.video_bps - self.target_video_bps) / self.target_video_bps


@dataclass
class CaptionTrackReport:
    """One caption track of the output (a SUBTITLES rendition)."""

    language: str | None
    name: str | None
    playlist: str
    default: bool
    segment_count: int
    cue_count: int


@dataclass
class LadderReport:
    """The report of one HLS output.

    ``quality_status`` is ``pending`` until quality is computed, ``done``, ``skipped``
    (no source given) or ``failed`` (``quality_error`` says why).
    """

    master: str
    valid: bool
    errors: list[str]
    warnings: list[str]
    rungs: list[RungReport]
    captions: list[CaptionTrackReport] = field(default_factory=list)
    quality_status: str = "skipped"
    quality_metric: str | None = None
    # Whether the caller chose the metric (else it is the best this ffmpeg has).
    quality_metric_asked: bool = False
    quality_error: str | None = None
    source: str | None = None

    @property
    def quality_label(self) -> str:
        """What the quality figures are, in words (the text report's and the console's)."""
        if self.quality_metric == "vmaf":
            return "VMAF (vmaf_v0.6.1) with PSNR-Y and SSIM"
        fallback = "" if self.quality_metric_asked else " (this ffmpeg has no libvmaf)"
        return f"PSNR and SSIM{fallback}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for rung, rung_data in zip(self.rungs, data["rungs"], strict=True):
            rung_data["video_error"] = rung.video_error
            if rung.quality is not None:
                rung_data["quality"]["score"] = rung.quality.score
        return data
