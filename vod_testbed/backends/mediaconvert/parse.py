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
accepted. The job's structure (inputs, groups, destinations, names) and its HLS groups are
read here, file outputs in :mod:`.parse_files`, video codecs in :mod:`.parse_codecs`, audio
in :mod:`.parse_audio`. See docs/ARCHITECTURE.md, "The job model" and "The settings
contract".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel import names
from vod_testbed.backends.jobmodel.audio_groups import audio_outputs, video_part
from vod_testbed.backends.jobmodel.format_identifiers import resolve
from vod_testbed.backends.jobmodel.inputs import EMBEDDED, InsertedImage
from vod_testbed.backends.jobmodel.ladder import hls_group_ladder, ladder_request
from vod_testbed.backends.jobmodel.model import (
    H264,
    Aac,
    CaptionSelector,
    FileGroup,
    HlsGroup,
    Input,
    JobSpec,
    M3u8,
    Output,
    OutputGroup,
    VideoDescription,
)
from vod_testbed.backends.ladder import RotatePolicy
from vod_testbed.backends.mediaconvert import parse_inputs
from vod_testbed.backends.mediaconvert.coverage import (
    GROUP_TYPES,
    STREAMING_GROUP_TYPES,
    SettingsError,
    check_supported,
)
from vod_testbed.backends.mediaconvert.model import validate_job_settings
from vod_testbed.backends.mediaconvert.parse_audio import audio_descriptions, he_aac_warning
from vod_testbed.backends.mediaconvert.parse_audio_groups import with_audio_groups
from vod_testbed.backends.mediaconvert.parse_captions import (
    caption_descriptions,
    caption_output,
    caption_selectors,
    is_caption_output,
)
from vod_testbed.backends.mediaconvert.parse_codecs import (
    same_in_every_output,
    video_box,
    video_codec,
    video_preprocessors,
)
from vod_testbed.backends.mediaconvert.parse_encryption import hls_encryption
from vod_testbed.backends.mediaconvert.parse_files import file_output
from vod_testbed.backends.mediaconvert.parse_streaming import streaming_group
from vod_testbed.backends.mediaconvert.trickplay import read_trick_play

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
    """Captions and audio-only HLS groups are written by the ladder job only
    (docs/captions.md): refuse them by name in a job that must run as a model, rather than
    leave them out of its outputs."""
    for index, group in enumerate(job.output_groups):
        for number, output in enumerate(group.outputs):
            where = f"/outputGroups/{index}/outputs/{number}"
            if output.captions:
                raise SettingsError(
                    f"{where}/captionDescriptions",
                    "captions are supported by the emulator only in a job of one whole input "
                    "and one HLS group (at most a frame capture beside it)",
                )
            # Beside video outputs they are the group's audio renditions (docs/audio-groups.md).
            if (
                isinstance(group, HlsGroup)
                and output.video is None
                and output not in audio_outputs(group)
            ):
                raise SettingsError(
                    f"{where}/audioDescriptions",
                    "audio-only HLS outputs are supported by the emulator only in a job of one "
                    "whole input and one HLS group (at most a frame capture beside it)",
                )


def _is_location(uri: str) -> bool:
    # As on AWS, inputs and destinations are S3 objects: never paths on the emulator's host.
    return uri.startswith("s3://") and len(uri) > len("s3://")


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
                groups.append(self.parse_hls_group(group, path, source))
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
                groups.append(self.parse_file_group(group, path))
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
        if not _is_location(uri):
            raise SettingsError(f"{path}/fileInput", "only s3:// inputs are supported")
        video_selector = source.get("videoSelector") or {}
        check_supported(video_selector, "VideoSelector", f"{path}/videoSelector")
        for name, selector in (source.get("audioSelectors") or {}).items():
            spath = f"{path}/audioSelectors/{name}"
            check_supported(selector, "AudioSelector", spath)
            self.check_remix(selector.get("remixSettings"), f"{spath}/remixSettings")
            external = selector.get("externalAudioFileInput")
            if external and not _is_location(external):
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

    def check_remix(self, remix: Mapping[str, Any] | None, path: str) -> None:
        if not remix:
            return
        check_supported(remix, "RemixSettings", path)
        mapping = remix.get("channelMapping") or {}
        check_supported(mapping, "ChannelMapping", f"{path}/channelMapping")
        for index, row in enumerate(mapping.get("outputChannels") or []):
            where = f"{path}/channelMapping/outputChannels/{index}"
            check_supported(row, "OutputChannelMapping", where)

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
        if not _is_location(value):
            raise SettingsError(f"{path}/destination", "must be an s3:// URI")
        if "$" in value:
            # $dt$, $d$, $t$, $fn$: the job's start is when its settings are read to run it
            # (read_validated_settings at launch); at CreateJob they are only checked.
            parse_inputs.check_destination_identifiers(value, path)
            value = resolve(value, started=self.started, input_uri=self.input_uri)
        folder, base = naming.destination_base(value, self.input_uri)
        return f"{folder}/{base}"

    def claim(self, uri: str, path: str) -> None:
        """Refuse a second output writing the same object: one would silently replace the
        other."""
        if uri in self.files:
            raise SettingsError(path, f"writes {uri}, as {self.files[uri]} does")
        self.files[uri] = path

    # The HLS group --------------------------------------------------------------------

    def parse_hls_group(self, group: Mapping[str, Any], path: str, source: Input) -> HlsGroup:
        """An HLS group; the emulator runs it as a ladder, so its outputs must be one: H.264
        on one keyframe grid and frame rate, the same AAC format (or none) in each."""
        hls, gpath = _group_settings(group, path, "hlsGroupSettings", "HlsGroupSettings")
        destination = self.destination(hls, gpath)
        folder, base = naming.split_destination(destination)
        master = naming.join_uri(folder, naming.master_playlist_name(base))
        self.claim(master, f"{gpath}/destination")
        segment_seconds = int(hls.get("segmentLength", 10))
        # GOP_MULTIPLE rounds segments up to the GOP: any GOP fits (jobmodel.ladder).
        gop_multiple = hls.get("segmentLengthControl", "EXACT") == "GOP_MULTIPLE"
        outputs: list[Output] = []
        modifiers: set[str] = set()
        for index, output in enumerate(group["outputs"]):
            opath = f"{path}/outputs/{index}"
            modifier = self.rung_modifier(output, opath, len(group["outputs"]), modifiers)
            if is_caption_output(output):
                self.hls_container(output, opath)
                outputs.append(caption_output(output, opath, modifier, self.captions))
                continue
            if not output.get("videoDescription"):
                outputs.append(self.audio_only_output(output, opath, modifier))
                continue
            outputs.append(
                self.hls_output(
                    output,
                    opath,
                    None if gop_multiple else segment_seconds,
                    modifier,
                    automated="automatedEncodingSettings" in group,
                )
            )
        videos = [o for o in outputs if o.video is not None]
        if videos:
            self.same_across_outputs(videos, path)
        outputs = with_audio_groups(group["outputs"], outputs, path, self.warn)
        encryption = hls_encryption(hls.get("encryption"), f"{gpath}/encryption")
        if encryption is not None and any(
            isinstance(o.container, M3u8) and o.container.iframe_only for o in outputs
        ):
            raise SettingsError(
                f"{gpath}/encryption",
                "I-frame-only playlists of encrypted segments are not supported by the emulator",
            )
        abr = parse_inputs.automated_abr(group, path)
        if abr is not None:
            settings = group["automatedEncodingSettings"]
            check_supported(
                settings, "AutomatedEncodingSettings", f"{path}/automatedEncodingSettings"
            )
            apath = f"{path}/automatedEncodingSettings/abrSettings"
            check_supported(settings["abrSettings"], "AutomatedAbrSettings", apath)
            for number, rule in enumerate(settings["abrSettings"].get("rules") or []):
                check_supported(rule, "AutomatedAbrRule", f"{apath}/rules/{number}")
        parsed = HlsGroup(
            destination=destination,
            outputs=tuple(outputs),
            segment_seconds=segment_seconds,
            integer_durations=hls.get("manifestDurationFormat", "FLOATING_POINT") == "INTEGER",
            round_target_duration_up=hls.get("targetDurationCompatibilityMode", "LEGACY")
            == "LEGACY",
            gop_multiple_segments=gop_multiple,
            automated_abr=abr,
            trick_play=read_trick_play(hls, gpath, "HlsImageBasedTrickPlaySettings"),
            encryption=encryption,
        )
        try:
            # Audio-only outputs beside video ones are its audio renditions, not rungs.
            ladder = hls_group_ladder(video_part(parsed), source, strict=True)
        except ValueError as exc:
            raise SettingsError(path, str(exc)) from exc
        if ladder is None:
            raise SettingsError(path, "the HLS group is not one the emulator can run as a ladder")
        return parsed

    def hls_output(
        self,
        output: Mapping[str, Any],
        opath: str,
        segment_seconds: int | None,
        modifier: str,
        *,
        automated: bool = False,
    ) -> Output:
        if "extension" in output:
            raise SettingsError(f"{opath}/extension", "only file outputs take an extension")
        container = self.hls_container(output, opath)
        # Automated ABR chooses each rendition's size; an output box only caps it (a blank
        # one means the source's; docs/inputs-and-audio.md, "Automated ABR").
        box = video_box(output, opath, codecs=("H_264",), box_required=not automated)
        vpath = f"{opath}/videoDescription"
        description = output["videoDescription"]
        audio = audio_descriptions(output, opath, self.selectors)
        for index, settings in enumerate(output.get("audioDescriptions") or []):
            self.check_remix(
                settings.get("remixSettings"), f"{opath}/audioDescriptions/{index}/remixSettings"
            )
            loudness = settings.get("audioNormalizationSettings")
            if loudness is not None:
                check_supported(
                    loudness,
                    "AudioNormalizationSettings",
                    f"{opath}/audioDescriptions/{index}/audioNormalizationSettings",
                )
        if len(audio) > 1:
            raise SettingsError(
                f"{opath}/audioDescriptions/1", "only one audio description per output"
            )
        if audio and not isinstance(audio[0].codec, Aac):
            raise SettingsError(
                f"{opath}/audioDescriptions/0/codecSettings/codec",
                f"{audio[0].codec.codec} in HLS outputs is not supported by the emulator (AAC is)",
            )
        hls_settings = (output.get("outputSettings") or {}).get("hlsSettings") or {}
        return Output(
            container,
            modifier,
            segment_modifier=parse_inputs.segment_modifier(
                hls_settings, f"{opath}/outputSettings/hlsSettings"
            ),
            video=VideoDescription(
                codec=video_codec(description, vpath, segment_seconds, self.warn),
                width=box.width,
                height=box.height,
                scaling=box.upscale,
                preprocessors=video_preprocessors(description, vpath, self.warn),
            ),
            audio=audio,
            captions=caption_descriptions(output, opath, self.captions),
        )

    def audio_only_output(self, output: Mapping[str, Any], opath: str, modifier: str) -> Output:
        """An HLS output of sound alone (one AAC description): an audio-only variant."""
        self.hls_container(output, opath)
        audio = audio_descriptions(output, opath, self.selectors)
        if len(audio) != 1 or not isinstance(audio[0].codec, Aac):
            raise SettingsError(
                f"{opath}/audioDescriptions",
                "an audio-only HLS output needs exactly one AAC audio description",
            )
        return Output(M3u8(), modifier, audio=audio)

    def same_across_outputs(self, outputs: list[Output], path: str) -> None:
        """The renditions of one HLS group share one decode, keyframe grid, frame rate and
        scaling (each has its own AAC settings): refuse outputs that differ."""
        first = outputs[0]
        for index, output in enumerate(outputs[1:], start=1):
            opath = f"{path}/outputs/{index}"
            assert first.video is not None and output.video is not None
            assert isinstance(first.video.codec, H264) and isinstance(output.video.codec, H264)
            same_in_every_output(
                _grid(first.video.codec),
                _grid(output.video.codec),
                f"{opath}/videoDescription/codecSettings/h264Settings",
            )
            if bool(output.audio) != bool(first.audio):
                raise SettingsError(
                    f"{opath}/audioDescriptions",
                    "every output of the HLS group needs audio, or none does",
                )
            if output.video.scaling is not first.video.scaling:
                raise SettingsError(
                    f"{opath}/videoDescription/scalingBehavior",
                    "every output of the HLS group needs the same scalingBehavior",
                )
            if output.video.preprocessors != first.video.preprocessors:
                raise SettingsError(
                    f"{opath}/videoDescription/videoPreprocessors",
                    "every output of the HLS group needs the same deinterlacer and noise reducer",
                )

    def rung_modifier(
        self, output: Mapping[str, Any], path: str, count: int, seen: set[str]
    ) -> str:
        check_supported(output, "Output", path)
        modifier = output.get("nameModifier")
        if modifier is None:
            # One output without a modifier would write its variant playlist over the
            # multivariant one; MediaConvert requires modifiers with several outputs.
            reason = (
                "is required when the group has several outputs"
                if count > 1
                else "is required by the emulator: the rung name comes from it"
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
        return str(modifier)

    def hls_container(self, output: Mapping[str, Any], path: str) -> M3u8:
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
        hls_settings = output_settings.get("hlsSettings") or {}
        return M3u8(iframe_only=hls_settings.get("iFrameOnlyManifest", "EXCLUDE") == "INCLUDE")

    # File groups ----------------------------------------------------------------------

    def parse_file_group(self, group: Mapping[str, Any], path: str) -> FileGroup:
        settings, gpath = _group_settings(group, path, "fileGroupSettings", "FileGroupSettings")
        destination = self.destination(settings, gpath)
        folder, base = naming.split_destination(destination)
        outputs = []
        for index, output in enumerate(group["outputs"]):
            opath = f"{path}/outputs/{index}"
            if len(group["outputs"]) > 1 and "nameModifier" not in output:
                # Output.NameModifier: "When you create multiple outputs in the same output
                # group, Name modifier is required."
                raise SettingsError(
                    opath, "nameModifier is required when the group has several outputs"
                )
            if output.get("captionDescriptions"):
                raise SettingsError(
                    f"{opath}/captionDescriptions",
                    "captions in file groups are not supported by the emulator (WEBVTT "
                    "outputs and BURN_IN in an HLS group are; docs/captions.md)",
                )
            parsed = file_output(output, opath, self.selectors, self.warn)
            name = (
                names.capture_pattern(base, parsed)
                if parsed.is_frame_capture
                else names.file_name(base, parsed)
            )
            self.claim(naming.join_uri(folder, name), f"{opath}/nameModifier")
            outputs.append(parsed)
        return FileGroup(destination=destination, outputs=tuple(outputs))


def _grid(codec: H264) -> dict[str, Any]:
    return {
        "gop_seconds": codec.gop.seconds,
        "scene_cut_min_frames": codec.gop.scene_cut_min_frames,
        "frame_rate": codec.frame_rate,
    }


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
