"""Probed sources built by hand, for tests that need a MediaInfo without a media file."""

from __future__ import annotations

from fractions import Fraction

from vod_testbed.media.probe import AudioInfo, MediaInfo, VideoInfo

MP4 = "mov,mp4,m4a,3gp,3g2,mj2"


def media_info(
    width: int = 1920,
    height: int = 1080,
    *,
    audio: bool = True,
    rate: Fraction = Fraction(30),
    average_rate: Fraction | None = None,
    rotation: int = 0,
    sar: Fraction = Fraction(1),
    pix_fmt: str = "yuv420p",
    interlaced: bool = False,
    format_name: str = MP4,
) -> MediaInfo:
    """A source as the probe would report it; defaults: 1080p30 H.264 MP4 with AAC."""
    video = VideoInfo(
        "h264",
        width,
        height,
        sar,
        rotation,
        average_rate or rate,
        rate,
        pix_fmt,
        "High",
        8,
        interlaced,
    )
    sound = AudioInfo("aac", 2, 48000) if audio else None
    return MediaInfo(format_name, 10.0, 1000, video, sound, 10.0)


LANDSCAPE = media_info()
