"""The types of a MediaConvert job as the emulator understands it (docs/ARCHITECTURE.md,
"The job model").

A :class:`JobSpec` is MediaConvert's job, not the pipeline's ladder: inputs (with their
clippings and audio and caption selectors), output groups of any type and in any mix
(:data:`OutputGroup` is a union tagged by ``type``), and outputs that each carry a
container, at most one video description and any number of audio and caption
descriptions. Every value is already checked and defaulted as AWS defaults it: whoever
reads a model never looks at Settings again.

Extension points, each a tuple or a union so that adding a kind is adding a type:

* :attr:`Input.clippings`, :attr:`Input.audio_selectors`, :attr:`Input.caption_selectors`;
  several :attr:`JobSpec.inputs` are stitched in order;
* :attr:`Output.audio` (one :class:`AudioDescription` per audio track of the output),
  :attr:`Output.captions` (one :class:`CaptionDescription` per caption track);
* :data:`VideoCodec`, :data:`AudioCodec` and :data:`Container`: unions of settings types;
* :data:`OutputGroup`: ``HlsGroup | FileGroup | CmafGroup | DashIsoGroup``, each with its
  own ``type`` tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from vod_testbed.backends.hls_encryption import HlsEncryption
from vod_testbed.backends.jobmodel.codecs import (
    AudioCodec,
    FrameCapture,
    VideoCodec,
)

# The codecs live in .codecs; re-exported here, where the model's readers import them.
from vod_testbed.backends.jobmodel.inputs import (
    EMBEDDED,
    AudioSelectorGroup,
    AutomatedAbr,
    InsertedImage,
    LoudnessSettings,
    Remix,
)
from vod_testbed.backends.ladder import RotatePolicy, UpscalePolicy
from vod_testbed.backends.trickplay import TrickPlay

# -- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Clipping:
    """One ``InputClipping``: MediaConvert timecodes ``HH:MM:SS:FF``; None is the input's
    start (or end)."""

    start_timecode: str | None = None
    end_timecode: str | None = None


@dataclass(frozen=True)
class AudioSelector:
    """One named ``AudioSelector``: which audio of the input it picks.

    ``tracks`` are 1-based track numbers (``TRACK``/``STREAM`` selectors); ``pids`` and
    ``language`` select by PID or language code; ``external_file`` is an
    ``ExternalAudioFileInput``. ``default`` is ``DefaultSelection: DEFAULT``.
    """

    name: str
    tracks: tuple[int, ...] = (1,)
    pids: tuple[int, ...] = ()
    language: str | None = None
    external_file: str | None = None
    offset_ms: int = 0
    default: bool = False
    remix: Remix | None = None


@dataclass(frozen=True)
class CaptionSelector:
    """One named ``CaptionSelector``: a sidecar file (``SRT``, ``WEBVTT``, ``SCC``) or the
    captions embedded in the input (``EMBEDDED``)."""

    name: str
    source_type: str
    file: str | None = None
    time_delta_ms: int = 0
    language: str | None = None


@dataclass(frozen=True)
class InputFilters:
    """Input preprocessing: MediaConvert's deinterlacer (``DeinterlaceMode``) and noise
    reducer (``NoiseReducerFilter``), None when off."""

    deinterlace: str | None = None
    noise_reducer: str | None = None


@dataclass(frozen=True)
class Input:
    """One input: an ``s3://`` object, what is cut from it, and what is selected in it."""

    uri: str
    clippings: tuple[Clipping, ...] = ()
    rotate: RotatePolicy = RotatePolicy.NONE
    audio_selectors: tuple[AudioSelector, ...] = ()
    caption_selectors: tuple[CaptionSelector, ...] = ()
    filters: InputFilters = field(default_factory=InputFilters)
    # The input's clock (clippings and inserted images): TimecodeSource, TimecodeStart.
    timecode_source: str = EMBEDDED
    timecode_start: str | None = None
    audio_selector_groups: tuple[AudioSelectorGroup, ...] = ()
    images: tuple[InsertedImage, ...] = ()  # ImageInserter on the input, bottom layer first


# -- outputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VideoPreprocessors:
    """An output's ``VideoPreprocessors``: the deinterlacer's mode (``DEINTERLACE``,
    ``INVERSE_TELECINE``, ``ADAPTIVE``) and the noise reducer's filter, None when off.
    Extension point for image inserters and timecode burn-in."""

    deinterlace: str | None = None
    # Deinterlacer.Control FORCE_ALL_FRAMES: every frame, flagged interlaced or not.
    deinterlace_all_frames: bool = False
    noise_reducer: str | None = None
    # ImageInserter, on the job's clock (TimecodeConfig), bottom layer first.
    images: tuple[InsertedImage, ...] = ()


@dataclass(frozen=True)
class VideoDescription:
    """The output picture: its box (None: the source's size), codec and preprocessors."""

    codec: VideoCodec
    width: int | None = None
    height: int | None = None
    scaling: UpscalePolicy = UpscalePolicy.UPSCALE
    preprocessors: VideoPreprocessors = field(default_factory=VideoPreprocessors)


@dataclass(frozen=True)
class AudioDescription:
    """One audio track of an output, taken from the input's selector ``selector``.

    Extension point for remixing and loudness (``RemixSettings``,
    ``AudioNormalizationSettings``) and rendition groups (``audio_group_id``).
    """

    codec: AudioCodec
    selector: str = "Audio Selector 1"
    language: str | None = None
    stream_name: str | None = None
    remix: Remix | None = None
    loudness: LoudnessSettings | None = None


@dataclass(frozen=True)
class CaptionDescription:
    """One caption track of an output, from the caption selector ``selector``;
    ``destination`` is MediaConvert's ``DestinationType`` (``WEBVTT``, ``SRT``,
    ``BURN_IN`` ...)."""

    selector: str
    destination: str
    language: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class M3u8:
    # HlsSettings.IFrameOnlyManifest INCLUDE: an I-frame-only playlist beside the rendition's.
    iframe_only: bool = False
    container: Literal["M3U8"] = "M3U8"


@dataclass(frozen=True)
class Mp4:
    # MoovPlacement: PROGRESSIVE_DOWNLOAD (the default) puts the moov first.
    moov_first: bool = True
    container: Literal["MP4"] = "MP4"


@dataclass(frozen=True)
class Raw:
    """No container: the codec's own file (JPEG frames, MP3, WAV)."""

    container: Literal["RAW"] = "RAW"


@dataclass(frozen=True)
class Cmfc:
    """A CMAF track (``CMFC``): fragmented MP4 segments behind one init segment."""

    # CmfcSettings.IFrameOnlyManifest INCLUDE: an I-frame-only HLS playlist beside it.
    iframe_only: bool = False
    # CmfcSettings.AudioGroupId of an audio track: its HLS rendition group.
    audio_group: str = "program_audio"
    container: Literal["CMFC"] = "CMFC"


@dataclass(frozen=True)
class Mpd:
    """A DASH ISO track (``MPD``): fragmented MP4 segments behind one init segment."""

    container: Literal["MPD"] = "MPD"


Container = M3u8 | Mp4 | Raw | Cmfc | Mpd


@dataclass(frozen=True)
class AudioRenditionSettings:
    """An audio-only HLS output that is an alternate audio rendition of a video group
    (``HlsSettings``): an ``EXT-X-MEDIA:TYPE=AUDIO`` of group ``group_id`` whose DEFAULT and
    AUTOSELECT follow ``track_type`` (``ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT``,
    ``ALTERNATE_AUDIO_AUTO_SELECT``, ``ALTERNATE_AUDIO_NOT_AUTO_SELECT``); docs/audio-groups.md."""

    group_id: str = "program_audio"
    track_type: str = "ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT"

    @property
    def default(self) -> bool:
        return self.track_type == "ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT"

    @property
    def autoselect(self) -> bool:
        return self.track_type != "ALTERNATE_AUDIO_NOT_AUTO_SELECT"


@dataclass(frozen=True)
class Output:
    """One output of a group. ``name_modifier`` and ``extension`` name its files
    (:mod:`.names`)."""

    container: Container
    name_modifier: str = ""
    extension: str | None = None
    video: VideoDescription | None = None
    audio: tuple[AudioDescription, ...] = ()
    captions: tuple[CaptionDescription, ...] = ()
    # HlsSettings.SegmentModifier, format identifiers unresolved (they depend on when each
    # segment is completed).
    segment_modifier: str = ""
    # An audio-only HLS output in a group with video: its audio rendition group, or None
    # for a variant of its own (AUDIO_ONLY_VARIANT_STREAM).
    audio_rendition: AudioRenditionSettings | None = None
    # A video HLS output's AudioRenditionSets: the audio groups its variants name; empty
    # is AWS's default, program_audio.
    audio_rendition_sets: tuple[str, ...] = ()

    @property
    def is_frame_capture(self) -> bool:
        return self.video is not None and isinstance(self.video.codec, FrameCapture)


# -- output groups ------------------------------------------------------------------------


@dataclass(frozen=True)
class HlsGroup:
    """``HLS_GROUP_SETTINGS``: one multivariant playlist over its outputs' variants."""

    # folder/base, the base already resolved (vod_testbed.backends.naming.destination_base)
    destination: str
    outputs: tuple[Output, ...]
    segment_seconds: int = 10
    integer_durations: bool = False
    # TargetDurationCompatibilityMode LEGACY (MediaConvert's default): rounded up.
    round_target_duration_up: bool = False
    # SegmentLengthControl GOP_MULTIPLE: each segment rounded up to the next GOP boundary
    # (EXACT, the default, cuts at segment_seconds).
    gop_multiple_segments: bool = False
    # AutomatedEncodingSettings: the first output is the base of a ladder chosen per job.
    automated_abr: AutomatedAbr | None = None
    # ImageBasedTrickPlay: JPEG tiles and their image playlists (backends/trickplay.py).
    trick_play: TrickPlay | None = None
    # Encryption with a static key (docs/encryption.md); None: clear segments.
    encryption: HlsEncryption | None = None
    type: Literal["HLS_GROUP"] = "HLS_GROUP"

    @property
    def iframe_modifiers(self) -> frozenset[str]:
        """Name modifiers of the outputs that want an I-frame-only playlist."""
        return frozenset(
            o.name_modifier
            for o in self.outputs
            if isinstance(o.container, M3u8) and o.container.iframe_only
        )


@dataclass(frozen=True)
class FileGroup:
    """``FILE_GROUP_SETTINGS``: each output is a standalone file (or a frame sequence)."""

    destination: str
    outputs: tuple[Output, ...]
    type: Literal["FILE_GROUP"] = "FILE_GROUP"


@dataclass(frozen=True)
class MpdOptions:
    """What the DASH manifest of a CMAF or DASH ISO group says: ``MinBufferTime``,
    ``MpdManifestBandwidthType`` MAX (peak) or AVERAGE, and whether each representation has
    a SegmentTimeline (``WriteSegmentTimelineInRepresentation``)."""

    min_buffer_ms: int = 30_000
    peak_bandwidth: bool = True
    segment_timeline: bool = False


@dataclass(frozen=True)
class CmafGroup:
    """``CMAF_GROUP_SETTINGS``: one set of fMP4 segments per output (one video or one audio
    track each), an HLS and a DASH manifest over them (docs/jobs.md, "CMAF and DASH")."""

    destination: str
    outputs: tuple[Output, ...]
    segment_seconds: int = 10
    fragment_seconds: int = 2
    write_hls: bool = True
    write_dash: bool = True
    integer_durations: bool = False
    round_target_duration_up: bool = True
    mpd: MpdOptions = field(default_factory=MpdOptions)
    type: Literal["CMAF_GROUP"] = "CMAF_GROUP"


@dataclass(frozen=True)
class DashIsoGroup:
    """``DASH_ISO_GROUP_SETTINGS``: fMP4 segments per output and one MPD whose video and
    audio are separate adaptation sets."""

    destination: str
    outputs: tuple[Output, ...]
    segment_seconds: int = 30
    fragment_seconds: int = 2
    mpd: MpdOptions = field(default_factory=MpdOptions)
    type: Literal["DASH_ISO_GROUP"] = "DASH_ISO_GROUP"


StreamingGroup = CmafGroup | DashIsoGroup
OutputGroup = HlsGroup | FileGroup | CmafGroup | DashIsoGroup


@dataclass(frozen=True)
class JobSpec:
    """A whole job: its inputs, stitched in order, and its output groups, in order.

    ``warnings`` are the approximations the reader of the Settings made, as
    (code, message) pairs; the job reports each as a warning.
    """

    inputs: tuple[Input, ...]
    output_groups: tuple[OutputGroup, ...]
    user_metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[tuple[int, str], ...] = ()
    # TimecodeConfig: the output timeline's clock (output inserted images), and its start.
    timecode_source: str = EMBEDDED
    timecode_start: str | None = None
