"""The HLS ladder: one definition, shared by every backend (docs/ARCHITECTURE.md, "The ladder").

A :class:`Ladder` says what to produce; :func:`plan_renditions` turns it, plus the source's
display size, into the exact output geometry of every rendition. Both backends use that one
function, so the upscale and portrait policies give the same outputs everywhere.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction

from vod_testbed.backends.hls_encryption import HlsEncryption
from vod_testbed.backends.trickplay import TrickPlay


class UpscalePolicy(enum.StrEnum):
    """What to do with rungs larger than the source.

    ``UPSCALE`` is MediaConvert's DEFAULT scaling behaviour: every rung is produced and the
    picture is scaled up to fit. ``DROP`` keeps only rungs that need no upscaling (always at
    least the smallest rung), the ladder most platforms ask for; MediaConvert has no such
    setting, so the MediaConvert backend drops the rungs itself. ``FIT_NO_UPSCALE`` is
    MediaConvert's setting of that name: every rung is produced, none is padded, and a rung
    larger than the source gets the source's own size (a 1440x1080 source gives a
    1440x1080 "1080p").
    """

    UPSCALE = "upscale"
    DROP = "drop"
    FIT_NO_UPSCALE = "fit-no-upscale"


class RotatePolicy(enum.StrEnum):
    """How the source's picture is turned (MediaConvert's ``Rotate``).

    ``AUTO`` turns it as its rotation metadata says, under MediaConvert's conditions
    (:func:`vod_testbed.backends.source.auto_rotation`); ``NONE`` (``DEGREE_0``) ignores the
    metadata; ``DEGREES_90``/``180``/``270`` turn the stored picture clockwise by that much,
    whatever the metadata says (:func:`vod_testbed.backends.source.applied_rotation`).
    """

    AUTO = "auto"
    NONE = "none"
    DEGREES_90 = "90"
    DEGREES_180 = "180"
    DEGREES_270 = "270"

    @property
    def fixed_degrees(self) -> int | None:
        """The clockwise turn this policy gives every source; ``None`` for ``AUTO``."""
        return (
            None if self is RotatePolicy.AUTO else (0 if self is RotatePolicy.NONE else int(self))
        )


class MissingAudio(enum.StrEnum):
    """What a ladder with audio does with a source that has none.

    ``OMIT`` writes video-only renditions (what the MediaConvert backend renders for such a
    source); ``FAIL`` ends the job with MediaConvert's 1021 "Audio Error", as a job whose
    outputs take audio from an empty input does on AWS.
    """

    OMIT = "omit"
    FAIL = "fail"


class RateControl(enum.StrEnum):
    """H.264 rate control, named as MediaConvert names it.

    ``VBR`` here is capped VBR (average = ``video_bitrate``, peak capped at ``max_bitrate``),
    which keeps every rung within a few percent of its target. ``QVBR`` targets a quality
    level (1..10) under the ``max_bitrate`` cap; ``CBR`` holds ``video_bitrate`` throughout.
    """

    VBR = "VBR"
    CBR = "CBR"
    QVBR = "QVBR"


class PortraitPolicy(enum.StrEnum):
    """How a portrait source fills the ladder's landscape boxes.

    ``PAD`` is MediaConvert's DEFAULT: fit inside the landscape box and pillarbox, so every
    rendition keeps the ladder's RESOLUTION. ``ROTATE_BOX`` swaps each box to portrait
    (1080x1920, 720x1280, ...), which wastes no pixels on bars.
    """

    PAD = "pad"
    ROTATE_BOX = "rotate-box"


# x264's own default initial VBV fill (vbv-init 0.9); both backends send it explicitly.
VBV_INITIAL_FILL_PERCENT = 90


@dataclass(frozen=True)
class Rung:
    """One video rendition of the ladder.

    Args:
        name: short name, used as the MediaConvert name modifier ``_<name>``.
        width, height: the output box in pixels (landscape).
        video_bitrate: average video bitrate a viewer gets, in bits per second.
        audio_bitrate: AAC bitrate in bits per second.
        profile: the codec's profile (H.264 ``high``, ``main``, ``baseline``; H.265 ``main``).
        rate_control: see :class:`RateControl`.
        peak_bitrate: the cap for VBR/QVBR; default 1.07 x ``video_bitrate``.
        qvbr_quality: QVBR quality level 1..10 (only with ``RateControl.QVBR``).
        buffer_bits: the VBV (MediaConvert's HRD) buffer; default 1.5 s of
            ``video_bitrate``.
        buffer_initial_fill_percent: how full the VBV buffer starts (HRD initial fill).
        codec: ``h264`` (the default) or ``h265``: the rung's video codec.
    """

    name: str
    width: int
    height: int
    video_bitrate: int
    audio_bitrate: int = 128_000
    profile: str = "high"
    rate_control: RateControl = RateControl.VBR
    peak_bitrate: int | None = None
    qvbr_quality: int | None = None
    buffer_bits: int | None = None
    buffer_initial_fill_percent: int = VBV_INITIAL_FILL_PERCENT
    # This rung's own AAC format (profile, channels, sample rate) when it differs from the
    # ladder's: MediaConvert sets each output's audio on its own (docs/audio-groups.md).
    audio_format: AudioSpec | None = None
    codec: str = "h264"

    def audio_spec(self, ladder_audio: AudioSpec) -> AudioSpec:
        """The AAC format this rung's audio is encoded in."""
        return self.audio_format or ladder_audio

    @property
    def name_modifier(self) -> str:
        return f"_{self.name}"

    @property
    def max_bitrate(self) -> int:
        if self.peak_bitrate:
            return self.peak_bitrate
        if self.rate_control is RateControl.CBR:
            return self.video_bitrate
        # Capped VBR: a 7 % cap over a 1.5 s buffer holds the average within ~2 % of target.
        return round(self.video_bitrate * 1.07)

    @property
    def buffer_size(self) -> int:
        """The VBV buffer in bits, sent to both encoders so the peak cap means the same."""
        return self.buffer_bits or round(self.video_bitrate * 1.5)


@dataclass(frozen=True)
class AudioSpec:
    """The AAC of every rendition; ``when_absent`` says what a source without audio gets."""

    codec: str = "aac"
    profile: str = "LC"
    channels: int = 2
    sample_rate: int = 48_000
    when_absent: MissingAudio = MissingAudio.OMIT


@dataclass(frozen=True)
class ThumbnailSpec:
    """JPEG frame captures: the first frame, then one every ``interval_s`` seconds."""

    interval_s: int = 10
    width: int = 1280
    height: int = 720
    quality: int = 80
    name_modifier: str = "_thumb"
    max_captures: int = 10_000


# Rung names become file names and ffmpeg var_stream_map entries: no spaces, commas, colons.
_SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Ladder:
    """Everything a backend needs to know to produce the HLS outputs of one job."""

    rungs: tuple[Rung, ...]
    segment_seconds: int = 6
    gop_seconds: int | Fraction = 2  # MediaConvert's GopSize in seconds may be a decimal
    # None: video-only renditions (MediaConvert outputs without AudioDescriptions).
    audio: AudioSpec | None = field(default_factory=AudioSpec)
    thumbnails: ThumbnailSpec | None = field(default_factory=ThumbnailSpec)
    upscale: UpscalePolicy = UpscalePolicy.UPSCALE
    portrait: PortraitPolicy = PortraitPolicy.PAD
    integer_durations: bool = False  # MediaConvert ManifestDurationFormat INTEGER
    # EXT-X-TARGETDURATION: the longest segment rounded to the nearest second (RFC 8216,
    # MediaConvert's SPEC_COMPLIANT), or up (LEGACY, MediaConvert's default).
    round_target_duration_up: bool = False
    rotate: RotatePolicy = RotatePolicy.AUTO
    # None: the source's rate, as MediaConvert's "follow source" gives it (see
    # media.probe.output_frame_rate); else this constant rate.
    frame_rate: Fraction | None = None
    # None: keyframes only on the gop_seconds grid. N: scene cuts at least N frames after
    # the last IDR start a new GOP too (MediaConvert's scene change detection).
    scene_cut_min_frames: int | None = None
    # A source with sound and no picture (a podcast, a recorded talk) gets an audio-only
    # ladder (:func:`audio_renditions`); False: the job fails 1010, as a job with video
    # outputs does on AWS.
    audio_only: bool = False
    # Every variant is audio-only whatever the source (an HLS group of audio-only outputs,
    # as MediaConvert runs it): one per rung, named as the rung, at its audio bit rate;
    # the rungs' video fields are unused.
    audio_outputs_only: bool = False
    # Image-based trick play: tiles of thumbnails beside the renditions (docs/packaging.md).
    trick_play: TrickPlay | None = None
    # AES-128 segments and EXT-X-KEY tags (docs/encryption.md); None: clear segments.
    encryption: HlsEncryption | None = None

    def __post_init__(self) -> None:
        if not self.rungs:
            raise ValueError("a ladder needs at least one rung")
        names = [r.name for r in self.rungs]
        if len(set(names)) != len(names):
            raise ValueError(f"rung names must be unique: {names}")
        if self.segment_seconds <= 0 or self.gop_seconds <= 0:
            raise ValueError("segment_seconds and gop_seconds must be positive")
        for rung in self.rungs:
            if not _SAFE_NAME.fullmatch(rung.name):
                raise ValueError(f"rung name {rung.name!r}: use letters, digits, '.', '_', '-'")
            if rung.width % 2 or rung.height % 2:
                raise ValueError(f"rung {rung.name}: H.264 4:2:0 needs even dimensions")

    @property
    def exact_segments(self) -> bool:
        """Whether the GOP leaves segment boundaries off its grid, so that keyframes are
        also forced there (MediaConvert's SegmentLengthControl EXACT adds I-frames)."""
        return bool(Fraction(self.segment_seconds) % Fraction(self.gop_seconds))

    def with_policies(
        self, upscale: UpscalePolicy | None = None, portrait: PortraitPolicy | None = None
    ) -> Ladder:
        return replace(self, upscale=upscale or self.upscale, portrait=portrait or self.portrait)


DEFAULT_LADDER = Ladder(
    rungs=(
        Rung("1080p", 1920, 1080, 5_000_000, audio_bitrate=128_000),
        Rung("720p", 1280, 720, 3_000_000, audio_bitrate=128_000),
        Rung("480p", 854, 480, 1_500_000, audio_bitrate=96_000),
        Rung("360p", 640, 360, 800_000, audio_bitrate=64_000),
    ),
    # Seek-bar previews: MediaConvert's THUMBNAIL tiles, which the console's scrub bar shows.
    trick_play=TrickPlay(),
)


@dataclass(frozen=True)
class AudioRendition:
    """One variant of an audio-only ladder: AAC at ``bitrate``, named ``audio_<kb/s>k``."""

    bitrate: int
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"audio_{round(self.bitrate / 1000)}k"

    @property
    def name_modifier(self) -> str:
        return f"_{self.name}"


def audio_renditions(ladder: Ladder) -> tuple[AudioRendition, ...]:
    """The audio-only ladder of a source without video: one variant per distinct audio bit
    rate of the rungs, highest first (128, 96 and 64 kb/s for the default ladder)."""
    if ladder.audio_outputs_only:
        return tuple(AudioRendition(rung.audio_bitrate, rung.name) for rung in ladder.rungs)
    rates = sorted({rung.audio_bitrate for rung in ladder.rungs}, reverse=True)
    return tuple(AudioRendition(rate) for rate in rates)


@dataclass(frozen=True)
class Geometry:
    """Where the scaled picture sits inside an output box (all even pixel counts)."""

    box_width: int
    box_height: int
    picture_width: int
    picture_height: int

    @property
    def pad_x(self) -> int:
        return (self.box_width - self.picture_width) // 2 // 2 * 2

    @property
    def pad_y(self) -> int:
        return (self.box_height - self.picture_height) // 2 // 2 * 2


@dataclass(frozen=True)
class RenditionPlan:
    rung: Rung
    geometry: Geometry


# A scale factor up to this much above 1 still counts as "no upscale": odd sources such as
# 853x479 need a 0.2 % stretch to reach 854x480 and should keep that rung.
_UPSCALE_TOLERANCE = Fraction(101, 100)


def _even_floor(value: Fraction) -> int:
    return max(2, int(value) // 2 * 2)


def fit_geometry(box_width: int, box_height: int, src_width: int, src_height: int) -> Geometry:
    """Fit a ``src`` picture (display size, square pixels) inside a box, keeping its aspect."""
    if src_width <= 0 or src_height <= 0:
        raise ValueError("source dimensions must be positive")
    scale = min(Fraction(box_width, src_width), Fraction(box_height, src_height))
    pw = min(box_width, _even_floor(src_width * scale + Fraction(1, 2)))
    ph = min(box_height, _even_floor(src_height * scale + Fraction(1, 2)))
    # Within two pixels of the box is rounding, not letterboxing.
    if box_width - pw <= 2:
        pw = box_width
    if box_height - ph <= 2:
        ph = box_height
    return Geometry(box_width, box_height, pw, ph)


def rung_box(
    ladder: Ladder, rung: Rung, display_width: int, display_height: int
) -> tuple[int, int]:
    """The output box of ``rung`` for a source of this display size: the rung's own, or
    turned portrait for a portrait source under ROTATE_BOX."""
    if display_height > display_width and ladder.portrait is PortraitPolicy.ROTATE_BOX:
        return rung.height, rung.width
    return rung.width, rung.height


def fit_without_upscaling(
    box_width: int, box_height: int, src_width: int, src_height: int
) -> Geometry:
    """MediaConvert's FIT_NO_UPSCALE: shrink the picture until it fits the box, never grow
    it, never pad; the output is the picture."""
    if src_width <= 0 or src_height <= 0:
        raise ValueError("source dimensions must be positive")
    scale = min(Fraction(1), Fraction(box_width, src_width), Fraction(box_height, src_height))
    width = min(box_width, _even_floor(src_width * scale + Fraction(1, 2)))
    height = min(box_height, _even_floor(src_height * scale + Fraction(1, 2)))
    # As in fit_geometry, a shrunk side within two pixels of the box is rounding (16:9 into
    # 854x480 gives 854, not 852).
    if scale < 1 and box_width - width <= 2:
        width = box_width
    if scale < 1 and box_height - height <= 2:
        height = box_height
    return Geometry(width, height, width, height)


def plan_renditions(ladder: Ladder, display_width: int, display_height: int) -> list[RenditionPlan]:
    """The renditions to produce for a source of the given display size.

    ``display_width``/``display_height`` are the source's size as a viewer sees it: after the
    sample aspect ratio is applied and rotation metadata is honoured.
    """
    plans: list[RenditionPlan] = []
    fit = fit_without_upscaling if ladder.upscale is UpscalePolicy.FIT_NO_UPSCALE else fit_geometry
    for rung in ladder.rungs:
        box_w, box_h = rung_box(ladder, rung, display_width, display_height)
        plans.append(RenditionPlan(rung, fit(box_w, box_h, display_width, display_height)))
    if ladder.upscale is UpscalePolicy.DROP:
        kept = [
            p
            for p in plans
            if min(
                Fraction(p.geometry.box_width, display_width),
                Fraction(p.geometry.box_height, display_height),
            )
            <= _UPSCALE_TOLERANCE
        ]
        # Never an empty ladder: the smallest rung always survives.
        plans = kept or [min(plans, key=lambda p: p.rung.height)]
    return plans


def thumbnail_geometry(ladder: Ladder, display_width: int, display_height: int) -> Geometry | None:
    spec = ladder.thumbnails
    if spec is None:
        return None
    portrait = display_height > display_width
    if portrait and ladder.portrait is PortraitPolicy.ROTATE_BOX:
        return fit_geometry(spec.height, spec.width, display_width, display_height)
    return fit_geometry(spec.width, spec.height, display_width, display_height)
