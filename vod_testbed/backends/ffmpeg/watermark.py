"""MediaConvert's image inserter (``ImageInserter``, on an input or in an output's video
preprocessors): PNG or TGA images laid over the picture with ffmpeg's ``overlay``.

Followed (service model, ``InsertableImage``): ``ImageX``/``ImageY`` place the image's top
left corner; ``Width``/``Height`` scale it (blank: its own size); ``Opacity`` 0..100,
default 50; ``StartTime`` is the timecode of the first frame it appears on (blank: the
first frame); ``Duration`` in milliseconds includes the fade-in but not the fade-out
(blank: to the end); ``FadeIn``/``FadeOut`` in milliseconds; a higher ``Layer`` is on top.
"The images must be PNG or TGA files": anything else ends the job in ERROR.

Where AWS is silent (inferred, in emulator/COVERAGE.md): an image that is not a PNG or TGA
picture is error 1010 (the input error), named by its URI; an image larger than the frame
is cropped by the frame's edges, as ``overlay`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import ffmpeg

from vod_testbed.backends.jobmodel.inputs import InsertedImage
from vod_testbed.backends.jobmodel.timecodes import Timecode
from vod_testbed.common import errors

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The decoders of the two formats AWS accepts.
IMAGE_CODECS = {"png": "png_pipe", "tga": "image2"}


def image_window(
    image: InsertedImage, rate: Fraction, origin: int = 0
) -> tuple[float, float | None]:
    """Seconds from the first frame when the image appears and is gone (None: the end).

    The duration includes the fade-in, not the fade-out."""
    start = 0.0
    if image.start:
        start = max(0.0, float((Timecode.parse(image.start).frame_number(rate) - origin) / rate))
    if image.duration_ms is None:
        return start, None
    return start, start + (image.duration_ms + image.fade_out_ms) / 1000


def check_image(path: Path, uri: str) -> str:
    """The image's format, ``png`` or ``tga``, after decoding it.

    Raises:
        TranscodeError: 1010, the file is not a PNG or TGA picture.
    """
    head = b""
    if path.is_file():
        with path.open("rb") as image:
            head = image.read(len(PNG_SIGNATURE))
    kind = "png" if head == PNG_SIGNATURE else "tga"
    try:
        with av.open(f"file:{path}", format=IMAGE_CODECS[kind]) as container:
            stream = container.streams.video[0]
            if kind == "tga" and stream.codec_context.name != "targa":
                raise ValueError(stream.codec_context.name)
            next(container.decode(stream))
    except (av.error.FFmpegError, ValueError, IndexError, StopIteration):
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            f"The image inserter's image {uri} is not a PNG or TGA image that can be read.",
        ) from None
    return kind


def overlaid(
    video: Any,
    images: Sequence[tuple[InsertedImage, Path]],
    *,
    rate: Fraction,
    origin: int = 0,
) -> Any:
    """``video`` with each image laid over it, bottom layer first.

    Raises:
        ClippingError: a start timecode that is not one (from :mod:`.timecodes`).
    """
    for image, path in images:
        start, end = image_window(image, rate, origin)
        picture = ffmpeg.input(str(path), loop="1", framerate=str(rate))["v:0"]
        if image.width or image.height:
            picture = picture.filter("scale", image.width or -1, image.height or -1)
        picture = picture.filter("format", "rgba").filter(
            "colorchannelmixer", aa=f"{image.opacity / 100:g}"
        )
        if image.fade_in_ms:
            picture = picture.filter(
                "fade", t="in", st=f"{start:g}", d=f"{image.fade_in_ms / 1000:g}", alpha="1"
            )
        if image.fade_out_ms and end is not None:
            fade_start = end - image.fade_out_ms / 1000
            picture = picture.filter(
                "fade", t="out", st=f"{fade_start:g}", d=f"{image.fade_out_ms / 1000:g}", alpha="1"
            )
        enable = f"gte(t,{start:g})" if end is None else f"between(t,{start:g},{end:g})"
        video = ffmpeg.overlay(
            video, picture, x=str(image.x), y=str(image.y), enable=enable, shortest="1"
        )
    return video
