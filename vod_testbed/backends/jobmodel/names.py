"""The object names a file output writes, as MediaConvert names them (docs/ARCHITECTURE.md,
"The job model"; HLS names are :mod:`vod_testbed.backends.naming`'s).

A file output is ``<destination base><NameModifier>.<Extension>``; the destination's base
is the first input's file name when the destination ends in ``/``. Without ``Extension``
MediaConvert uses the container's (``mp4`` for MP4) or, with no container (RAW), the
codec's (``mp3``, ``wav``; ``jpg`` for frame captures; ``srt`` or ``vtt`` for a sidecar
caption file). A frame capture numbers its
images: ``<base><modifier>.0000000.jpg``, seven digits from 0.
"""

from __future__ import annotations

from vod_testbed.backends.jobmodel.codecs import FrameCapture
from vod_testbed.backends.jobmodel.model import M3u8, Mp4, Output, Raw

_CODEC_EXTENSIONS = {"MP3": "mp3", "WAV": "wav", "AAC": "aac", "AC3": "ac3", "EAC3": "eac3"}
# Sidecar caption files: the format's own extension.
_CAPTION_EXTENSIONS = {"SRT": "srt", "WEBVTT": "vtt"}


def default_extension(output: Output) -> str:
    """The extension MediaConvert gives an output that names none."""
    if isinstance(output.container, Mp4):
        return "mp4"
    if isinstance(output.container, M3u8):
        return "m3u8"
    assert isinstance(output.container, Raw)
    if output.captions and output.video is None and not output.audio:
        return _CAPTION_EXTENSIONS[output.captions[0].destination]
    if output.video is not None:
        return "jpg" if isinstance(output.video.codec, FrameCapture) else "h264"
    return _CODEC_EXTENSIONS[output.audio[0].codec.codec]


def extension(output: Output) -> str:
    return output.extension or default_extension(output)


def file_name(base: str, output: Output) -> str:
    """The one file of a (non frame capture) file output: ``clip_720p.mp4``."""
    return f"{base}{output.name_modifier}.{extension(output)}"


def capture_pattern(base: str, output: Output) -> str:
    """printf-style pattern of a frame capture's images (ffmpeg's ``%07d``)."""
    return f"{base}{output.name_modifier}.%07d.{extension(output)}"
