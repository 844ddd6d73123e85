"""A CreateJob ``settings`` (camelCase, as it travels on the wire) -> the job model's
:class:`~vod_testbed.backends.jobmodel.model.JobSpec`, and, for a job that is a ladder job,
the ladder's :class:`~vod_testbed.backends.job.JobRequest`: the other half of :mod:`.render`.

The settings are validated against the service model once
(:func:`~vod_testbed.backends.mediaconvert.model.validate_job_settings`), then read; a job
read again later (:func:`read_validated_settings`) is not validated again.
Parsing honours what it reads: a setting the model cannot express is refused with a
:class:`~vod_testbed.backends.mediaconvert.coverage.SettingsError` naming it with the
AWS-style JSON pointer (``/outputGroups/1/outputs/0/containerSettings/container: ...``);
:data:`~vod_testbed.backends.mediaconvert.coverage.SETTINGS_COVERAGE` lists what is
accepted. The job's structure (inputs, groups, destinations, names) is read here, HLS
groups in :mod:`.parse_hls`, file groups in :mod:`.parse_files` (what they share in
:mod:`.parse_context`), video codecs in :mod:`.parse_codecs`, audio in :mod:`.parse_audio`.
See docs/ARCHITECTURE.md, "The job model" and "The settings contract".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.audio_groups import audio_outputs
from vod_testbed.backends.jobmodel.format_identifiers import resolve
from vod_testbed.backends.jobmodel.inputs import EMBEDDED, InsertedImage
from vod_testbed.backends.jobmodel.ladder import ladder_request
from vod_testbed.backends.jobmodel.model import (
    CaptionSelector,
    HlsGroup,
    Input,
    JobSpec,
    OutputGroup,
)
from vod_testbed.backends.jobmodel.timeline import needs_assembly
from vod_testbed.backends.ladder import RotatePolicy
from vod_testbed.backends.mediaconvert import parse_inputs
from vod_testbed.backends.mediaconvert.coverage import (
    GROUP_TYPES,
    STREAMING_GROUP_TYPES,
    SettingsError,
    check_supported,
)
from vod_testbed.backends.mediaconvert.model import validate_job_settings
from vod_testbed.backends.mediaconvert.parse_audio import he_aac_warning
from vod_testbed.backends.mediaconvert.parse_captions import (
    caption_selectors,
)
from vod_testbed.backends.mediaconvert.parse_context import (
    GroupContext,
    check_remix,
    is_location,
)
from vod_testbed.backends.mediaconvert.parse_files import file_group
from vod_testbed.backends.mediaconvert.parse_hls import hls_group
from vod_testbed.backends.mediaconvert.parse_streaming import streaming_group

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
    """What the emulator runs: the job model, its warnings as (code, message) pairs, and
    the ladder job it is, when it is one (:func:`~vod_testbed.backends.jobmodel.ladder.
    ladder_request`)."""

    job: JobSpec
    warnings: tuple[tuple[int, str], ...] = ()
    ladder: JobRequest | None = None

    @property
    def request(self) -> JobRequest:
        """The ladder job.

        Raises:
            SettingsError: the job is not a ladder job (one HLS group and a frame capture).
        """
        if self.ladder is None:
            raise SettingsError(
                "/outputGroups",
                "the job is not a ladder job (one HLS group, at most a frame capture beside it)",
            )
        return self.ladder


def _refuse_outside_ladder(job: JobSpec) -> None:
    """Audio-only HLS groups are written by the ladder job only, and a model job's captions
    (WebVTT renditions, sidecar files, burn-in) follow one whole input's clock
    (docs/captions.md): refuse the rest by name in a job that must run as a model, rather
    than leave them out of its outputs."""
    embedded = any(s.file is None for s in job.inputs[0].caption_selectors)
    for index, group in enumerate(job.output_groups):
        for number, output in enumerate(group.outputs):
            where = f"/outputGroups/{index}/outputs/{number}"
            if output.captions and (len(job.inputs) > 1 or job.inputs[0].clippings):
                raise SettingsError(
                    f"{where}/captionDescriptions",
                    "captions are supported by the emulator only in a job of one whole input "
                    "(without InputClippings): the caption file's times are that input's",
                )
            if output.captions and embedded and needs_assembly(job):
                raise SettingsError(
                    f"{where}/captionDescriptions",
                    "embedded captions are supported by the emulator only in a job that reads "
                    "its input as it is (no audio selection, remixing, loudness or inserted "
                    "images)",
                )
            # Beside video outputs they are the group's audio renditions (docs/audio-groups.md).
            if (
                isinstance(group, HlsGroup)
                and output.video is None
                and not output.captions
                and output not in audio_outputs(group)
            ):
                raise SettingsError(
                    f"{where}/audioDescriptions",
                    "audio-only HLS outputs are supported by the emulator only in a job of one "
                    "whole input and one HLS group (at most a frame capture beside it)",
                )


@dataclass
class _JobParser:
    settings: Mapping[str, Any]
    warnings: list[tuple[int, str]] = field(default_factory=list)
    input_uri: str = ""
    selectors: tuple[str, ...] = ()
    captions: tuple[CaptionSelector, ...] = ()
    # Every file the job writes, by the pointer of the output that writes it.
    files: dict[str, str] = field(default_factory=dict)
    # The job's start, for the date and time identifiers of destinations.
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append((EMULATION_WARNING, f"{path}: {message}"))

    # The whole job --------------------------------------------------------------------

    def parse(self, user_metadata: Mapping[str, str] | None) -> ParsedJob:
        check_supported(self.settings, "JobSettings", "")
        sources = self.parse_inputs(self.settings.get("inputs") or [])
        source = sources[0]
        settings_groups = self.settings.get("outputGroups") or []
        if not settings_groups:
            raise SettingsError("/outputGroups", "Should have at least 1 items")
        groups: list[OutputGroup] = []
        for index, group in enumerate(settings_groups):
            path = f"/outputGroups/{index}"
            kind = self.group_kind(group, path)
            if kind == "HLS_GROUP_SETTINGS":
                groups.append(hls_group(group, path, source, self.context()))
            elif kind in STREAMING_GROUP_TYPES:
                groups.append(
                    streaming_group(
                        kind,
                        group,
                        path,
                        destination=self.destination,
                        claim=self.claim,
                        selectors=self.selectors,
                        warn=self.warn,
                    )
                )
            else:
                groups.append(file_group(group, path, self.context()))
        self.warn_he_aac(groups)
        clock = self.settings.get("timecodeConfig") or {}
        check_supported(clock, "TimecodeConfig", "/timecodeConfig")
        job = JobSpec(
            inputs=sources,
            output_groups=tuple(groups),
            user_metadata=dict(user_metadata or {}),
            warnings=tuple(self.warnings),
            timecode_source=clock.get("source", EMBEDDED),
            timecode_start=clock.get("start"),
        )
        ladder = ladder_request(job)
        if ladder is None:
            _refuse_outside_ladder(job)
        return ParsedJob(job=job, warnings=tuple(self.warnings), ladder=ladder)

    def parse_inputs(self, inputs: list[dict[str, Any]]) -> tuple[Input, ...]:
        """Every input, stitched in order (docs/inputs-and-audio.md); an output may take
        audio a selector or selector group of any of them names."""
        if not inputs:
            raise SettingsError("/inputs", "Should have at least 1 items")
        if len(inputs) > parse_inputs.MAX_INPUTS:
            raise SettingsError(
                "/inputs", f"a job has at most {parse_inputs.MAX_INPUTS} inputs (got {len(inputs)})"
            )
        parsed = tuple(self.parse_input(source, f"/inputs/{i}") for i, source in enumerate(inputs))
        self.input_uri = parsed[0].uri
        names = [s.name for i in parsed for s in i.audio_selectors]
        names += [g.name for i in parsed for g in i.audio_selector_groups]
        self.selectors = tuple(dict.fromkeys(names))
        self.captions = tuple(c for i in parsed for c in i.caption_selectors)
        return parsed

    def parse_input(self, source: Mapping[str, Any], path: str) -> Input:
        check_supported(source, "Input", path)
        uri = source.get("fileInput")
        if not uri:
            raise SettingsError(path, "fileInput is a required property")
        if not is_location(uri):
            raise SettingsError(f"{path}/fileInput", "only s3:// inputs are supported")
        video_selector = source.get("videoSelector") or {}
        check_supported(video_selector, "VideoSelector", f"{path}/videoSelector")
        for name, selector in (source.get("audioSelectors") or {}).items():
            spath = f"{path}/audioSelectors/{name}"
            check_supported(selector, "AudioSelector", spath)
            check_remix(selector.get("remixSettings"), f"{spath}/remixSettings")
            external = selector.get("externalAudioFileInput")
            if external and not is_location(external):
                raise SettingsError(
                    f"{spath}/externalAudioFileInput", "only s3:// audio files are supported"
                )
        for name, group in (source.get("audioSelectorGroups") or {}).items():
            check_supported(group, "AudioSelectorGroup", f"{path}/audioSelectorGroups/{name}")
        for index, clip in enumerate(source.get("inputClippings") or []):
            check_supported(clip, "InputClipping", f"{path}/inputClippings/{index}")
        selectors, groups = parse_inputs.audio_selectors(source, path)
        clock, start = parse_inputs.timecode_source(source, path)
        images: tuple[InsertedImage, ...] = ()
        if "imageInserter" in source:
            images = self.images(source["imageInserter"], f"{path}/imageInserter")
        return Input(
            uri=uri,
            clippings=parse_inputs.clippings(source, path),
            rotate=ROTATE[video_selector.get("rotate", "DEGREE_0")],
            audio_selectors=selectors,
            audio_selector_groups=groups,
            timecode_source=clock,
            timecode_start=start,
            images=images,
            caption_selectors=caption_selectors(source, path),
        )

    def images(self, inserter: Mapping[str, Any], path: str) -> tuple[InsertedImage, ...]:
        check_supported(inserter, "ImageInserter", path)
        for index, image in enumerate(inserter.get("insertableImages") or []):
            check_supported(image, "InsertableImage", f"{path}/insertableImages/{index}")
        return parse_inputs.images(inserter, path)

    def warn_he_aac(self, groups: list[OutputGroup]) -> None:
        """HE-AAC is AAC-LC on an ffmpeg without libfdk_aac (docs/inputs-and-audio.md)."""
        for index, group in enumerate(groups):
            for number, output in enumerate(group.outputs):
                for track, audio in enumerate(output.audio):
                    warning = he_aac_warning(audio.codec)
                    if warning:
                        where = f"/outputGroups/{index}/outputs/{number}/audioDescriptions/{track}"
                        self.warn(f"{where}/codecSettings/aacSettings/codecProfile", warning)

    def group_kind(self, group: Mapping[str, Any], path: str) -> str:
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
        return str(kind)

    def destination(self, settings: Mapping[str, Any], path: str) -> str:
        value = settings.get("destination")
        if not value:
            raise SettingsError(path, "destination is a required property")
        if not is_location(value):
            raise SettingsError(f"{path}/destination", "must be an s3:// URI")
        if "$" in value:
            # $dt$, $d$, $t$, $fn$: the job's start is when its settings are read to run it
            # (read_validated_settings at launch); at CreateJob they are only checked.
            parse_inputs.check_destination_identifiers(value, path)
            value = resolve(value, started=self.started, input_uri=self.input_uri)
        folder, base = naming.destination_base(value, self.input_uri)
        return f"{folder}/{base}"

    def context(self) -> GroupContext:
        """The job as its group readers see it (after its inputs are read)."""
        return GroupContext(self.destination, self.claim, self.selectors, self.captions, self.warn)

    def claim(self, uri: str, path: str) -> None:
        """Refuse a second output writing the same object: one would silently replace the
        other."""
        if uri in self.files:
            raise SettingsError(path, f"writes {uri}, as {self.files[uri]} does")
        self.files[uri] = path


def parse_job_settings(
    settings: Mapping[str, Any], *, user_metadata: Mapping[str, str] | None = None
) -> ParsedJob:
    """The job a CreateJob ``settings`` (camelCase wire form) asks for.

    Raises:
        ValidationError: a setting MediaConvert itself refuses (the service model's rules).
        SettingsError: a valid setting the model cannot express (a ValidationError too).
    """
    validate_job_settings(settings)
    return read_validated_settings(settings, user_metadata=user_metadata)


def read_validated_settings(
    settings: Mapping[str, Any], *, user_metadata: Mapping[str, str] | None = None
) -> ParsedJob:
    """As :func:`parse_job_settings`, for settings that were validated when their job was
    created (a stored job read again when it starts): a job is validated once.

    Raises:
        SettingsError: a setting the model cannot express.
    """
    return _JobParser(settings).parse(user_metadata)
