"""A CreateJob ``settings`` (camelCase, as it travels on the wire) -> the ladder's
:class:`~vod_testbed.backends.job.JobRequest`: the other half of :mod:`.render`.

The settings are validated against the service model once
(:func:`~vod_testbed.backends.mediaconvert.model.validate_job_settings`), then read; a job
read again later (:func:`read_validated_settings`) is not validated again.
Parsing honours what it reads: a setting the ladder cannot express is refused with a
:class:`~vod_testbed.backends.mediaconvert.coverage.SettingsError` naming it with the
AWS-style JSON pointer (``/outputGroups/1/outputs/0/containerSettings/container: ...``);
:data:`~vod_testbed.backends.mediaconvert.coverage.SETTINGS_COVERAGE` lists what is
accepted. The job's structure (inputs, groups, destinations, names) is read here, each
output's codecs in :mod:`.parse_codecs`. See docs/ARCHITECTURE.md, "The settings contract".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    AudioSpec,
    Ladder,
    RotatePolicy,
    Rung,
    ThumbnailSpec,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert.coverage import GROUP_TYPES, SettingsError, check_supported
from vod_testbed.backends.mediaconvert.model import validate_job_settings
from vod_testbed.backends.mediaconvert.parse_captures import frame_capture_spec
from vod_testbed.backends.mediaconvert.parse_codecs import (
    h264_group_fields,
    h264_rung_fields,
    output_audio,
    same_in_every_output,
    video_box,
)

# VideoSelector.rotate; absent means DEGREE_0: "By default, the service does no rotation,
# even if your input video has rotation metadata" (service model).
ROTATE = {
    "AUTO": RotatePolicy.AUTO,
    "DEGREE_0": RotatePolicy.NONE,
    "DEGREES_90": RotatePolicy.DEGREES_90,
    "DEGREES_180": RotatePolicy.DEGREES_180,
    "DEGREES_270": RotatePolicy.DEGREES_270,
}

# MediaConvert documents no warning code for the conditions below; 0 is the code its own
# NEW_WARNING examples carry ("000000").
EMULATION_WARNING = 0


@dataclass(frozen=True)
class ParsedJob:
    """What the emulator runs: the request, plus warnings as (code, message) pairs."""

    request: JobRequest
    warnings: tuple[tuple[int, str], ...] = ()


def _is_location(uri: str) -> bool:
    # As on AWS, inputs and destinations are S3 objects: never paths on the emulator's host.
    return uri.startswith("s3://") and len(uri) > len("s3://")


@dataclass
class _HlsGroup:
    destination: str
    segment_seconds: int
    integer_durations: bool
    round_target_duration_up: bool
    rungs: tuple[Rung, ...]
    upscale: UpscalePolicy
    audio: AudioSpec | None
    # gop_seconds, scene_cut_min_frames, frame_rate: the same in every output
    shared: dict[str, Any]


@dataclass
class _JobParser:
    settings: Mapping[str, Any]
    warnings: list[tuple[int, str]] = field(default_factory=list)
    input_uri: str = ""
    selectors: tuple[str, ...] = ()
    rotate: RotatePolicy = RotatePolicy.NONE

    def warn(self, path: str, message: str) -> None:
        self.warnings.append((EMULATION_WARNING, f"{path}: {message}"))

    # The whole job --------------------------------------------------------------------

    def parse(self, user_metadata: Mapping[str, str] | None) -> ParsedJob:
        check_supported(self.settings, "JobSettings", "")
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
                audio=hls.audio,
                thumbnails=thumbnails,
                upscale=hls.upscale,
                integer_durations=hls.integer_durations,
                round_target_duration_up=hls.round_target_duration_up,
                rotate=self.rotate,
                **hls.shared,
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
        check_supported(source, "Input", path)
        uri = source.get("fileInput")
        if not uri:
            raise SettingsError(path, "fileInput is a required property")
        if not _is_location(uri):
            raise SettingsError(f"{path}/fileInput", "only s3:// inputs are supported")
        self.input_uri = uri
        video_selector = source.get("videoSelector") or {}
        check_supported(video_selector, "VideoSelector", f"{path}/videoSelector")
        self.rotate = ROTATE[video_selector.get("rotate", "DEGREE_0")]
        selectors = source.get("audioSelectors") or {}
        if len(selectors) > 1:
            raise SettingsError(
                f"{path}/audioSelectors", "only one audio selector is supported by the emulator"
            )
        for name, selector in selectors.items():
            check_supported(selector, "AudioSelector", f"{path}/audioSelectors/{name}")
        self.selectors = tuple(selectors)

    def classify_groups(self, groups: list[dict[str, Any]]) -> tuple[int, int | None]:
        hls: list[int] = []
        files: list[int] = []
        for index, group in enumerate(groups):
            path = f"/outputGroups/{index}"
            check_supported(group, "OutputGroup", path)
            ogs = group.get("outputGroupSettings")
            if ogs is None:
                raise SettingsError(path, "outputGroupSettings is a required property")
            kind = ogs.get("type")
            if kind not in GROUP_TYPES:
                raise SettingsError(
                    f"{path}/outputGroupSettings/type",
                    f"{kind} output groups are not supported by the emulator",
                )
            check_supported(ogs, "OutputGroupSettings", f"{path}/outputGroupSettings")
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
        hls, gpath = _group_settings(group, path, "hlsGroupSettings", "HlsGroupSettings")
        destination = self.destination(hls, gpath)
        segment_seconds = int(hls.get("segmentLength", 10))
        integer_durations = hls.get("manifestDurationFormat", "FLOATING_POINT") == "INTEGER"
        legacy = hls.get("targetDurationCompatibilityMode", "LEGACY") == "LEGACY"
        outputs = group["outputs"]
        rungs: list[Rung] = []
        policies: list[UpscalePolicy] = []
        shared: list[dict[str, Any]] = []
        audios: list[AudioSpec | None] = []
        modifiers: set[str] = set()
        for index, output in enumerate(outputs):
            opath = f"{path}/outputs/{index}"
            check_supported(output, "Output", opath)
            if "extension" in output:
                raise SettingsError(f"{opath}/extension", "only frame captures take an extension")
            name = self.rung_name(output, opath, len(outputs), modifiers)
            self.hls_container(output, opath)
            video = video_box(output, opath, h264=True)
            h264 = output["videoDescription"]["codecSettings"].get("h264Settings") or {}
            hpath = f"{opath}/videoDescription/codecSettings/h264Settings"
            rung_video = h264_rung_fields(h264, hpath, self.warn)
            group_fields = h264_group_fields(h264, hpath, segment_seconds, self.warn)
            if shared:
                same_in_every_output(shared[0], group_fields, hpath)
            audio = output_audio(output, opath, self.selectors)
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
            shared.append(group_fields)
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
            round_target_duration_up=legacy,
            rungs=tuple(rungs),
            upscale=policies[0],
            audio=audios[0],
            shared=shared[0],
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
        check_supported(container_settings, "ContainerSettings", cpath)
        if container_settings.get("container") != "M3U8":
            raise SettingsError(f"{cpath}/container", "HLS outputs must use the M3U8 container")
        output_settings = output.get("outputSettings") or {}
        check_supported(output_settings, "OutputSettings", f"{path}/outputSettings")
        check_supported(
            output_settings.get("hlsSettings") or {},
            "HlsSettings",
            f"{path}/outputSettings/hlsSettings",
        )

    def parse_frame_capture_group(
        self, group: Mapping[str, Any], path: str
    ) -> tuple[str, ThumbnailSpec]:
        settings, gpath = _group_settings(group, path, "fileGroupSettings", "FileGroupSettings")
        destination = self.destination(settings, gpath)
        outputs = group["outputs"]
        if len(outputs) > 1:
            raise SettingsError(
                f"{path}/outputs/1", "only one frame capture output is supported by the emulator"
            )
        return destination, frame_capture_spec(outputs[0], f"{path}/outputs/0")


def _group_settings(
    group: Mapping[str, Any], path: str, key: str, shape: str
) -> tuple[Mapping[str, Any], str]:
    """A group's ``outputGroupSettings.<key>`` (required, covered) and its pointer."""
    settings = group["outputGroupSettings"].get(key)
    if settings is None:
        raise SettingsError(f"{path}/outputGroupSettings", f"{key} is a required property")
    pointer = f"{path}/outputGroupSettings/{key}"
    check_supported(settings, shape, pointer)
    return settings, pointer


def _default_thumbnail_destination(hls_destination: str) -> str:
    """Where a job without frame captures would put them: ``.../hls/b`` -> ``.../thumbnails/b``.

    The field is unused without thumbnails; this keeps JobRequest.for_prefix layouts equal.
    """
    folder, base = naming.split_destination(hls_destination)
    return naming.join_uri(naming.thumbnail_folder_beside(folder), base)


def parse_job_settings(
    settings: Mapping[str, Any], *, user_metadata: Mapping[str, str] | None = None
) -> ParsedJob:
    """The request a CreateJob ``settings`` (camelCase wire form) asks for.

    Raises:
        ValidationError: a setting MediaConvert itself refuses (the service model's rules).
        SettingsError: a valid setting the ladder cannot express (a ValidationError too).
    """
    validate_job_settings(settings)
    return read_validated_settings(settings, user_metadata=user_metadata)


def read_validated_settings(
    settings: Mapping[str, Any], *, user_metadata: Mapping[str, str] | None = None
) -> ParsedJob:
    """As :func:`parse_job_settings`, for settings that were validated when their job was
    created (a stored job read again when it starts): a job is validated once.

    Raises:
        SettingsError: a setting the ladder cannot express.
    """
    return _JobParser(settings).parse(user_metadata)
