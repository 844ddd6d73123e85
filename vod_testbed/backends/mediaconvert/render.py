"""The ladder -> MediaConvert CreateJob ``Settings`` (boto3's PascalCase): the other half
of :mod:`.parse`, so that rendering a ladder and parsing it back gives the same ladder (see
docs/ARCHITECTURE.md, "The settings contract").
"""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    Ladder,
    PortraitPolicy,
    RateControl,
    Rung,
    ThumbnailSpec,
    UpscalePolicy,
    plan_renditions,
    thumbnail_geometry,
)
from vod_testbed.backends.mediaconvert.coverage import (
    AAC_BITRATES,
    AAC_SAMPLE_RATES,
    AUDIO_SELECTOR,
    CODING_MODE_CHANNELS,
    H264_PROFILES,
)


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
    return next(mode for mode, count in CODING_MODE_CHANNELS.items() if count == channels)


def _check_renderable(ladder: Ladder) -> None:
    """Refuse, before any API call, a ladder that MediaConvert could not encode as asked
    (or that would not read back as the same ladder)."""
    audio = ladder.audio
    problems = []
    if audio is not None:
        if (audio.codec.lower(), audio.profile) != ("aac", "LC"):
            problems.append(f"audio {audio.codec}/{audio.profile}: only AAC LC is rendered")
        if audio.channels not in CODING_MODE_CHANNELS.values():
            problems.append(f"{audio.channels} audio channels: only mono and stereo are rendered")
        if audio.sample_rate not in AAC_SAMPLE_RATES:
            problems.append(f"{audio.sample_rate} Hz is not an AAC sample rate of MediaConvert")
    for rung in ladder.rungs:
        if audio is not None and rung.audio_bitrate not in AAC_BITRATES:
            problems.append(f"rung {rung.name}: {rung.audio_bitrate} is not an AAC bitrate")
        if rung.profile.upper() not in H264_PROFILES:
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
