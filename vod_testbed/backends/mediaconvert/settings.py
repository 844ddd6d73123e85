"""The ladder <-> MediaConvert job ``Settings`` contract (DESIGN contract 1).

:func:`render_job_settings` turns a :class:`~backends.job.JobRequest` into the ``Settings``
of a CreateJob call (PascalCase, as boto3 takes them); :func:`parse_job_settings` turns the
``settings`` of a CreateJob request body (camelCase, as they travel on the wire) back into a
``JobRequest``. Round-tripping a ladder gives the same ladder.

Parsing honours what it reads. A setting the ladder cannot express is refused with a
:class:`SettingsError` that names it with the AWS-style JSON pointer
(``/outputGroups/1/outputs/0/containerSettings/container: ...``); it is never dropped
silently. :data:`SETTINGS_COVERAGE` lists every setting that is accepted, and whether it is
honoured, accepted and ignored (encoder internals, metadata), or approximated; anything not
listed there is refused.

Case conversion (:func:`to_wire_case`, :func:`from_wire_case`) follows botocore's service
model, so user-defined map keys (audio selector names, ``userMetadata``) keep their spelling.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    AudioSpec,
    Ladder,
    PortraitPolicy,
    RateControl,
    Rung,
    ThumbnailSpec,
    UpscalePolicy,
    plan_renditions,
    thumbnail_geometry,
)

# MediaConvert documents no warning code for the conditions below; 0 is the code its own
# NEW_WARNING examples carry ("000000").
EMULATION_WARNING = 0

AUDIO_SELECTOR = "Audio Selector 1"

# AacSettings.Bitrate: "The set of valid values for this setting is: ..." (service model).
AAC_BITRATES = frozenset(
    {
        6000, 8000, 10000, 12000, 14000, 16000, 20000, 24000, 28000, 32000, 40000, 48000,
        56000, 64000, 80000, 96000, 112000, 128000, 160000, 192000, 224000, 256000, 288000,
        320000, 384000, 448000, 512000, 576000, 640000, 768000, 896000, 1024000,
    }
)  # fmt: skip
# MediaConvert's AAC sample rates (user guide, "AAC support").
AAC_SAMPLE_RATES = frozenset({8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000})
_CODING_MODE_CHANNELS = {"CODING_MODE_1_0": 1, "CODING_MODE_2_0": 2}
_PROFILES = {"HIGH": "high", "MAIN": "main", "BASELINE": "baseline"}
_GROUP_TYPES = ("HLS_GROUP_SETTINGS", "FILE_GROUP_SETTINGS")
_SCALING = {"DEFAULT": UpscalePolicy.UPSCALE, "FIT_NO_UPSCALE": UpscalePolicy.DROP}
# gopSizeUnits FRAMES is converted with the first of these rates that gives whole seconds.
_NOMINAL_FRAME_RATES = (30, 25, 24, 60, 50)


class SettingsError(Exception):
    """A job setting the emulator cannot honour, or an invalid one.

    ``path`` is a JSON pointer into the wire ``settings`` (``/outputGroups/0/outputs/0``),
    as MediaConvert's own validation messages use.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path or "/"
        self.message = message
        super().__init__(f"{self.path}: {message}")


@dataclass(frozen=True)
class ParsedJob:
    """What the emulator runs: the request, plus warnings as (code, message) pairs."""

    request: JobRequest
    warnings: tuple[tuple[int, str], ...] = ()


# --- coverage table ---------------------------------------------------------------------


class Treatment(enum.StrEnum):
    HONOURED = "honoured"  # read, and the output follows it
    IGNORED = "ignored"  # accepted; tunes encoder internals or metadata only
    APPROXIMATED = "approximated"  # accepted; the emulator's behaviour is described in note


@dataclass(frozen=True)
class Coverage:
    """How the emulator treats one setting; ``values`` limits the accepted values."""

    treatment: Treatment
    values: frozenset[Any] | None = None
    note: str = ""


def _h(*values: Any, note: str = "") -> Coverage:
    return Coverage(Treatment.HONOURED, frozenset(values) or None, note)


def _i(*values: Any, note: str = "") -> Coverage:
    return Coverage(Treatment.IGNORED, frozenset(values) or None, note)


def _a(*values: Any, note: str = "") -> Coverage:
    return Coverage(Treatment.APPROXIMATED, frozenset(values) or None, note)


_ENCODER_INTERNAL = "encoder internals; x264 uses its own"

# Shape name -> wire member name -> treatment. Members not listed are refused.
SETTINGS_COVERAGE: dict[str, dict[str, Coverage]] = {
    "JobSettings": {
        "inputs": _h(note="exactly one input"),
        "outputGroups": _h(note="one HLS group, at most one FILE group with a frame capture"),
        "timecodeConfig": _i(note="timecodes are not written into HLS outputs"),
        "adAvailOffset": _i(0),
        "followSource": _i(1, note="there is only one input"),
    },
    "Input": {
        "fileInput": _h(note="s3:// URI (http(s):// inputs are refused)"),
        "audioSelectors": _h(note="exactly one selector; it picks the first audio track"),
        "videoSelector": _h(),
        "timecodeSource": _i(),
        "timecodeStart": _i(),
        "deblockFilter": _i("DISABLED"),
        "denoiseFilter": _i("DISABLED"),
        "filterEnable": _i("AUTO"),
        "filterStrength": _i(),
        "inputScanType": _i("AUTO"),
        "psiControl": _i("USE_PSI"),
    },
    "AudioSelector": {
        "defaultSelection": _i(note="there is only one selector"),
        "selectorType": _h("TRACK", "STREAM", note="only the first track or stream"),
        "tracks": _h((1,), note="only [1]"),
        "streams": _h((1,), note="only [1]"),
        "offset": _h(0),
        "programSelection": _i(),
        "audioDurationCorrection": _i("DISABLED", "AUTO"),
    },
    "VideoSelector": {
        "rotate": _a(
            "AUTO",
            "DEGREE_0",
            note="rotation metadata is always applied, as AUTO does; DEGREE_0 (the "
            "default) differs only for sources that carry rotation metadata",
        ),
        "colorSpace": _i("FOLLOW"),
        "colorSpaceUsage": _i(),
        "sampleRange": _i("FOLLOW"),
        "alphaBehavior": _i("DISCARD"),
        "padVideo": _i("DISABLED"),
        "embeddedTimecodeOverride": _i("NONE"),
        "selectorType": _i("AUTO"),
    },
    "OutputGroup": {
        "name": _i(),
        "customName": _i(),
        "outputGroupSettings": _h(),
        "outputs": _h(),
    },
    "OutputGroupSettings": {
        "type": _h(*_GROUP_TYPES),
        "hlsGroupSettings": _h(),
        "fileGroupSettings": _h(),
    },
    "HlsGroupSettings": {
        "destination": _h(note="a trailing slash takes the base name from the input file"),
        "segmentLength": _h(note="default 10"),
        "segmentControl": _h("SEGMENTED_FILES"),
        "manifestDurationFormat": _h(note="INTEGER -> integer EXTINF"),
        "minSegmentLength": _h(note="only acts around ad avails, which are refused"),
        "directoryStructure": _h("SINGLE_DIRECTORY"),
        "outputSelection": _h("MANIFESTS_AND_SEGMENTS"),
        "programDateTime": _h("EXCLUDE"),
        "programDateTimePeriod": _i(),
        "streamInfResolution": _h("INCLUDE"),
        "codecSpecification": _i(),
        "clientCache": _h("ENABLED"),
        "manifestCompression": _h("NONE"),
        "segmentLengthControl": _a(
            "EXACT", "GOP_MULTIPLE", note="segments are cut on GOPs that divide segmentLength"
        ),
        "targetDurationCompatibilityMode": _a(note="EXT-X-TARGETDURATION is FFmpeg's rounding"),
        "progressiveWriteHlsManifest": _i(note="final playlists are identical"),
        "captionLanguageSetting": _i("OMIT", "NONE"),
        "captionSegmentLengthControl": _i(),
        "audioOnlyHeader": _i(),
        "timedMetadataId3Frame": _i(),
        "timedMetadataId3Period": _i(),
        "imageBasedTrickPlay": _i("NONE"),
        "minFinalSegmentLength": _h(0, 0.0),
        "adMarkers": _i((), note="only an empty list"),
        "destinationSettings": _i(note="S3 ACL, storage class and encryption of the objects"),
    },
    "FileGroupSettings": {
        "destination": _h(note="a trailing slash takes the base name from the input file"),
        "destinationSettings": _i(note="S3 ACL, storage class and encryption of the objects"),
    },
    "Output": {
        "nameModifier": _h(note="must start with '_'; the rung name is the rest"),
        "containerSettings": _h(note="M3U8 in the HLS group, RAW for frame captures"),
        "outputSettings": _h(),
        "videoDescription": _h(),
        "audioDescriptions": _h(
            note="one AAC description per HLS output, or none in any (video only)"
        ),
        "extension": _h("jpg", note="frame captures only"),
    },
    "ContainerSettings": {
        "container": _h("M3U8", "RAW"),
        "m3u8Settings": _i(note="transport stream muxer internals (PIDs, PCR, intervals)"),
    },
    "OutputSettings": {"hlsSettings": _h()},
    "HlsSettings": {
        "iFrameOnlyManifest": _h("EXCLUDE"),
        "audioGroupId": _i(note="audio is muxed into every rendition"),
        "audioOnlyContainer": _i(),
        "audioRenditionSets": _i(),
        "descriptiveVideoServiceFlag": _i("DONT_FLAG"),
        "segmentModifier": _h("", note="only empty"),
    },
    "VideoDescription": {
        "width": _h(note="required, even for H.264"),
        "height": _h(note="required, even for H.264"),
        "scalingBehavior": _h(
            "DEFAULT", "FIT_NO_UPSCALE", note="DEFAULT -> pad; FIT_NO_UPSCALE -> drop rungs"
        ),
        "codecSettings": _h(),
        "antiAlias": _i(note="scaler filter choice"),
        "sharpness": _i(note="scaler filter choice"),
        "afdSignaling": _i("NONE"),
        "respondToAfd": _i("NONE"),
        "colorMetadata": _i(),
        "chromaPositionMode": _i("AUTO"),
        "dropFrameTimecode": _i(),
        "timecodeInsertion": _i("DISABLED"),
        "timecodeTrack": _i("DISABLED"),
    },
    "VideoCodecSettings": {
        "codec": _h("H_264", "FRAME_CAPTURE"),
        "h264Settings": _h(),
        "frameCaptureSettings": _h(),
    },
    "H264Settings": {
        "rateControlMode": _h(note="required: the service model documents no default"),
        "bitrate": _h(note="CBR and VBR"),
        "maxBitrate": _h(note="VBR cap and QVBR cap"),
        "qvbrSettings": _h(),
        "codecProfile": _h(*_PROFILES, note="default MAIN, the console's default"),
        "gopSize": _h(),
        "gopSizeUnits": _a(
            note="SECONDS honoured; FRAMES converted at a nominal rate; AUTO -> 2 s when it "
            "divides segmentLength, else 1 s"
        ),
        "framerateControl": _i("INITIALIZE_FROM_SOURCE"),
        "interlaceMode": _i("PROGRESSIVE"),
        "parControl": _a("INITIALIZE_FROM_SOURCE", note="outputs always have square pixels"),
        "codecLevel": _i(),
        "qualityTuningLevel": _i(note=_ENCODER_INTERNAL),
        "sceneChangeDetect": _i(note=_ENCODER_INTERNAL),
        "gopClosedCadence": _i(note="GOPs are always closed"),
        "gopBReference": _i(note=_ENCODER_INTERNAL),
        "numberBFramesBetweenReferenceFrames": _i(note=_ENCODER_INTERNAL),
        "numberReferenceFrames": _i(note=_ENCODER_INTERNAL),
        "minIInterval": _i(note=_ENCODER_INTERNAL),
        "dynamicSubGop": _i(note=_ENCODER_INTERNAL),
        "adaptiveQuantization": _i(note=_ENCODER_INTERNAL),
        "spatialAdaptiveQuantization": _i(note=_ENCODER_INTERNAL),
        "temporalAdaptiveQuantization": _i(note=_ENCODER_INTERNAL),
        "flickerAdaptiveQuantization": _i(note=_ENCODER_INTERNAL),
        "entropyEncoding": _i(note=_ENCODER_INTERNAL),
        "slices": _i(note=_ENCODER_INTERNAL),
        "softness": _i(note=_ENCODER_INTERNAL),
        "repeatPps": _i(note=_ENCODER_INTERNAL),
        "hrdBufferSize": _a(note="the VBV buffer is 1.5 s of the rung's average bitrate"),
        "hrdBufferInitialFillPercentage": _i(note=_ENCODER_INTERNAL),
        "hrdBufferFinalFillPercentage": _i(note=_ENCODER_INTERNAL),
        "endOfStreamMarkers": _i(),
        "unregisteredSeiTimecode": _i("DISABLED"),
        "framerateConversionAlgorithm": _i(note="frame rate conversion is FFmpeg's fps filter"),
        "scanTypeConversionMode": _i("INTERLACED"),
        "slowPal": _i("DISABLED"),
        "telecine": _i("NONE"),
        "syntax": _i("DEFAULT"),
        "fieldEncoding": _i("PAFF"),
        "writeMp4PackagingType": _i(note="MP4 packaging only"),
    },
    "H264QvbrSettings": {
        "qvbrQualityLevel": _h(note="1..10; mapped onto x264 CRF"),
        "qvbrQualityLevelFineTune": _a(note="rounded away"),
        "maxAverageBitrate": _i(note="multi-pass only"),
    },
    "FrameCaptureSettings": {
        "framerateNumerator": _h(note="denominator / numerator must be whole seconds"),
        "framerateDenominator": _h(),
        "maxCaptures": _h(),
        "quality": _h(),
    },
    "AudioDescription": {
        "audioSourceName": _h(note="must name the input's audio selector"),
        "codecSettings": _h(),
        "audioTypeControl": _i(),
        "audioType": _i(),
        "languageCodeControl": _i(),
        "languageCode": _i(),
        "customLanguageCode": _i(),
        "streamName": _i(),
    },
    "AudioCodecSettings": {"codec": _h("AAC"), "aacSettings": _h()},
    "AacSettings": {
        "bitrate": _h(note="required (its default depends on profile and mode); from the set"),
        "sampleRate": _h(*AAC_SAMPLE_RATES, note="default 48000"),
        "codingMode": _h(*_CODING_MODE_CHANNELS, note="default CODING_MODE_2_0"),
        "codecProfile": _h("LC"),
        "rateControlMode": _h("CBR"),
        "specification": _h("MPEG4"),
        "rawFormat": _i("NONE"),
        "audioDescriptionBroadcasterMix": _i("NORMAL"),
    },
}


def coverage_markdown() -> str:
    """:data:`SETTINGS_COVERAGE` as a Markdown table (for the emulator's COVERAGE.md)."""
    lines = ["| shape | setting | treatment | accepted values | note |", "|---|---|---|---|---|"]
    for shape, members in SETTINGS_COVERAGE.items():
        for member, cov in members.items():
            values = ", ".join(sorted(map(str, cov.values))) if cov.values else "any"
            lines.append(f"| {shape} | `{member}` | {cov.treatment} | {values} | {cov.note} |")
    return "\n".join(lines) + "\n"


# --- botocore model: case conversion and validation --------------------------------------


@functools.cache
def _service_model() -> Any:
    return botocore.session.get_session().get_service_model("mediaconvert")


def _shape(name: str) -> Shape:
    shape: Shape = _service_model().shape_for(name)
    return shape


def _wire_name(shape: StructureShape, member: str) -> str:
    return str(shape.members[member].serialization.get("name", member))


@functools.cache
def _wire_members(shape: StructureShape) -> dict[str, str]:
    """wire name -> member name of a structure."""
    return {_wire_name(shape, m): m for m in shape.members}


def _convert(value: Any, shape: Shape, to_wire: bool) -> Any:
    if isinstance(shape, StructureShape) and isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            member = key if to_wire else _wire_members(shape).get(key)
            if member not in shape.members:
                # Unknown keys pass through unchanged so that validation can name them.
                out[key] = item
                continue
            name = _wire_name(shape, member) if to_wire else member
            out[name] = _convert(item, shape.members[member], to_wire)
        return out
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_convert(item, shape.member, to_wire) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, Mapping):
        # Map keys are user data ("Audio Selector 1"): never transformed.
        return {key: _convert(item, shape.value, to_wire) for key, item in value.items()}
    return value


def to_wire_case(value: Mapping[str, Any], shape: str = "JobSettings") -> dict[str, Any]:
    """boto3's PascalCase form of a model shape -> the camelCase wire form."""
    converted: dict[str, Any] = _convert(value, _shape(shape), to_wire=True)
    return converted


def from_wire_case(value: Mapping[str, Any], shape: str = "JobSettings") -> dict[str, Any]:
    """The camelCase wire form of a model shape -> boto3's PascalCase form."""
    converted: dict[str, Any] = _convert(value, _shape(shape), to_wire=False)
    return converted


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "double": (int, float),
    "float": (int, float),
    "boolean": (bool,),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
}


def _validate(value: Any, shape: Shape, path: str) -> None:
    """Type, range and enum checks from the service model, as MediaConvert validates."""
    kind = shape.type_name
    expected = _JSON_TYPES.get(kind)
    if expected is not None and (
        not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool))
    ):
        raise SettingsError(path, f"Should be of type {kind}")
    meta = shape.metadata
    if kind in ("integer", "long", "double", "float"):
        if "min" in meta and value < meta["min"]:
            raise SettingsError(path, f"Should be greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            raise SettingsError(path, f"Should be less than or equal to {meta['max']}")
    elif kind == "string":
        enum_values = meta.get("enum")
        if enum_values and value not in enum_values:
            allowed = ", ".join(enum_values)
            raise SettingsError(path, f"Should be equal to one of the allowed values: {allowed}")
    elif isinstance(shape, StructureShape):
        members = _wire_members(shape)
        for key, item in value.items():
            if key not in members:
                raise SettingsError(f"{path}/{key}", "is not a MediaConvert setting")
            _validate(item, shape.members[members[key]], f"{path}/{key}")
    elif isinstance(shape, ListShape):
        for index, item in enumerate(value):
            _validate(item, shape.member, f"{path}/{index}")
    elif isinstance(shape, MapShape):
        for key, item in value.items():
            _validate(item, shape.value, f"{path}/{key}")


# --- parsing ------------------------------------------------------------------------------


def _check_supported(obj: Mapping[str, Any], shape: str, path: str) -> None:
    """Refuse any member of ``obj`` that SETTINGS_COVERAGE does not accept."""
    table = SETTINGS_COVERAGE[shape]
    for key, value in obj.items():
        cov = table.get(key)
        where = f"{path}/{key}"
        if cov is None:
            raise SettingsError(where, f"{key} is not supported by the emulator")
        if cov.values is not None:
            probe = tuple(value) if isinstance(value, list) else value
            if not isinstance(probe, Hashable) or probe not in cov.values:
                accepted = ", ".join(sorted(map(repr, cov.values)))
                raise SettingsError(
                    where, f"{value!r} is not supported by the emulator (accepted: {accepted})"
                )


def _is_location(uri: str) -> bool:
    # As on AWS, inputs and destinations are S3 objects: never paths on the emulator's host.
    return uri.startswith("s3://") and len(uri) > len("s3://")


@dataclass
class _Video:
    width: int
    height: int
    upscale: UpscalePolicy


@dataclass
class _Audio:
    bitrate: int
    spec: AudioSpec


@dataclass
class _HlsGroup:
    destination: str
    segment_seconds: int
    integer_durations: bool
    rungs: tuple[Rung, ...]
    upscale: UpscalePolicy
    gop_seconds: int
    audio: AudioSpec | None


@dataclass
class _Parser:
    settings: Mapping[str, Any]
    warnings: list[tuple[int, str]] = field(default_factory=list)
    input_uri: str = ""
    selectors: tuple[str, ...] = ()

    def warn(self, path: str, message: str) -> None:
        self.warnings.append((EMULATION_WARNING, f"{path}: {message}"))

    # The whole job --------------------------------------------------------------------

    def parse(self, user_metadata: Mapping[str, str] | None) -> ParsedJob:
        if not isinstance(self.settings, Mapping):
            raise SettingsError("/", "settings must be an object")
        _validate(self.settings, _shape("JobSettings"), "")
        _check_supported(self.settings, "JobSettings", "")
        self.parse_inputs(self.settings.get("inputs") or [])
        groups = self.settings.get("outputGroups") or []
        hls_index, file_index = self.classify_groups(groups)
        hls = self.parse_hls_group(groups[hls_index], f"/outputGroups/{hls_index}")
        thumbnails: ThumbnailSpec | None = None
        if file_index is None:
            thumbnail_destination = _default_thumbnail_destination(hls.destination)
        else:
            thumbnail_destination, thumbnails = self.parse_frame_capture_group(
                groups[file_index], f"/outputGroups/{file_index}"
            )
        try:
            ladder = Ladder(
                rungs=hls.rungs,
                segment_seconds=hls.segment_seconds,
                gop_seconds=hls.gop_seconds,
                audio=hls.audio,
                thumbnails=thumbnails,
                upscale=hls.upscale,
                integer_durations=hls.integer_durations,
            )
        except ValueError as exc:
            raise SettingsError(f"/outputGroups/{hls_index}", str(exc)) from exc
        request = JobRequest(
            input_uri=self.input_uri,
            hls_destination=hls.destination,
            thumbnail_destination=thumbnail_destination,
            ladder=ladder,
            user_metadata=dict(user_metadata or {}),
        )
        return ParsedJob(request=request, warnings=tuple(self.warnings))

    def parse_inputs(self, inputs: list[dict[str, Any]]) -> None:
        if len(inputs) != 1:
            raise SettingsError(
                "/inputs", f"exactly one input is supported by the emulator (got {len(inputs)})"
            )
        path = "/inputs/0"
        source = inputs[0]
        _check_supported(source, "Input", path)
        uri = source.get("fileInput")
        if not uri:
            raise SettingsError(path, "fileInput is a required property")
        if not _is_location(uri):
            raise SettingsError(f"{path}/fileInput", "only s3:// inputs are supported")
        self.input_uri = uri
        _check_supported(
            source.get("videoSelector") or {}, "VideoSelector", f"{path}/videoSelector"
        )
        selectors = source.get("audioSelectors") or {}
        if len(selectors) > 1:
            raise SettingsError(
                f"{path}/audioSelectors", "only one audio selector is supported by the emulator"
            )
        for name, selector in selectors.items():
            _check_supported(selector, "AudioSelector", f"{path}/audioSelectors/{name}")
        self.selectors = tuple(selectors)

    def classify_groups(self, groups: list[dict[str, Any]]) -> tuple[int, int | None]:
        hls: list[int] = []
        files: list[int] = []
        for index, group in enumerate(groups):
            path = f"/outputGroups/{index}"
            _check_supported(group, "OutputGroup", path)
            ogs = group.get("outputGroupSettings")
            if ogs is None:
                raise SettingsError(path, "outputGroupSettings is a required property")
            kind = ogs.get("type")
            if kind not in _GROUP_TYPES:
                raise SettingsError(
                    f"{path}/outputGroupSettings/type",
                    f"{kind} output groups are not supported by the emulator",
                )
            _check_supported(ogs, "OutputGroupSettings", f"{path}/outputGroupSettings")
            if not group.get("outputs"):
                raise SettingsError(f"{path}/outputs", "Should have at least 1 items")
            if kind == "FILE_GROUP_SETTINGS":
                # Name a file output's container first: it is what a reader needs to know.
                for i, output in enumerate(group["outputs"]):
                    container = (output.get("containerSettings") or {}).get("container")
                    if container != "RAW":
                        raise SettingsError(
                            f"{path}/outputs/{i}/containerSettings/container",
                            f"{container} file outputs are not supported by the emulator "
                            "(file groups may hold only a RAW frame capture)",
                        )
            (hls if kind == "HLS_GROUP_SETTINGS" else files).append(index)
        if not hls:
            raise SettingsError("/outputGroups", "an HLS output group is required")
        if len(hls) > 1:
            raise SettingsError(
                f"/outputGroups/{hls[1]}", "only one HLS output group is supported by the emulator"
            )
        if len(files) > 1:
            raise SettingsError(
                f"/outputGroups/{files[1]}",
                "only one file output group (the frame capture) is supported by the emulator",
            )
        return hls[0], (files[0] if files else None)

    def destination(self, settings: Mapping[str, Any], path: str) -> str:
        value = settings.get("destination")
        if not value:
            raise SettingsError(path, "destination is a required property")
        if not _is_location(value) or "$" in value:
            raise SettingsError(
                f"{path}/destination",
                "must be an s3:// URI without format identifiers",
            )
        folder, base = naming.destination_base(value, self.input_uri)
        return f"{folder}/{base}"

    # The HLS group --------------------------------------------------------------------

    def parse_hls_group(self, group: Mapping[str, Any], path: str) -> _HlsGroup:
        gpath = f"{path}/outputGroupSettings/hlsGroupSettings"
        hls = group["outputGroupSettings"].get("hlsGroupSettings")
        if hls is None:
            raise SettingsError(
                f"{path}/outputGroupSettings", "hlsGroupSettings is a required property"
            )
        _check_supported(hls, "HlsGroupSettings", gpath)
        destination = self.destination(hls, gpath)
        segment_seconds = int(hls.get("segmentLength", 10))
        integer_durations = hls.get("manifestDurationFormat", "FLOATING_POINT") == "INTEGER"
        outputs = group["outputs"]
        rungs: list[Rung] = []
        policies: list[UpscalePolicy] = []
        gops: list[int] = []
        audios: list[AudioSpec | None] = []
        modifiers: set[str] = set()
        for index, output in enumerate(outputs):
            opath = f"{path}/outputs/{index}"
            _check_supported(output, "Output", opath)
            if "extension" in output:
                raise SettingsError(f"{opath}/extension", "only frame captures take an extension")
            name = self.rung_name(output, opath, len(outputs), modifiers)
            self.hls_container(output, opath)
            video = self.video_box(output, opath, h264=True)
            h264 = output["videoDescription"]["codecSettings"].get("h264Settings") or {}
            hpath = f"{opath}/videoDescription/codecSettings/h264Settings"
            rung_video = self.h264(h264, hpath)
            gop = self.gop_seconds(h264, hpath, segment_seconds)
            if gops and gop != gops[0]:
                raise SettingsError(
                    f"{hpath}/gopSize",
                    f"every output of the HLS group needs the same GOP ({gops[0]} s in output 0, "
                    f"{gop} s here)",
                )
            audio = self.audio(output, opath)
            spec = audio.spec if audio else None
            if audios and (spec is None) != (audios[0] is None):
                raise SettingsError(
                    f"{opath}/audioDescriptions",
                    "every output of the HLS group needs audio, or none does",
                )
            if audios and spec != audios[0]:
                raise SettingsError(
                    f"{opath}/audioDescriptions/0/codecSettings/aacSettings",
                    "sample rate, coding mode and profile must be the same in every output",
                )
            if policies and video.upscale is not policies[0]:
                raise SettingsError(
                    f"{opath}/videoDescription/scalingBehavior",
                    "every output of the HLS group needs the same scalingBehavior",
                )
            gops.append(gop)
            audios.append(spec)
            policies.append(video.upscale)
            rungs.append(
                Rung(
                    name=name,
                    width=video.width,
                    height=video.height,
                    audio_bitrate=audio.bitrate if audio else Rung.audio_bitrate,
                    **rung_video,
                )
            )
        return _HlsGroup(
            destination=destination,
            segment_seconds=segment_seconds,
            integer_durations=integer_durations,
            rungs=tuple(rungs),
            upscale=policies[0],
            gop_seconds=gops[0],
            audio=audios[0],
        )

    def rung_name(self, output: Mapping[str, Any], path: str, count: int, seen: set[str]) -> str:
        modifier = output.get("nameModifier")
        if modifier is None:
            # One output without a modifier would write its variant playlist over the
            # multivariant one; MediaConvert requires modifiers with several outputs.
            reason = (
                "is required when the group has several outputs"
                if count > 1
                else ("is required by the emulator: the rung name comes from it")
            )
            raise SettingsError(path, f"nameModifier {reason}")
        if not modifier.startswith("_") or len(modifier) < 2:
            raise SettingsError(
                f"{path}/nameModifier",
                f"{modifier!r}: the emulator needs modifiers of the form '_<rung name>' "
                "(the ladder derives file names as base + '_' + rung name)",
            )
        if "$" in modifier or "/" in modifier:
            raise SettingsError(
                f"{path}/nameModifier", "format identifiers and '/' are not supported"
            )
        if modifier in seen:
            raise SettingsError(
                f"{path}/nameModifier", f"{modifier!r} is used by another output of the group"
            )
        seen.add(modifier)
        return modifier[1:]

    def hls_container(self, output: Mapping[str, Any], path: str) -> None:
        container_settings = output.get("containerSettings")
        if container_settings is None:
            raise SettingsError(path, "containerSettings is a required property")
        cpath = f"{path}/containerSettings"
        _check_supported(container_settings, "ContainerSettings", cpath)
        if container_settings.get("container") != "M3U8":
            raise SettingsError(f"{cpath}/container", "HLS outputs must use the M3U8 container")
        output_settings = output.get("outputSettings") or {}
        _check_supported(output_settings, "OutputSettings", f"{path}/outputSettings")
        _check_supported(
            output_settings.get("hlsSettings") or {},
            "HlsSettings",
            f"{path}/outputSettings/hlsSettings",
        )

    def video_box(self, output: Mapping[str, Any], path: str, *, h264: bool) -> _Video:
        vpath = f"{path}/videoDescription"
        video = output.get("videoDescription")
        if video is None:
            raise SettingsError(path, "videoDescription is a required property")
        _check_supported(video, "VideoDescription", vpath)
        for key in ("width", "height"):
            if key not in video:
                raise SettingsError(
                    vpath, f"{key} is required by the emulator: the ladder needs an output box"
                )
            if h264 and video[key] % 2:
                raise SettingsError(f"{vpath}/{key}", "must be even for H.264 4:2:0 outputs")
        codec_settings = video.get("codecSettings")
        if codec_settings is None:
            raise SettingsError(vpath, "codecSettings is a required property")
        _check_supported(codec_settings, "VideoCodecSettings", f"{vpath}/codecSettings")
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
        return _Video(int(video["width"]), int(video["height"]), _SCALING[scaling])

    def h264(self, h264: Mapping[str, Any], path: str) -> dict[str, Any]:
        """The Rung fields carried by H264Settings."""
        _check_supported(h264, "H264Settings", path)
        qvbr = h264.get("qvbrSettings") or {}
        _check_supported(qvbr, "H264QvbrSettings", f"{path}/qvbrSettings")
        if "rateControlMode" not in h264:
            raise SettingsError(
                path,
                "rateControlMode is required by the emulator (MediaConvert's default is "
                "not documented)",
            )
        mode = RateControl(h264["rateControlMode"])
        fields: dict[str, Any] = {
            "profile": _PROFILES[h264.get("codecProfile", "MAIN")],
            "rate_control": mode,
        }
        bitrate, cap = h264.get("bitrate"), h264.get("maxBitrate")
        if mode is RateControl.QVBR:
            if cap is None:
                raise SettingsError(path, "maxBitrate is required when rateControlMode is QVBR")
            if bitrate is not None:
                self.warn(f"{path}/bitrate", "bitrate has no effect with QVBR; maxBitrate caps")
            fields["video_bitrate"], fields["peak_bitrate"] = _from_cap(cap)
            if "qvbrQualityLevel" in qvbr:
                fields["qvbr_quality"] = int(qvbr["qvbrQualityLevel"])
            if qvbr.get("qvbrQualityLevelFineTune"):
                self.warn(
                    f"{path}/qvbrSettings/qvbrQualityLevelFineTune",
                    "fine tuning is rounded away; the quality level alone is used",
                )
            return fields
        if qvbr:
            raise SettingsError(f"{path}/qvbrSettings", "only applies when rateControlMode is QVBR")
        if bitrate is None:
            raise SettingsError(path, f"bitrate is required when rateControlMode is {mode}")
        fields["video_bitrate"] = int(bitrate)
        if mode is RateControl.VBR:
            if cap is None:
                self.warn(
                    path,
                    "VBR without maxBitrate: the emulator caps peaks at 1.07 x bitrate",
                )
            elif cap < bitrate:
                raise SettingsError(f"{path}/maxBitrate", "must not be below bitrate")
            else:
                fields["peak_bitrate"] = _peak_or_default(int(bitrate), int(cap))
        elif cap is not None:
            self.warn(f"{path}/maxBitrate", "maxBitrate has no effect with CBR")
        return fields

    def gop_seconds(self, h264: Mapping[str, Any], path: str, segment_seconds: int) -> int:
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
                    self.warn(
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

    def audio(self, output: Mapping[str, Any], path: str) -> _Audio | None:
        """The output's AAC audio; None for a video-only output."""
        descriptions = output.get("audioDescriptions") or []
        if not descriptions:
            return None
        if len(descriptions) > 1:
            raise SettingsError(
                f"{path}/audioDescriptions/1", "only one audio description per output"
            )
        apath = f"{path}/audioDescriptions/0"
        description = descriptions[0]
        _check_supported(description, "AudioDescription", apath)
        source = description.get("audioSourceName", AUDIO_SELECTOR)
        if source not in self.selectors:
            raise SettingsError(
                f"{apath}/audioSourceName",
                f"{source!r} does not name an audio selector of the input",
            )
        codec_settings = description.get("codecSettings")
        if codec_settings is None:
            raise SettingsError(apath, "codecSettings is a required property")
        _check_supported(codec_settings, "AudioCodecSettings", f"{apath}/codecSettings")
        aac = codec_settings.get("aacSettings") or {}
        aac_path = f"{apath}/codecSettings/aacSettings"
        _check_supported(aac, "AacSettings", aac_path)
        if "bitrate" not in aac:
            raise SettingsError(aac_path, "bitrate is required by the emulator")
        bitrate = aac["bitrate"]
        if bitrate not in AAC_BITRATES:
            raise SettingsError(f"{aac_path}/bitrate", f"{bitrate} is not a valid AAC bitrate")
        spec = AudioSpec(
            codec="aac",
            profile=aac.get("codecProfile", "LC"),
            channels=_CODING_MODE_CHANNELS[aac.get("codingMode", "CODING_MODE_2_0")],
            sample_rate=int(aac.get("sampleRate", 48_000)),
        )
        return _Audio(int(bitrate), spec)

    # The frame capture group ----------------------------------------------------------

    def parse_frame_capture_group(
        self, group: Mapping[str, Any], path: str
    ) -> tuple[str, ThumbnailSpec]:
        gpath = f"{path}/outputGroupSettings/fileGroupSettings"
        settings = group["outputGroupSettings"].get("fileGroupSettings")
        if settings is None:
            raise SettingsError(
                f"{path}/outputGroupSettings", "fileGroupSettings is a required property"
            )
        _check_supported(settings, "FileGroupSettings", gpath)
        destination = self.destination(settings, gpath)
        outputs = group["outputs"]
        if len(outputs) > 1:
            raise SettingsError(
                f"{path}/outputs/1", "only one frame capture output is supported by the emulator"
            )
        opath = f"{path}/outputs/0"
        output = outputs[0]
        _check_supported(output, "Output", opath)
        _check_supported(
            output["containerSettings"], "ContainerSettings", f"{opath}/containerSettings"
        )
        for key in ("audioDescriptions", "outputSettings"):
            if key in output:
                raise SettingsError(f"{opath}/{key}", "does not apply to frame captures")
        video = self.video_box(output, opath, h264=False)
        capture = output["videoDescription"]["codecSettings"].get("frameCaptureSettings") or {}
        cpath = f"{opath}/videoDescription/codecSettings/frameCaptureSettings"
        _check_supported(capture, "FrameCaptureSettings", cpath)
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
            raise SettingsError(
                f"{opath}/nameModifier", "format identifiers and '/' are not supported"
            )
        return destination, spec


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


def _default_thumbnail_destination(hls_destination: str) -> str:
    """Where a job without frame captures would put them: ``.../hls/b`` -> ``.../thumbnails/b``.

    The field is unused without thumbnails; this keeps JobRequest.for_prefix layouts equal.
    """
    folder, base = naming.split_destination(hls_destination)
    parent, _, last = folder.rpartition("/")
    root = parent if last == naming.HLS_FOLDER else folder
    return naming.join_uri(root, naming.THUMBNAIL_FOLDER, base)


def parse_job_settings(
    settings: Mapping[str, Any], *, user_metadata: Mapping[str, str] | None = None
) -> ParsedJob:
    """The request a CreateJob ``settings`` (camelCase wire form) asks for.

    Raises:
        SettingsError: a setting is invalid, or one the emulator cannot honour.
    """
    return _Parser(settings).parse(user_metadata)


# --- rendering ----------------------------------------------------------------------------


def _h264_settings(rung: Rung, gop_seconds: int) -> dict[str, Any]:
    h264: dict[str, Any] = {"RateControlMode": rung.rate_control.value}
    if rung.rate_control is RateControl.QVBR:
        h264["MaxBitrate"] = rung.max_bitrate
        if rung.qvbr_quality is not None:
            h264["QvbrSettings"] = {"QvbrQualityLevel": rung.qvbr_quality}
    else:
        h264["Bitrate"] = rung.video_bitrate
        if rung.rate_control is RateControl.VBR:
            h264["MaxBitrate"] = rung.max_bitrate
    h264.update(
        {
            "CodecProfile": rung.profile.upper(),
            "CodecLevel": "AUTO",
            "QualityTuningLevel": "SINGLE_PASS_HQ",
            # Explicit whole-second GOPs rather than AWS's recommended AUTO: the FFmpeg
            # backend keys its segments on the same grid, so both write the same segments.
            "GopSize": float(gop_seconds),
            "GopSizeUnits": "SECONDS",
            "GopClosedCadence": 1,
            "SceneChangeDetect": "TRANSITION_DETECTION",
            "FramerateControl": "INITIALIZE_FROM_SOURCE",
            "InterlaceMode": "PROGRESSIVE",
        }
    )
    return h264


def _channels_mode(channels: int) -> str:
    return next(mode for mode, count in _CODING_MODE_CHANNELS.items() if count == channels)


def _check_renderable(ladder: Ladder) -> None:
    """Refuse, before any API call, a ladder that MediaConvert could not encode as asked
    (or that would not read back as the same ladder)."""
    audio = ladder.audio
    problems = []
    if audio is not None:
        if (audio.codec.lower(), audio.profile) != ("aac", "LC"):
            problems.append(f"audio {audio.codec}/{audio.profile}: only AAC LC is rendered")
        if audio.channels not in _CODING_MODE_CHANNELS.values():
            problems.append(f"{audio.channels} audio channels: only mono and stereo are rendered")
        if audio.sample_rate not in AAC_SAMPLE_RATES:
            problems.append(f"{audio.sample_rate} Hz is not an AAC sample rate of MediaConvert")
    for rung in ladder.rungs:
        if audio is not None and rung.audio_bitrate not in AAC_BITRATES:
            problems.append(f"rung {rung.name}: {rung.audio_bitrate} is not an AAC bitrate")
        if rung.profile.upper() not in _PROFILES:
            problems.append(f"rung {rung.name}: H.264 profile {rung.profile!r}")
    if problems:
        raise ValueError("; ".join(problems))


def _hls_output(rung: Rung, box: tuple[int, int], ladder: Ladder, scaling: str) -> dict[str, Any]:
    output: dict[str, Any] = {
        "NameModifier": rung.name_modifier,
        "ContainerSettings": {"Container": "M3U8", "M3u8Settings": {}},
        "OutputSettings": {"HlsSettings": {}},
        "VideoDescription": {
            "Width": box[0],
            "Height": box[1],
            "ScalingBehavior": scaling,
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": _h264_settings(rung, ladder.gop_seconds),
            },
        },
    }
    if ladder.audio is None:
        return output
    audio = ladder.audio
    output["AudioDescriptions"] = [
        {
            "AudioSourceName": AUDIO_SELECTOR,
            "CodecSettings": {
                "Codec": "AAC",
                "AacSettings": {
                    "Bitrate": rung.audio_bitrate,
                    "CodingMode": _channels_mode(audio.channels),
                    "SampleRate": audio.sample_rate,
                    "CodecProfile": audio.profile,
                    "RateControlMode": "CBR",
                },
            },
        }
    ]
    return output


def _frame_capture_group(
    destination: str, spec: ThumbnailSpec, box: tuple[int, int]
) -> dict[str, Any]:
    output: dict[str, Any] = {
        "Extension": "jpg",
        "ContainerSettings": {"Container": "RAW"},
        "VideoDescription": {
            "Width": box[0],
            "Height": box[1],
            "ScalingBehavior": "DEFAULT",
            "CodecSettings": {
                "Codec": "FRAME_CAPTURE",
                "FrameCaptureSettings": {
                    "FramerateNumerator": 1,
                    "FramerateDenominator": spec.interval_s,
                    "MaxCaptures": spec.max_captures,
                    "Quality": spec.quality,
                },
            },
        },
    }
    if spec.name_modifier:
        output = {"NameModifier": spec.name_modifier, **output}
    return {
        "Name": "File Group",
        "OutputGroupSettings": {
            "Type": "FILE_GROUP_SETTINGS",
            "FileGroupSettings": {"Destination": destination},
        },
        "Outputs": [output],
    }


def render_job_settings(
    request: JobRequest, *, source_size: tuple[int, int] | None = None
) -> dict[str, Any]:
    """CreateJob ``Settings`` (boto3's PascalCase) that produce ``request``'s outputs.

    The ladder policies have no exact MediaConvert setting. Given the source's display
    size, they are resolved here as the FFmpeg backend resolves them: upscale DROP keeps
    only the rungs :func:`~backends.ladder.plan_renditions` keeps, portrait ROTATE_BOX swaps
    the boxes of a portrait source. Without it, DROP is rendered as FIT_NO_UPSCALE (which
    round-trips) and ROTATE_BOX cannot be rendered.

    Raises:
        ValueError: ROTATE_BOX without ``source_size``, or audio, bitrates or profiles
            that MediaConvert cannot encode.
    """
    ladder = request.ladder
    _check_renderable(ladder)
    scaling = "FIT_NO_UPSCALE" if ladder.upscale is UpscalePolicy.DROP else "DEFAULT"
    thumb_box = (ladder.thumbnails.width, ladder.thumbnails.height) if ladder.thumbnails else (0, 0)
    if source_size is None:
        if ladder.portrait is PortraitPolicy.ROTATE_BOX:
            raise ValueError(
                "portrait policy ROTATE_BOX has no MediaConvert setting: render with the "
                "source's display size"
            )
        outputs = [(rung, (rung.width, rung.height)) for rung in ladder.rungs]
    else:
        plans = plan_renditions(ladder, *source_size)
        outputs = [(p.rung, (p.geometry.box_width, p.geometry.box_height)) for p in plans]
        geometry = thumbnail_geometry(ladder, *source_size)
        if geometry is not None:
            thumb_box = (geometry.box_width, geometry.box_height)
    groups: list[dict[str, Any]] = [
        {
            "Name": "Apple HLS",
            "OutputGroupSettings": {
                "Type": "HLS_GROUP_SETTINGS",
                "HlsGroupSettings": {
                    "Destination": request.hls_destination,
                    "SegmentLength": ladder.segment_seconds,
                    "SegmentControl": "SEGMENTED_FILES",
                    "MinSegmentLength": 0,
                    "DirectoryStructure": "SINGLE_DIRECTORY",
                    "ManifestDurationFormat": (
                        "INTEGER" if ladder.integer_durations else "FLOATING_POINT"
                    ),
                    "OutputSelection": "MANIFESTS_AND_SEGMENTS",
                    "ProgramDateTime": "EXCLUDE",
                    "StreamInfResolution": "INCLUDE",
                    "CodecSpecification": "RFC_4281",
                    "ClientCache": "ENABLED",
                    "ManifestCompression": "NONE",
                },
            },
            "Outputs": [_hls_output(rung, box, ladder, scaling) for rung, box in outputs],
        }
    ]
    if ladder.thumbnails is not None:
        groups.append(
            _frame_capture_group(request.thumbnail_destination, ladder.thumbnails, thumb_box)
        )
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [
            {
                "FileInput": request.input_uri,
                "TimecodeSource": "ZEROBASED",
                # AUTO applies rotation metadata, as the FFmpeg backend does.
                "VideoSelector": {"Rotate": "AUTO"},
                **(
                    {"AudioSelectors": {AUDIO_SELECTOR: {"DefaultSelection": "DEFAULT"}}}
                    if request.ladder.audio is not None
                    else {}
                ),
            }
        ],
        "OutputGroups": groups,
    }


__all__ = [
    "SETTINGS_COVERAGE",
    "Coverage",
    "ParsedJob",
    "SettingsError",
    "Treatment",
    "coverage_markdown",
    "from_wire_case",
    "parse_job_settings",
    "render_job_settings",
    "to_wire_case",
]
