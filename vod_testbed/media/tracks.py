"""The audio tracks of an input and its embedded start timecode, read with PyAV.

MediaConvert numbers an input's audio tracks from 1 in the order the container lists them
("These numberings include only tracks recognized as audio", service model), and selects
them by that number, by transport-stream PID or by language; this module reads what those
selections need. Opening follows :mod:`vod_testbed.media.containers` (allowed demuxers, the
``file`` protocol only); the input has already passed :func:`vod_testbed.media.probe.probe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av

from vod_testbed.media import containers


@dataclass(frozen=True)
class AudioTrack:
    """One audio track: ``number`` is MediaConvert's track number (1-based, audio only);
    ``stream_index`` is ffmpeg's audio stream index (``a:<index>``)."""

    number: int
    stream_index: int
    channels: int
    sample_rate: int
    codec: str
    language: str | None = None  # ISO 639-2, upper case, as MediaConvert writes it
    pid: int | None = None  # the transport stream PID, for MPEG-TS inputs


@dataclass(frozen=True)
class InputTracks:
    audio: tuple[AudioTrack, ...]
    timecode: str | None = None  # the embedded start timecode, ``HH:MM:SS:FF`` or ``;FF``


def read_tracks(path: Path | str) -> InputTracks:
    """The audio tracks and the start timecode of a media file already probed."""
    with av.open(containers.file_url(path), options=containers.open_options()) as container:
        is_ts = container.format.name == "mpegts"
        audio = []
        for index, stream in enumerate(container.streams.audio):
            cc = stream.codec_context
            language = (stream.metadata.get("language") or "").strip().upper()
            audio.append(
                AudioTrack(
                    number=index + 1,
                    stream_index=index,
                    channels=cc.channels,
                    sample_rate=cc.sample_rate,
                    codec=cc.name,
                    language=language if language and language != "UND" else None,
                    pid=stream.id if is_ts else None,
                )
            )
        timecode = container.metadata.get("timecode")
        for any_stream in container.streams:
            timecode = timecode or any_stream.metadata.get("timecode")
        return InputTracks(tuple(audio), timecode or None)
