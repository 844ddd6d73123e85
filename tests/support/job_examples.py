"""Jobs of the kinds teams publish, written (boto3's PascalCase) from the shapes of AWS's
MediaConvert documentation: the user guide's file-output example jobs, a frame capture on
its own, HLS beside MP4 downloads and audio extraction. Inputs and destinations are
parameters; fixtures stay short."""

from __future__ import annotations

from typing import Any

AUDIO_SELECTORS = {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}}


def _input(source: str) -> list[dict[str, Any]]:
    return [
        {
            "FileInput": source,
            "AudioSelectors": AUDIO_SELECTORS,
            "VideoSelector": {},
            "TimecodeSource": "ZEROBASED",
        }
    ]


def file_group(destination: str, *outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "Name": "File Group",
        "OutputGroupSettings": {
            "Type": "FILE_GROUP_SETTINGS",
            "FileGroupSettings": {"Destination": destination},
        },
        "Outputs": list(outputs),
    }


def aac(**settings: Any) -> dict[str, Any]:
    base = {"Bitrate": 96000, "CodingMode": "CODING_MODE_2_0", "SampleRate": 48000}
    return {
        "AudioSourceName": "Audio Selector 1",
        "CodecSettings": {"Codec": "AAC", "AacSettings": {**base, **settings}},
    }


def mp4_output(
    width: int = 640, height: int = 360, modifier: str | None = None, **h264: Any
) -> dict[str, Any]:
    """The user guide's MP4 file output: H.264 QVBR video and AAC audio in MP4."""
    output: dict[str, Any] = {
        "ContainerSettings": {"Container": "MP4", "Mp4Settings": {}},
        "VideoDescription": {
            "Width": width,
            "Height": height,
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": {
                    "RateControlMode": "QVBR",
                    "MaxBitrate": 1_000_000,
                    "SceneChangeDetect": "TRANSITION_DETECTION",
                    **h264,
                },
            },
        },
        "AudioDescriptions": [aac()],
    }
    if modifier is not None:
        output["NameModifier"] = modifier
    return output


def frame_capture_output(modifier: str = "_thumb", **capture: Any) -> dict[str, Any]:
    return {
        "NameModifier": modifier,
        "ContainerSettings": {"Container": "RAW"},
        "VideoDescription": {
            "Width": 320,
            "Height": 180,
            "CodecSettings": {
                "Codec": "FRAME_CAPTURE",
                "FrameCaptureSettings": {
                    "FramerateNumerator": 1,
                    "FramerateDenominator": 1,
                    "MaxCaptures": 10,
                    "Quality": 80,
                    **capture,
                },
            },
        },
    }


def mp4_job(source: str, destination: str) -> dict[str, Any]:
    """One MP4 file (destination ending in '/': named after the input)."""
    return {"Inputs": _input(source), "OutputGroups": [file_group(destination, mp4_output())]}


def frame_capture_job(source: str, destination: str) -> dict[str, Any]:
    """Only a frame capture: JPEG images every second."""
    return {
        "Inputs": _input(source),
        "OutputGroups": [file_group(destination, frame_capture_output())],
    }


def hls_group(destination: str, *rungs: tuple[str, int, int, int]) -> dict[str, Any]:
    """An HLS group of H.264/AAC renditions: (modifier, width, height, max bitrate)."""
    return {
        "Name": "Apple HLS",
        "OutputGroupSettings": {
            "Type": "HLS_GROUP_SETTINGS",
            "HlsGroupSettings": {
                "Destination": destination,
                "SegmentLength": 6,
                "MinSegmentLength": 0,
            },
        },
        "Outputs": [
            {
                "NameModifier": modifier,
                "ContainerSettings": {"Container": "M3U8", "M3u8Settings": {}},
                "VideoDescription": {
                    "Width": width,
                    "Height": height,
                    "CodecSettings": {
                        "Codec": "H_264",
                        "H264Settings": {
                            "RateControlMode": "QVBR",
                            "MaxBitrate": cap,
                            "GopSize": 2,
                            "GopSizeUnits": "SECONDS",
                            "SceneChangeDetect": "DISABLED",
                            "MinIInterval": 0,
                        },
                    },
                },
                "AudioDescriptions": [aac()],
                "OutputSettings": {"HlsSettings": {}},
            }
            for modifier, width, height, cap in rungs
        ],
    }


def hls_with_downloads_job(source: str, prefix: str) -> dict[str, Any]:
    """HLS beside file outputs, as AWS's VOD solution templates do: a two-rung HLS group,
    an H.265 MP4 with AC3, an audio-only M4A, MP3 and WAV extraction."""
    h265 = {
        "NameModifier": "_hevc",
        "ContainerSettings": {"Container": "MP4", "Mp4Settings": {"MoovPlacement": "NORMAL"}},
        "VideoDescription": {
            "Width": 640,
            "Height": 360,
            "CodecSettings": {
                "Codec": "H_265",
                "H265Settings": {
                    "RateControlMode": "QVBR",
                    "MaxBitrate": 800_000,
                    "CodecProfile": "MAIN_MAIN",
                    "WriteMp4PackagingType": "HVC1",
                },
            },
        },
        "AudioDescriptions": [
            {"CodecSettings": {"Codec": "AC3", "Ac3Settings": {"CodingMode": "CODING_MODE_2_0"}}}
        ],
    }
    m4a = {
        "NameModifier": "_audio",
        "Extension": "m4a",
        "ContainerSettings": {"Container": "MP4", "Mp4Settings": {}},
        "AudioDescriptions": [aac(SampleRate=44100, Bitrate=64000)],
    }
    mp3 = {
        "NameModifier": "_mp3",
        "ContainerSettings": {"Container": "RAW"},
        "AudioDescriptions": [
            {
                "CodecSettings": {
                    "Codec": "MP3",
                    "Mp3Settings": {
                        "Bitrate": 128000,
                        "Channels": 2,
                        "RateControlMode": "CBR",
                        "SampleRate": 44100,
                    },
                }
            }
        ],
    }
    wav = {
        "NameModifier": "_wav",
        "ContainerSettings": {"Container": "RAW"},
        "AudioDescriptions": [
            {"CodecSettings": {"Codec": "WAV", "WavSettings": {"BitDepth": 16, "Channels": 2}}}
        ],
    }
    return {
        "Inputs": _input(source),
        "OutputGroups": [
            hls_group(
                f"{prefix}/hls/index", ("_720p", 1280, 720, 3_000_000), ("_360p", 640, 360, 800_000)
            ),
            file_group(f"{prefix}/files/", h265, m4a, mp3, wav),
        ],
    }


def console_mp4_job(source: str, destination: str) -> dict[str, Any]:
    """An MP4 job as the MediaConvert console exports it (the user guide's "MP4 output"
    example jobs look like this): every member spelled out, GopSize in frames, no output
    size (the source's)."""
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "AdAvailOffset": 0,
        "Inputs": [
            {
                "FileInput": source,
                "AudioSelectors": {
                    "Audio Selector 1": {
                        "Offset": 0,
                        "DefaultSelection": "DEFAULT",
                        "ProgramSelection": 1,
                    }
                },
                "VideoSelector": {"ColorSpace": "FOLLOW", "Rotate": "DEGREE_0"},
                "FilterEnable": "AUTO",
                "PsiControl": "USE_PSI",
                "FilterStrength": 0,
                "DeblockFilter": "DISABLED",
                "DenoiseFilter": "DISABLED",
                "TimecodeSource": "EMBEDDED",
            }
        ],
        "OutputGroups": [
            {
                "Name": "File Group",
                "CustomName": "mp4",
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": destination},
                },
                "Outputs": [
                    {
                        "ContainerSettings": {
                            "Container": "MP4",
                            "Mp4Settings": {
                                "CslgAtom": "INCLUDE",
                                "FreeSpaceBox": "EXCLUDE",
                                "MoovPlacement": "PROGRESSIVE_DOWNLOAD",
                            },
                        },
                        "VideoDescription": {
                            "ScalingBehavior": "DEFAULT",
                            "TimecodeInsertion": "DISABLED",
                            "AntiAlias": "ENABLED",
                            "Sharpness": 50,
                            "AfdSignaling": "NONE",
                            "DropFrameTimecode": "ENABLED",
                            "RespondToAfd": "NONE",
                            "ColorMetadata": "INSERT",
                            "CodecSettings": {
                                "Codec": "H_264",
                                "H264Settings": {
                                    "InterlaceMode": "PROGRESSIVE",
                                    "NumberReferenceFrames": 3,
                                    "Syntax": "DEFAULT",
                                    "Softness": 0,
                                    "GopClosedCadence": 1,
                                    "GopSize": 90,
                                    "Slices": 1,
                                    "GopBReference": "DISABLED",
                                    "SlowPal": "DISABLED",
                                    "SpatialAdaptiveQuantization": "ENABLED",
                                    "TemporalAdaptiveQuantization": "ENABLED",
                                    "FlickerAdaptiveQuantization": "DISABLED",
                                    "EntropyEncoding": "CABAC",
                                    "Bitrate": 1_000_000,
                                    "FramerateControl": "INITIALIZE_FROM_SOURCE",
                                    "RateControlMode": "CBR",
                                    "CodecProfile": "MAIN",
                                    "Telecine": "NONE",
                                    "MinIInterval": 0,
                                    "AdaptiveQuantization": "HIGH",
                                    "CodecLevel": "AUTO",
                                    "FieldEncoding": "PAFF",
                                    "SceneChangeDetect": "ENABLED",
                                    "QualityTuningLevel": "SINGLE_PASS",
                                    "FramerateConversionAlgorithm": "DUPLICATE_DROP",
                                    "UnregisteredSeiTimecode": "DISABLED",
                                    "GopSizeUnits": "FRAMES",
                                    "ParControl": "INITIALIZE_FROM_SOURCE",
                                    "NumberBFramesBetweenReferenceFrames": 2,
                                    "RepeatPps": "DISABLED",
                                },
                            },
                        },
                        "AudioDescriptions": [
                            {
                                "AudioTypeControl": "FOLLOW_INPUT",
                                "AudioSourceName": "Audio Selector 1",
                                "LanguageCodeControl": "FOLLOW_INPUT",
                                "CodecSettings": {
                                    "Codec": "AAC",
                                    "AacSettings": {
                                        "AudioDescriptionBroadcasterMix": "NORMAL",
                                        "Bitrate": 96000,
                                        "RateControlMode": "CBR",
                                        "CodecProfile": "LC",
                                        "CodingMode": "CODING_MODE_2_0",
                                        "RawFormat": "NONE",
                                        "SampleRate": 48000,
                                        "Specification": "MPEG4",
                                    },
                                },
                            }
                        ],
                    }
                ],
            }
        ],
    }


def iframe_job(source: str, prefix: str) -> dict[str, Any]:
    group = hls_group(f"{prefix}/hls/index", ("_720p", 1280, 720, 3_000_000))
    output = group["Outputs"][0]
    output["OutputSettings"] = {"HlsSettings": {"IFrameOnlyManifest": "INCLUDE"}}
    h264 = output["VideoDescription"]["CodecSettings"]["H264Settings"]
    h264["GopSize"] = 1  # two keyframes in a 2 s clip: one range starts mid-segment
    return {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [group],
    }


def hevc_hls_job(source: str, destination: str) -> dict[str, Any]:
    """An HLS group (TS segments) of an H.264 rung and an H.265 rung with AWS's HVC1
    packaging, on 1 s GOPs and segments so that a 2 s clip gives two segments each."""
    group = hls_group(destination, ("_avc", 640, 360, 800_000), ("_hevc", 640, 360, 600_000))
    group["OutputGroupSettings"]["HlsGroupSettings"]["SegmentLength"] = 1
    for output in group["Outputs"]:
        output["VideoDescription"]["CodecSettings"]["H264Settings"]["GopSize"] = 1
    hevc = group["Outputs"][1]["VideoDescription"]["CodecSettings"]
    hevc["H265Settings"] = {
        **hevc.pop("H264Settings"),
        "CodecProfile": "MAIN_MAIN",
        "WriteMp4PackagingType": "HVC1",
    }
    hevc["Codec"] = "H_265"
    return {"Inputs": _input(source), "OutputGroups": [group]}
