"""A job model -> MediaConvert CreateJob ``Settings`` (boto3's PascalCase): the other half
of :mod:`.parse` for jobs that are not ladder jobs (docs/ARCHITECTURE.md, "The job model"),
so that the MediaConvert backend sends AWS the job the emulator and the FFmpeg backend run.
Reading the rendered settings back gives the same model. A ladder job is still rendered by
:mod:`.render`.

Inputs and audio (clippings, selectors, remixing, loudness, images, segment modifiers,
automated ABR) are written by :mod:`.render_inputs`, captions by :mod:`.render_captions`.
What the model holds but this renderer does not write (embedded captions, input filters) is
refused with a ValueError naming it, never dropped.
"""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.jobmodel.codecs import H264, H265, Aac, Ac3, FrameCapture, Mp3, Wav
from vod_testbed.backends.jobmodel.model import (
    AudioDescription,
    CmafGroup,
    Cmfc,
    DashIsoGroup,
    HlsGroup,
    Input,
    JobSpec,
    M3u8,
    Mp4,
    Mpd,
    Output,
    OutputGroup,
    VideoDescription,
)
from vod_testbed.backends.ladder import RateControl, Rung
from vod_testbed.backends.mediaconvert import (
    render_audio_groups,
    render_captions,
    render_inputs,
    render_streaming,
)
from vod_testbed.backends.mediaconvert.parse_audio import AC3_MODES, EAC3_MODES
from vod_testbed.backends.mediaconvert.parse_codecs import H265_PROFILES
from vod_testbed.backends.mediaconvert.render import (
    ROTATE_NAMES,
    SCALING_BEHAVIOR,
    channels_mode,
    frame_rate_settings,
)
from vod_testbed.backends.mediaconvert.render_encryption import render_encryption
from vod_testbed.backends.mediaconvert.trickplay import render_trick_play


def _input(source: Input) -> dict[str, Any]:
    if source.filters.deinterlace or source.filters.noise_reducer:
        raise ValueError("the model's input filters are not rendered")
    rendered = {
        "FileInput": source.uri,
        "VideoSelector": {"Rotate": ROTATE_NAMES[source.rotate]},
        **render_inputs.input_settings(source),
    }
    if source.caption_selectors:
        rendered["CaptionSelectors"] = render_captions.caption_selectors(source.caption_selectors)
    return rendered


def _rate(codec: H264 | H265) -> dict[str, Any]:
    rate = codec.rate
    rung = Rung(
        "x",
        2,
        2,
        rate.bitrate or 0,
        rate_control=rate.mode,
        peak_bitrate=rate.peak_bitrate,
        qvbr_quality=rate.qvbr_quality,
        buffer_bits=rate.buffer_bits,
        buffer_initial_fill_percent=rate.buffer_initial_fill_percent,
    )
    settings: dict[str, Any] = {"RateControlMode": rate.mode.value}
    if rate.mode is RateControl.QVBR:
        settings["MaxBitrate"] = rung.max_bitrate
        if rate.qvbr_quality is not None:
            settings["QvbrSettings"] = {"QvbrQualityLevel": rate.qvbr_quality}
    else:
        settings["Bitrate"] = rung.video_bitrate
        if rate.mode is RateControl.VBR:
            settings["MaxBitrate"] = rung.max_bitrate
    if rate.buffer_bits:
        settings["HrdBufferSize"] = rate.buffer_bits
    settings["HrdBufferInitialFillPercentage"] = rate.buffer_initial_fill_percent
    return settings


def _keyframes(codec: H264 | H265) -> dict[str, Any]:
    gop: dict[str, Any] = {"GopSize": float(codec.gop.seconds), "GopSizeUnits": "SECONDS"}
    minimum = codec.gop.scene_cut_min_frames
    if minimum is None:
        return {**gop, "SceneChangeDetect": "DISABLED", "MinIInterval": 0}
    return {**gop, "SceneChangeDetect": "ENABLED", "MinIInterval": minimum}


def _video(video: VideoDescription) -> dict[str, Any]:
    description: dict[str, Any] = {"ScalingBehavior": SCALING_BEHAVIOR[video.scaling]}
    if video.width and video.height:
        description.update({"Width": video.width, "Height": video.height})
    codec = video.codec
    if isinstance(codec, FrameCapture):
        description["CodecSettings"] = {
            "Codec": "FRAME_CAPTURE",
            "FrameCaptureSettings": {
                "FramerateNumerator": codec.interval_s.denominator,
                "FramerateDenominator": codec.interval_s.numerator,
                "MaxCaptures": codec.max_captures,
                "Quality": codec.quality,
            },
        }
        return description
    settings = {
        **_rate(codec),
        **_keyframes(codec),
        "ParControl": "SPECIFIED",
        "ParNumerator": 1,
        "ParDenominator": 1,
        **frame_rate_settings(codec.frame_rate),
    }
    if isinstance(codec, H264):
        settings["CodecProfile"] = codec.profile.upper()
        description["CodecSettings"] = {"Codec": "H_264", "H264Settings": settings}
    else:
        profile = next(k for k, v in H265_PROFILES.items() if v == codec.profile)
        settings["CodecProfile"] = profile
        settings["WriteMp4PackagingType"] = codec.sample_entry.upper()
        description["CodecSettings"] = {"Codec": "H_265", "H265Settings": settings}
    preprocessors: dict[str, Any] = {}
    if video.preprocessors.deinterlace:
        control = "FORCE_ALL_FRAMES" if video.preprocessors.deinterlace_all_frames else "NORMAL"
        preprocessors["Deinterlacer"] = {
            "Mode": video.preprocessors.deinterlace,
            "Control": control,
        }
    if video.preprocessors.noise_reducer:
        preprocessors["NoiseReducer"] = {"Filter": video.preprocessors.noise_reducer}
    if video.preprocessors.images:
        preprocessors["ImageInserter"] = render_inputs.images(video.preprocessors.images)
    if preprocessors:
        description["VideoPreprocessors"] = preprocessors
    return description


def _audio(description: AudioDescription) -> dict[str, Any]:
    codec = description.codec
    settings: dict[str, Any]
    if isinstance(codec, Aac):
        settings = {
            "Codec": "AAC",
            "AacSettings": {
                "Bitrate": codec.bitrate,
                "CodecProfile": codec.profile,
                "CodingMode": channels_mode(codec.channels),
                "SampleRate": codec.sample_rate,
                "RateControlMode": "CBR",
            },
        }
    elif isinstance(codec, Ac3):
        modes = AC3_MODES if codec.codec == "AC3" else EAC3_MODES
        mode = next(m for m, (channels, *_) in modes.items() if channels == codec.channels)
        key = "Ac3Settings" if codec.codec == "AC3" else "Eac3Settings"
        settings = {
            "Codec": codec.codec,
            key: {"Bitrate": codec.bitrate, "CodingMode": mode, "SampleRate": codec.sample_rate},
        }
    elif isinstance(codec, Mp3):
        mp3: dict[str, Any] = {"Channels": codec.channels, "SampleRate": codec.sample_rate}
        if codec.bitrate is None:
            mp3.update({"RateControlMode": "VBR", "VbrQuality": codec.vbr_quality or 0})
        else:
            mp3.update({"RateControlMode": "CBR", "Bitrate": codec.bitrate})
        settings = {"Codec": "MP3", "Mp3Settings": mp3}
    else:
        assert isinstance(codec, Wav)
        settings = {
            "Codec": "WAV",
            "WavSettings": {
                "BitDepth": codec.bit_depth,
                "Channels": codec.channels,
                "SampleRate": codec.sample_rate,
                "Format": "RIFF",
            },
        }
    rendered = {"AudioSourceName": description.selector, "CodecSettings": settings}
    rendered.update(render_audio_groups.language_and_name(description))
    if description.remix is not None:
        rendered["RemixSettings"] = render_inputs.remix(description.remix)
    if description.loudness is not None:
        rendered["AudioNormalizationSettings"] = render_inputs.loudness(description.loudness)
    return rendered


def _output(output: Output) -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    if output.name_modifier:
        rendered["NameModifier"] = output.name_modifier
    if output.extension:
        rendered["Extension"] = output.extension
    container = output.container
    if isinstance(container, Mp4):
        placement = "PROGRESSIVE_DOWNLOAD" if container.moov_first else "NORMAL"
        rendered["ContainerSettings"] = {
            "Container": "MP4",
            "Mp4Settings": {"MoovPlacement": placement},
        }
    elif isinstance(container, Cmfc | Mpd):
        rendered["ContainerSettings"] = render_streaming.container_settings(
            container, bool(output.audio)
        )
    else:
        rendered["ContainerSettings"] = {"Container": container.container}
    if isinstance(container, M3u8):
        hls: dict[str, Any] = {}
        if output.segment_modifier:
            hls["SegmentModifier"] = output.segment_modifier
        if container.iframe_only:
            hls["IFrameOnlyManifest"] = "INCLUDE"
        hls.update(render_audio_groups.hls_settings(output))
        rendered["OutputSettings"] = {"HlsSettings": hls}
    if output.video is not None:
        rendered["VideoDescription"] = _video(output.video)
    if output.audio:
        rendered["AudioDescriptions"] = [_audio(a) for a in output.audio]
    if output.captions:
        rendered["CaptionDescriptions"] = render_captions.caption_descriptions(output.captions)
    return rendered


def _group(group: OutputGroup) -> dict[str, Any]:
    if isinstance(group, CmafGroup | DashIsoGroup):
        settings: dict[str, Any] = render_streaming.group_settings(group)
    elif isinstance(group, HlsGroup):
        settings = {
            "Type": "HLS_GROUP_SETTINGS",
            "HlsGroupSettings": {
                "Destination": group.destination,
                "SegmentLength": group.segment_seconds,
                "MinSegmentLength": 0,
                "ManifestDurationFormat": "INTEGER"
                if group.integer_durations
                else "FLOATING_POINT",
                "TargetDurationCompatibilityMode": "LEGACY"
                if group.round_target_duration_up
                else "SPEC_COMPLIANT",
                **render_trick_play(group.trick_play),
                **render_encryption(group.encryption),
            },
        }
        if group.gop_multiple_segments:
            settings["HlsGroupSettings"]["SegmentLengthControl"] = "GOP_MULTIPLE"
    else:
        settings = {
            "Type": "FILE_GROUP_SETTINGS",
            "FileGroupSettings": {"Destination": group.destination},
        }
    rendered = {"OutputGroupSettings": settings, "Outputs": [_output(o) for o in group.outputs]}
    if isinstance(group, HlsGroup) and group.automated_abr is not None:
        rendered["AutomatedEncodingSettings"] = render_inputs.automated_abr(group.automated_abr)
    return rendered


def render_model_settings(job: JobSpec) -> dict[str, Any]:
    """CreateJob ``Settings`` for a job model.

    Raises:
        ValueError: the model holds something this renderer does not write (named).
    """
    clock = {"Source": job.timecode_source}
    if job.timecode_start:
        clock["Start"] = job.timecode_start
    return {
        "TimecodeConfig": clock,
        "Inputs": [_input(source) for source in job.inputs],
        "OutputGroups": [_group(g) for g in job.output_groups],
    }
