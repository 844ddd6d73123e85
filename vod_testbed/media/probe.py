"""Probing media with PyAV (libav in a wheel), so it works where no ffprobe is installed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from vod_testbed.common import errors
from vod_testbed.media import containers

# Apple HLS authoring spec 1.19: no frame rate above 60.
MAX_RATE = Fraction(60)
# MediaConvert's rule for a variable-rate input with "follow source": "a constant frame rate
# output, with a frame rate that is the average of the input frame rates, rounded up to the
# nearest whole number standard frame rate: 1, 5, 10, 15, 24, 30, 50, or 60 fps" (user
# guide, "Using variable frame rate inputs").
VFR_OUTPUT_RATES = tuple(Fraction(r) for r in (1, 5, 10, 15, 24, 30, 50, 60))


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    width: int
    height: int
    sample_aspect_ratio: Fraction
    rotation: int
    average_rate: Fraction | None
    base_rate: Fraction | None
    pix_fmt: str
    profile: str | None
    bit_depth: int
    interlaced: bool = False

    @property
    def picture_size(self) -> tuple[int, int]:
        """Width and height with square pixels (SAR applied), before any rotation."""
        width = (
            round(self.width * self.sample_aspect_ratio) if self.sample_aspect_ratio else self.width
        )
        return width, self.height

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as a player sees them (SAR applied, rotation honoured)."""
        width, height = self.picture_size
        if abs(self.rotation) % 180 == 90:
            return height, width
        return width, height

    @property
    def is_variable_rate(self) -> bool:
        if not self.average_rate or not self.base_rate:
            return False
        return abs(self.average_rate - self.base_rate) / self.base_rate > Fraction(1, 100)


@dataclass(frozen=True)
class AudioInfo:
    codec: str
    channels: int
    sample_rate: int


@dataclass(frozen=True)
class MediaInfo:
    format_name: str
    duration_s: float
    size_bytes: int
    video: VideoInfo | None
    audio: AudioInfo | None
    # The video stream alone: what every rendition must last. duration_s is the longest
    # stream, which an audio tail can make longer than any picture.
    video_duration_s: float | None = None

    def to_input_details(self, uri: str) -> dict[str, Any]:
        """The shape MediaConvert reports in INPUT_INFORMATION events."""
        details: dict[str, Any] = {"id": 1, "uri": uri, "audio": [], "video": []}
        if self.video:
            v = self.video
            details["video"].append(
                {
                    "bitDepth": v.bit_depth,
                    "codec": v.codec.upper().replace("H264", "H_264").replace("HEVC", "H_265"),
                    "colorFormat": "YUV_444" if "444" in v.pix_fmt else "YUV_420",
                    "frameRate": float(output_frame_rate(v)),
                    "height": v.height,
                    "width": v.width,
                    "interlaceMode": "PROGRESSIVE",
                    "sar": f"{v.sample_aspect_ratio.numerator}:{v.sample_aspect_ratio.denominator}",
                    "standard": "UNSPECIFIED",
                    "streamId": 1,
                }
            )
        if self.audio:
            details["audio"].append(
                {
                    "channels": self.audio.channels,
                    "codec": self.audio.codec.upper(),
                    "language": "UND",
                    "sampleRate": self.audio.sample_rate,
                    "streamId": 2,
                }
            )
        return details


def follow_source_rate(video: VideoInfo) -> Fraction:
    """The constant rate MediaConvert's "follow source" gives this video.

    A constant-rate source keeps its rate; a variable-rate one gets its average rate
    rounded up to the next of 1, 5, 10, 15, 24, 30, 50, 60 fps (60 for anything faster: the
    documented list ends there).
    """
    if not video.is_variable_rate:
        return video.base_rate or video.average_rate or Fraction(30)
    average = video.average_rate or video.base_rate or Fraction(30)
    return next((r for r in VFR_OUTPUT_RATES if r >= average), VFR_OUTPUT_RATES[-1])


def output_frame_rate(video: VideoInfo) -> Fraction:
    """The constant frame rate the ladder is encoded at when it does not set one.

    :func:`follow_source_rate`, halved while above 60 fps (Apple HLS 1.19). MediaConvert
    would keep a 120 fps source at 120, so the MediaConvert backend sends this rate
    explicitly for such sources.
    """
    rate = follow_source_rate(video)
    while rate > MAX_RATE:
        rate /= 2
    return rate


def _fraction(value: Any) -> Fraction | None:
    if value is None:
        return None
    frac = Fraction(value)
    return frac if frac > 0 else None


def probe(path: Path | str, *, audio_only: bool = False) -> MediaInfo:
    """Read what the backends need to know about a media file.

    Only accepted containers are opened, as plain files (see
    :mod:`vod_testbed.media.containers`). With ``audio_only``, a file with sound and no
    picture is described (``video`` None) rather than refused.

    Raises:
        TranscodeError: 1010 when the file is empty, not media, a still image, not in an
            accepted container, or has no video stream (and, with ``audio_only``, no audio
            either); 1030 when its video cannot be decoded.
    """
    path = Path(path)
    size = os.path.getsize(path)
    if size == 0:
        raise errors.TranscodeError(errors.INPUT_ERROR, "The input file is empty (0 bytes).")
    try:
        container = av.open(containers.file_url(path), options=containers.open_options())
    except av.error.ArgumentError as exc:
        # EINVAL: libav found a demuxer outside the allow-list (a playlist, a list, ...).
        raise errors.TranscodeError(errors.INPUT_ERROR, containers.refusal_message(path)) from exc
    except av.error.FFmpegError as exc:
        if containers.recognised(path):
            # A playlist or list under a video name: say what it is.
            raise errors.TranscodeError(
                errors.INPUT_ERROR, containers.refusal_message(path)
            ) from exc
        # strerror only: str(exc) names the file, a host path.
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            f"The input is not a media file that can be read: {exc.strerror or 'unreadable'}.",
        ) from exc
    with container:
        if audio_only and not container.streams.video and container.streams.audio:
            return _probe_audio(container, size)
        if not container.streams.video:
            kinds = ", ".join(sorted({s.type for s in container.streams})) or "none"
            raise errors.TranscodeError(
                errors.INPUT_ERROR,
                f"The input has no video stream (streams found: {kinds}); "
                "an HLS video ladder needs one.",
            )
        vstream = container.streams.video[0]
        rotation, interlaced = _first_frame(container, vstream)
        cc = vstream.codec_context
        pix_fmt = cc.pix_fmt or "unknown"
        video = VideoInfo(
            codec=cc.name,
            width=cc.width,
            height=cc.height,
            sample_aspect_ratio=_fraction(cc.sample_aspect_ratio) or Fraction(1),
            rotation=rotation,
            average_rate=_fraction(vstream.average_rate),
            base_rate=_fraction(vstream.base_rate),
            pix_fmt=pix_fmt,
            profile=vstream.profile,
            bit_depth=10 if ("10" in pix_fmt or "p12" in pix_fmt) else 8,
            interlaced=interlaced,
        )
        audio = None
        if container.streams.audio:
            acc = container.streams.audio[0].codec_context
            audio = AudioInfo(codec=acc.name, channels=acc.channels, sample_rate=acc.sample_rate)
        duration = _duration_s(container, vstream)
        video_duration = (
            float(vstream.duration * vstream.time_base)
            if vstream.duration and vstream.time_base
            else duration
        )
        return MediaInfo(container.format.name, duration, size, video, audio, video_duration)


def _probe_audio(container: Any, size: int) -> MediaInfo:
    """A file of sound alone; its duration is the audio stream's (else the container's)."""
    astream = container.streams.audio[0]
    acc = astream.codec_context
    audio = AudioInfo(codec=acc.name, channels=acc.channels, sample_rate=acc.sample_rate)
    duration = _duration_s(container, astream)
    return MediaInfo(container.format.name, duration, size, None, audio, None)


def _first_frame(container: Any, vstream: Any) -> tuple[int, bool]:
    """Decode one frame: proves the video decodes, and yields its display rotation and
    whether it is interlaced."""
    try:
        for frame in container.decode(vstream):
            return round(getattr(frame, "rotation", 0) or 0), bool(frame.interlaced_frame)
    except av.error.FFmpegError as exc:
        raise errors.TranscodeError(
            errors.UNSUPPORTED_CODEC,
            f"The video stream ({vstream.codec_context.name}) cannot be decoded: "
            f"{exc.strerror or 'decoder error'}.",
        ) from exc
    raise errors.TranscodeError(
        errors.INPUT_ERROR, "The video stream holds no decodable frame (truncated or corrupt)."
    )


def _duration_s(container: Any, vstream: Any) -> float:
    """The longer of the container's and the (video) stream's durations: the ladder muxes
    audio and video together, so its renditions last as long as the longer stream."""
    candidates = []
    if vstream.duration and vstream.time_base:
        candidates.append(float(vstream.duration * vstream.time_base))
    if container.duration:
        candidates.append(container.duration / 1_000_000)
    if not candidates:
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            "The input's duration cannot be determined (corrupt or streaming-only).",
        )
    return max(candidates)
