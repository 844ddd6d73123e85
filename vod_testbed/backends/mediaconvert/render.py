"""The ladder -> MediaConvert CreateJob ``Settings`` (boto3's PascalCase): the other half
of :mod:`.parse`, so that rendering a ladder and parsing it back gives the same ladder (see
docs/ARCHITECTURE.md, "The settings contract").

The settings say what the FFmpeg backend does, so AWS writes the same renditions: IDRs only
on the fixed GOP grid (scene change detection off, ``MinIInterval`` 0), the same VBV
buffer and initial fill, square pixels, and - given the probed source - the rungs the
ladder's policies keep, no audio for a source without any, and an explicit frame rate
where MediaConvert's "follow source" would differ from the FFmpeg backend's.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    AudioRendition,
    AudioSpec,
    Ladder,
    PortraitPolicy,
    RateControl,
    Rung,
    ThumbnailSpec,
    UpscalePolicy,
    audio_renditions,
    plan_renditions,
    rung_box,
    thumbnail_geometry,
)
from vod_testbed.backends.mediaconvert.codec_limits import aac_problem, h264_size_problem
from vod_testbed.backends.mediaconvert.coverage import (
    AUDIO_SELECTOR,
    CODING_MODE_CHANNELS,
    H264_PROFILES,
)
from vod_testbed.backends.mediaconvert.parse import ROTATE
from vod_testbed.backends.mediaconvert.render_captions import (
    ladder_burn_in_descriptions,
    ladder_caption_output,
    ladder_caption_selectors,
)
from vod_testbed.backends.mediaconvert.render_encryption import render_encryption
from vod_testbed.backends.mediaconvert.trickplay import render_trick_play
from vod_testbed.backends.source import display_size
from vod_testbed.media.probe import MediaInfo, follow_source_rate, output_frame_rate

# VideoSelector.Rotate by policy: the names the parser reads, the other way round.
ROTATE_NAMES = {policy: name for name, policy in ROTATE.items()}

SCALING_BEHAVIOR = {
    UpscalePolicy.UPSCALE: "DEFAULT",
    # DROP has no MediaConvert setting: the dropped rungs are left out, the rest fit as usual.
    UpscalePolicy.DROP: "DEFAULT",
    UpscalePolicy.FIT_NO_UPSCALE: "FIT_NO_UPSCALE",
}


def frame_rate_settings(frame_rate: Fraction | None) -> dict[str, Any]:
    if frame_rate is None:
        return {"FramerateControl": "INITIALIZE_FROM_SOURCE"}
    return {
        "FramerateControl": "SPECIFIED",
        "FramerateNumerator": frame_rate.numerator,
        "FramerateDenominator": frame_rate.denominator,
        "FramerateConversionAlgorithm": "DUPLICATE_DROP",
    }


def _keyframe_settings(ladder: Ladder) -> dict[str, Any]:
    """Explicit whole-second GOPs rather than AWS's recommended AUTO: the FFmpeg backend
    keys its segments on the same grid, so both write the same segments. Scene change
    detection is on by default on AWS and would add IDRs between the grid's; MinIInterval 0
    is the documented way to "only create IDR-frames at the start of your output's
    cadence-driven GOP"."""
    gop: dict[str, Any] = {
        "GopSize": float(ladder.gop_seconds),
        "GopSizeUnits": "SECONDS",
        "GopClosedCadence": 1,
    }
    if ladder.scene_cut_min_frames is None:
        return {**gop, "SceneChangeDetect": "DISABLED", "MinIInterval": 0}
    return {**gop, "SceneChangeDetect": "ENABLED", "MinIInterval": ladder.scene_cut_min_frames}


def _h264_settings(rung: Rung, ladder: Ladder, frame_rate: Fraction | None) -> dict[str, Any]:
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
            "HrdBufferSize": rung.buffer_size,
            "HrdBufferInitialFillPercentage": rung.buffer_initial_fill_percent,
            "CodecProfile": rung.profile.upper(),
            "CodecLevel": "AUTO",
            "QualityTuningLevel": "SINGLE_PASS_HQ",
            **_keyframe_settings(ladder),
            # Square pixels, as the FFmpeg backend writes them (an anamorphic source is
            # scaled to its display size first).
            "ParControl": "SPECIFIED",
            "ParNumerator": 1,
            "ParDenominator": 1,
            **frame_rate_settings(frame_rate),
            "InterlaceMode": "PROGRESSIVE",
        }
    )
    return h264


def channels_mode(channels: int) -> str:
    return next(mode for mode, count in CODING_MODE_CHANNELS.items() if count == channels)


def _check_renderable(ladder: Ladder, boxes: list[tuple[Rung, tuple[int, int]]]) -> None:
    """Refuse, before any API call, a ladder that MediaConvert could not encode as asked
    (or that would not read back as the same ladder)."""
    audio = ladder.audio
    problems = []
    if audio is not None:
        if (audio.codec.lower(), audio.profile) != ("aac", "LC"):
            problems.append(f"audio {audio.codec}/{audio.profile}: only AAC LC is rendered")
        if audio.channels not in CODING_MODE_CHANNELS.values():
            problems.append(f"{audio.channels} audio channels: only mono and stereo are rendered")
    for rung, box in boxes:
        own = rung.audio_spec(audio) if audio is not None else None
        if own is not None and own.channels in CODING_MODE_CHANNELS.values():
            aac = aac_problem(
                own.profile, channels_mode(own.channels), own.sample_rate, rung.audio_bitrate
            )
            if aac:
                problems.append(f"rung {rung.name}: {aac}")
        if rung.profile.upper() not in H264_PROFILES:
            problems.append(f"rung {rung.name}: H.264 profile {rung.profile!r}")
        size = h264_size_problem(*box)
        if size:
            problems.append(f"rung {rung.name}: {size}")
    if problems:
        raise ValueError("; ".join(problems))


def _hls_output(
    rung: Rung,
    box: tuple[int, int],
    ladder: Ladder,
    frame_rate: Fraction | None,
    with_audio: bool,
) -> dict[str, Any]:
    output: dict[str, Any] = {
        "NameModifier": rung.name_modifier,
        "ContainerSettings": {"Container": "M3U8", "M3u8Settings": {}},
        "OutputSettings": {"HlsSettings": {}},
        "VideoDescription": {
            "Width": box[0],
            "Height": box[1],
            "ScalingBehavior": SCALING_BEHAVIOR[ladder.upscale],
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": _h264_settings(rung, ladder, frame_rate),
            },
        },
    }
    if ladder.audio is None or not with_audio:
        return output
    audio = rung.audio_spec(ladder.audio)
    output["AudioDescriptions"] = [
        {
            "AudioSourceName": AUDIO_SELECTOR,
            "CodecSettings": {
                "Codec": "AAC",
                "AacSettings": {
                    "Bitrate": rung.audio_bitrate,
                    "CodingMode": channels_mode(audio.channels),
                    "SampleRate": audio.sample_rate,
                    "CodecProfile": audio.profile,
                    "RateControlMode": "CBR",
                },
            },
        }
    ]
    return output


def _hls_group(
    destination: str, ladder: Ladder, outputs: list[dict[str, Any]], extra: dict[str, Any]
) -> dict[str, Any]:
    return {
        "Name": "Apple HLS",
        "OutputGroupSettings": {
            "Type": "HLS_GROUP_SETTINGS",
            "HlsGroupSettings": {
                "Destination": destination,
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
                # Explicit: AWS's default, LEGACY, rounds EXT-X-TARGETDURATION up (a
                # 6.006 s segment at 29.97 fps gets 7) where RFC 8216 rounds it.
                "TargetDurationCompatibilityMode": (
                    "LEGACY" if ladder.round_target_duration_up else "SPEC_COMPLIANT"
                ),
                **extra,
                **render_encryption(ladder.encryption),
            },
        },
        "Outputs": outputs,
    }


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


def _outputs_for(
    ladder: Ladder, source: MediaInfo | None
) -> tuple[list[tuple[Rung, tuple[int, int]]], tuple[int, int]]:
    """(rung, output box) of each output, and the frame-capture box.

    Without the source, every rung in its own box; DROP and ROTATE_BOX cannot be rendered.
    With it, the rungs :func:`~vod_testbed.backends.ladder.plan_renditions` keeps, in the
    boxes the FFmpeg backend uses (FIT_NO_UPSCALE sends the rung's box: AWS shrinks into it).
    """
    thumbs = ladder.thumbnails
    thumb_box = (thumbs.width, thumbs.height) if thumbs else (0, 0)
    if source is None:
        if ladder.upscale is UpscalePolicy.DROP or ladder.portrait is PortraitPolicy.ROTATE_BOX:
            raise ValueError(
                f"upscale policy {ladder.upscale} and portrait policy {ladder.portrait} "
                "are resolved against the source: render with the probed source"
            )
        return [(rung, (rung.width, rung.height)) for rung in ladder.rungs], thumb_box
    size = display_size(source, ladder.rotate)
    outputs = [(p.rung, rung_box(ladder, p.rung, *size)) for p in plan_renditions(ladder, *size)]
    geometry = thumbnail_geometry(ladder, *size)
    if geometry is not None:
        thumb_box = (geometry.box_width, geometry.box_height)
    return outputs, thumb_box


def _frame_rate(ladder: Ladder, source: MediaInfo | None) -> Fraction | None:
    """The rate to send explicitly: the ladder's own, or the FFmpeg backend's where it
    differs from what "follow source" gives (a source above 60 fps)."""
    if ladder.frame_rate is not None or source is None or source.video is None:
        return ladder.frame_rate
    encoded = output_frame_rate(source.video)
    return None if encoded == follow_source_rate(source.video) else encoded


def _audio_only_output(rendition: AudioRendition, audio: AudioSpec) -> dict[str, Any]:
    """One variant of an audio-only ladder: AAC alone, an EXT-X-STREAM-INF of its own
    (AUDIO_ONLY_VARIANT_STREAM) in MPEG-TS segments, as the FFmpeg backend writes it."""
    return {
        "NameModifier": rendition.name_modifier,
        "ContainerSettings": {"Container": "M3U8", "M3u8Settings": {}},
        "OutputSettings": {
            "HlsSettings": {
                "AudioTrackType": "AUDIO_ONLY_VARIANT_STREAM",
                "AudioOnlyContainer": "M2TS",
            }
        },
        "AudioDescriptions": [
            {
                "AudioSourceName": AUDIO_SELECTOR,
                "CodecSettings": {
                    "Codec": "AAC",
                    "AacSettings": {
                        "Bitrate": rendition.bitrate,
                        "CodingMode": channels_mode(audio.channels),
                        "SampleRate": audio.sample_rate,
                        "CodecProfile": audio.profile,
                        "RateControlMode": "CBR",
                    },
                },
            }
        ],
    }


def render_job_settings(request: JobRequest, *, source: MediaInfo | None = None) -> dict[str, Any]:
    """CreateJob ``Settings`` (boto3's PascalCase) that produce ``request``'s outputs.

    ``source`` is the probed input. With it, the settings give what the FFmpeg backend gives
    that source: the ladder policies resolved as it resolves them (upscale DROP keeps only
    the rungs :func:`~backends.ladder.plan_renditions` keeps, portrait ROTATE_BOX turns the
    boxes), no audio when the source has none, and an explicit frame rate above 60 fps.

    Raises:
        ValueError: DROP or ROTATE_BOX without ``source``, or audio, bitrates, profiles or
            sizes that MediaConvert cannot encode.
    """
    ladder = request.ladder
    if source is not None and source.video is None and ladder.audio_only and ladder.audio:
        return _audio_only_settings(request, ladder.audio)
    outputs, thumb_box = _outputs_for(ladder, source)
    _check_renderable(ladder, outputs)
    with_audio = ladder.audio is not None and (source is None or source.audio is not None)
    frame_rate = _frame_rate(ladder, source)
    video_outputs = [
        _hls_output(rung, box, ladder, frame_rate, with_audio) for rung, box in outputs
    ]
    burn_in = ladder_burn_in_descriptions(request.captions)
    if burn_in:
        for output in video_outputs:
            output["CaptionDescriptions"] = burn_in
    caption_outputs = [
        ladder_caption_output(i, track)
        for i, track in enumerate(request.captions)
        if not track.burn_in
    ]
    # Image-based trick play (backends/trickplay.py) beside the video renditions.
    hls_captions: dict[str, Any] = render_trick_play(ladder.trick_play)
    if caption_outputs:
        # Caption segments on the video's boundaries, as the FFmpeg backend cuts them;
        # CaptionLanguageSetting is for embedded 608 captions only.
        hls_captions["CaptionSegmentLengthControl"] = "MATCH_VIDEO"
    groups = [
        _hls_group(request.hls_destination, ladder, video_outputs + caption_outputs, hls_captions)
    ]
    if ladder.thumbnails is not None:
        groups.append(
            _frame_capture_group(request.thumbnail_destination, ladder.thumbnails, thumb_box)
        )
    selector: dict[str, Any] = {"Rotate": ROTATE_NAMES[ladder.rotate]}
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [
            {
                "FileInput": request.input_uri,
                "TimecodeSource": "ZEROBASED",
                "VideoSelector": selector,
                **(
                    {"AudioSelectors": {AUDIO_SELECTOR: {"DefaultSelection": "DEFAULT"}}}
                    if with_audio
                    else {}
                ),
                **(
                    {"CaptionSelectors": ladder_caption_selectors(request.captions)}
                    if request.captions
                    else {}
                ),
            }
        ],
        "OutputGroups": groups,
    }


def _audio_only_settings(request: JobRequest, audio: AudioSpec) -> dict[str, Any]:
    """The settings of an audio-only ladder (a source without video, a ladder that allows
    it): one HLS group of audio-only variants, no frame captures (there is no picture)."""
    ladder = request.ladder
    group = _hls_group(
        request.hls_destination,
        ladder,
        [_audio_only_output(r, audio) for r in audio_renditions(ladder)],
        {},
    )
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [
            {
                "FileInput": request.input_uri,
                "TimecodeSource": "ZEROBASED",
                "AudioSelectors": {AUDIO_SELECTOR: {"DefaultSelection": "DEFAULT"}},
            }
        ],
        "OutputGroups": [group],
    }


def render_template_settings(ladder: Ladder) -> dict[str, Any]:
    """``ladder`` as a job template's ``Settings``: what :func:`render_job_settings` renders
    for it without a probed source, minus the input file and the destinations, which each
    job gives."""
    placeholder = "s3://job-template/input"
    settings = render_job_settings(
        JobRequest(placeholder, f"{placeholder}/hls", f"{placeholder}/thumbnails", ladder)
    )
    for job_input in settings["Inputs"]:
        del job_input["FileInput"]
    for group in settings["OutputGroups"]:
        group_settings = group["OutputGroupSettings"]
        for value in group_settings.values():
            if isinstance(value, dict):
                value.pop("Destination", None)
    return settings
