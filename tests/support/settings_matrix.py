"""The settings matrix's cases and what it compares of a finished job: CreateJob ``Settings``
written from AWS's documentation (boto3's PascalCase), each over small sources made here, and
the figures read back from an HLS output downloaded once (validation, tracks, loudness).

Followed: the service model (``InputClipping``, ``Input``, ``AudioNormalizationSettings``,
``InsertableImage``) and the user guide's "Assembling multiple inputs and input clips",
"Setting up audio normalization", "Image inserter", "Setting up captions" and "Creating
audio-only outputs"."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import m3u8

from tests.support.inputs import h264_output, hls_group, image, write_source
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.loudness import measure
from vod_testbed.hls.report import ValidationReport
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

AUDIO = {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}}
# The loudness case's target: not the default (-23), so that the target is seen to be read.
TARGET_LKFS = -16.0
# Where the watermark lies on the 320x180 picture, and a pixel inside it.
LOGO_AT = (10, 10)
LOGO_PIXEL = (20, 20)


def _input(uri: str, **more: Any) -> dict[str, Any]:
    return {"FileInput": uri, "TimecodeSource": "ZEROBASED", "AudioSelectors": AUDIO, **more}


def _job(out: str, *inputs: dict[str, Any], output: dict[str, Any] | None = None) -> dict[str, Any]:
    """One HLS group of one 320x180 H.264/AAC output, as AWS's example jobs write it."""
    return {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": list(inputs),
        "OutputGroups": [hls_group(f"{out}/hls/master", output or h264_output("_180p"))],
    }


@dataclass(frozen=True)
class Case:
    """One row of the matrix: its sources (written once, by name), the Settings that read
    them (``uris`` maps each source's name to where it was put), and the output's length."""

    name: str
    sources: Callable[[Path], dict[str, Path]]
    settings: Callable[[Mapping[str, str], str], dict[str, Any]]
    duration_s: float
    # Each variant's name modifier, picture size (None: audio only) and CODECS.
    variants: tuple[tuple[str, str | None, str], ...] = (
        # H.264 Main: AWS's default CodecProfile.
        ("_180p", "320x180", "avc1.4d400d,mp4a.40.2"),
    )


def _clipping(uris: Mapping[str, str], out: str) -> dict[str, Any]:
    # "The frame corresponding to the End timecode value is included in the clip": frames
    # 15 to 74, 2 s of the 3 s input.
    clip = {"StartTimecode": "00:00:00:15", "EndTimecode": "00:00:02:14"}
    return _job(out, _input(uris["talk.mp4"], InputClippings=[clip]))


def _stitched(uris: Mapping[str, str], out: str) -> dict[str, Any]:
    # "the transcoding service creates the job outputs by stringing the clips together in
    # the order you specify them": 1 s of bumper, then the 2 s feature.
    return _job(out, _input(uris["bumper.mp4"]), _input(uris["feature.mp4"]))


def _loudness(uris: Mapping[str, str], out: str) -> dict[str, Any]:
    output = h264_output("_180p")
    output["AudioDescriptions"][0]["AudioNormalizationSettings"] = {
        "Algorithm": "ITU_BS_1770_4",
        "AlgorithmControl": "CORRECT_AUDIO",
        "TargetLkfs": TARGET_LKFS,
    }
    return _job(out, _input(uris["loud.mp4"]), output=output)


SRT = (
    b"1\n00:00:00,200 --> 00:00:01,500\nWelcome\n\n"
    b"2\n00:00:01,800 --> 00:00:02,600\nto the course\n"
)


def _srt(path: Path) -> Path:
    path.write_bytes(SRT)
    return path


def _captions(uris: Mapping[str, str], out: str) -> dict[str, Any]:
    # Sidecar captions as the user guide sets them up: a caption selector per file
    # (FileSourceSettings), a captions-only WEBVTT output in the HLS group, and BURN_IN on
    # the video output.
    def selector(uri: str) -> dict[str, Any]:
        return {"SourceSettings": {"SourceType": "SRT", "FileSourceSettings": {"SourceFile": uri}}}

    video = h264_output("_180p")
    video["CaptionDescriptions"] = [
        {"CaptionSelectorName": "Burnt", "DestinationSettings": {"DestinationType": "BURN_IN"}}
    ]
    track = {
        "NameModifier": "_captions_eng",
        "ContainerSettings": {"Container": "M3U8"},
        "CaptionDescriptions": [
            {
                "CaptionSelectorName": "English",
                "LanguageCode": "ENG",
                "LanguageDescription": "English",
                "DestinationSettings": {"DestinationType": "WEBVTT"},
            }
        ],
    }
    selectors = {"English": selector(uris["talk.en.srt"]), "Burnt": selector(uris["talk.en.srt"])}
    job = _job(out, _input(uris["talk.mp4"], CaptionSelectors=selectors), output=video)
    job["OutputGroups"][0]["Outputs"].append(track)
    return job


def tone(path: Path, duration_s: float = 3.0) -> Path:
    """An audio-only file: a 440 Hz stereo tone in AAC."""
    argv = [
        binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={duration_s}",
        "-ac", "2", "-c:a", "aac", "-b:a", "128k", str(path),
    ]  # fmt: skip
    subprocess.run(argv, check=True, timeout=60)
    return path


def _audio_only(uris: Mapping[str, str], out: str) -> dict[str, Any]:
    # "Creating audio-only outputs" (user guide): an HLS group of audio-only outputs, each
    # a variant of its own, from an input with no video.
    def rendition(modifier: str, bitrate: int) -> dict[str, Any]:
        audio = h264_output(modifier)["AudioDescriptions"]
        audio[0]["CodecSettings"]["AacSettings"]["Bitrate"] = bitrate
        return {
            "NameModifier": modifier,
            "ContainerSettings": {"Container": "M3U8"},
            "AudioDescriptions": audio,
        }

    group = hls_group(f"{out}/hls/master", rendition("_128k", 128_000), rendition("_64k", 64_000))
    return {"Inputs": [_input(uris["talk.m4a"])], "OutputGroups": [group]}


def _watermark(uris: Mapping[str, str], out: str) -> dict[str, Any]:
    logo = {
        "ImageInserterInput": uris["logo.png"],
        "ImageX": LOGO_AT[0],
        "ImageY": LOGO_AT[1],
        "Opacity": 100,
        "Layer": 1,
    }
    inserter = {"InsertableImages": [logo]}
    return _job(out, _input(uris["lecture.mp4"], ImageInserter=inserter))


CASES = (
    Case(
        "captions",
        lambda d: {
            "talk.mp4": write_source(d / "talk.mp4", duration_s=3),
            "talk.en.srt": _srt(d / "talk.en.srt"),
        },
        _captions,
        3.0,
    ),
    Case(
        "audio-only",
        lambda d: {"talk.m4a": tone(d / "talk.m4a")},
        _audio_only,
        3.0,
        (("_128k", None, "mp4a.40.2"), ("_64k", None, "mp4a.40.2")),
    ),
    Case(
        "clipping",
        lambda d: {"talk.mp4": write_source(d / "talk.mp4", duration_s=3)},
        _clipping,
        2.0,
    ),
    Case(
        "stitched",
        lambda d: {
            "bumper.mp4": write_source(d / "bumper.mp4", duration_s=1),
            "feature.mp4": write_source(d / "feature.mp4", duration_s=2, tracks=((660, None, 2),)),
        },
        _stitched,
        3.0,
    ),
    Case(
        "loudness",
        # A 440 Hz tone 12 dB up: about -7 LUFS, far from the target.
        lambda d: {"loud.mp4": write_source(d / "loud.mp4", duration_s=3, volume_db=12)},
        _loudness,
        3.0,
    ),
    Case(
        "watermark",
        lambda d: {
            "lecture.mp4": write_source(d / "lecture.mp4", duration_s=2),
            "logo.png": image(d / "logo.png"),
        },
        _watermark,
        2.0,
    ),
)


def download(storage: Storage, folder: str, dest: Path) -> Path:
    """Every object under the S3 folder ``folder`` into ``dest``, at the same relative paths."""
    prefix = folder.rstrip("/") + "/"
    for uri in storage.list(prefix):
        storage.fetch(uri, dest / uri[len(prefix) :])
    return dest


def joined(playlist: Path) -> Path:
    """A media playlist's MPEG-TS segments, one after the other in one file beside it."""
    names = [
        line for line in playlist.read_text().splitlines() if line and not line.startswith("#")
    ]
    out = playlist.with_suffix(".joined.ts")
    with out.open("wb") as whole:
        for name in names:
            whole.write((playlist.parent / name).read_bytes())
    return out


def band(video: Path, at_s: float, top: int, height: int) -> bytes:
    """The grey levels of a horizontal band of the frame ``at_s`` seconds in."""
    argv = [
        binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", str(video),
        "-ss", str(at_s), "-frames:v", "1", "-vf", f"crop=iw:{height}:0:{top}",
        "-f", "rawvideo", "-pix_fmt", "gray", "-",
    ]  # fmt: skip
    return subprocess.run(argv, check=True, capture_output=True, timeout=30).stdout


def loudness_lkfs(media: Path) -> float:
    """Integrated loudness (ITU-R BS.1770-4, ffmpeg's ``ebur128``) of the first audio track."""
    return measure(binary.find_ffmpeg(), media).integrated_lkfs


def loudness_by_playlist(master: Path) -> dict[str, float | None]:
    """The integrated loudness of every media playlist a downloaded multivariant playlist
    names (variants and audio renditions, by URI), None for one without sound."""
    parsed = m3u8.load(str(master))
    has_sound: dict[str, bool] = {
        m.uri: m.type == "AUDIO" for m in parsed.media if m.uri is not None
    }
    for variant in parsed.playlists:
        # A variant that plays an audio group lists the group's codec but holds no sound.
        sound = "mp4a" in (variant.stream_info.codecs or "") and not variant.stream_info.audio
        has_sound[variant.uri] = sound
    return {
        uri: loudness_lkfs(joined(master.parent / uri)) if sound else None
        for uri, sound in has_sound.items()
    }


def hls_loudness(storage: Storage, master_uri: str, dest: Path) -> dict[str, float | None]:
    """:func:`loudness_by_playlist` of an HLS output in S3, downloaded into ``dest``."""
    folder, name = master_uri.rsplit("/", 1)
    return loudness_by_playlist(download(storage, folder, dest) / name)


@dataclass(frozen=True)
class Figures:
    """What one backend's HLS output is, as read back: its validation report, each variant's
    tracks, and the loudness of each playlist with sound."""

    report: ValidationReport
    tracks: list[tuple[Any, ...]]
    subtitles: list[tuple[Any, ...]]
    loudness: dict[str, float | None]


def read_hls(master: Path, source_duration_s: float | None = None) -> Figures:
    """Validate a downloaded HLS output and read its variants' tracks and loudness."""
    report = validate_hls(master, source_duration_s=source_duration_s)
    tracks = [
        (r.name, r.resolution, r.codecs, r.frame_rate, r.segment_count, r.audio)
        for r in report.renditions
    ]
    subtitles = [
        (s.language, s.name, s.default, s.segment_count, s.cue_count) for s in report.subtitles
    ]
    return Figures(report, tracks, subtitles, loudness_by_playlist(master))


def assert_equally_loud(
    ours: dict[str, float | None], theirs: dict[str, float | None], *, lu: float = 1.0
) -> None:
    """The same playlists with sound on both sides, each within ``lu`` of the other."""
    assert {k for k, v in ours.items() if v is not None} == {
        k for k, v in theirs.items() if v is not None
    }, (ours, theirs)
    for uri, a in ours.items():
        b = theirs[uri]
        if a is not None and b is not None:
            assert abs(a - b) <= lu, (uri, a, b)
