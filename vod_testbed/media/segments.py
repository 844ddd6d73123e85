"""Reading HLS media (segments) at the packet level with PyAV: no decode, no ffprobe.

Used by the FFmpeg backend to describe what it wrote (master playlist attributes) and by the
HLS validator to check that playlists tell the truth about their media.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from vod_testbed.media import hevc

# RFC 6381 object type for AAC: mp4a.40.<audio object type>; LC = 2, HE = 5, HE v2 = 29.
AAC_OBJECT_TYPES = {"LC": 2, "HE-AAC": 5, "HE-AACv2": 29}


@dataclass(frozen=True)
class AudioFormat:
    codec: str
    profile: str | None
    channels: int
    sample_rate: int

    @property
    def codecs_tag(self) -> str | None:
        if self.codec != "aac":
            return None
        return f"mp4a.40.{AAC_OBJECT_TYPES.get(self.profile or 'LC', 2)}"


@dataclass
class SegmentMedia:
    """What one segment holds, measured from its packets."""

    path: Path
    width: int = 0
    height: int = 0
    video_codecs: str | None = None  # "avc1.PPCCLL" or "hvc1...." from the first SPS
    frame_rate: Fraction | None = None
    first_packet_is_keyframe: bool = False  # an IDR, not just any I-frame
    keyframe_times: list[float] = field(default_factory=list)  # IDR times
    start_time: float | None = None
    end_time: float | None = None  # last video pts + one frame
    video_bytes: int = 0
    video_packets: int = 0
    audio: AudioFormat | None = None

    @property
    def duration(self) -> float:
        if self.start_time is None or self.end_time is None:
            return 0.0
        return self.end_time - self.start_time


def avc_codecs_from_annexb(data: bytes) -> str | None:
    """``avc1.PPCCLL`` from the first sequence parameter set in an Annex-B byte stream."""
    i = data.find(b"\x00\x00\x01")
    while i != -1 and i + 6 < len(data):
        nal_header = data[i + 3]
        if nal_header & 0x1F == 7:  # SPS
            profile_idc, constraints, level_idc = data[i + 4], data[i + 5], data[i + 6]
            return f"avc1.{profile_idc:02x}{constraints:02x}{level_idc:02x}"
        i = data.find(b"\x00\x00\x01", i + 3)
    return None


def has_idr(data: bytes) -> bool:
    """Whether an Annex-B access unit holds an IDR slice (NAL type 5). libav's keyframe flag
    is also set on open-GOP I-frames, which a player cannot start a segment from."""
    i = data.find(b"\x00\x00\x01")
    while i != -1 and i + 3 < len(data):
        if data[i + 3] & 0x1F == 5:
            return True
        i = data.find(b"\x00\x00\x01", i + 3)
    return False


def has_idr_avcc(data: bytes) -> bool:
    """As :func:`has_idr` for an MP4 sample: NAL units behind 4-byte lengths (avcC)."""
    at = 0
    while at + 5 <= len(data):
        if data[at + 4] & 0x1F == 5:
            return True
        at += 4 + int.from_bytes(data[at : at + 4], "big")
    return False


def is_idr(data: bytes, is_hevc: bool, length_prefixed: bool = False) -> bool:
    """Whether a video packet holds an IDR picture, in H.264 or H.265."""
    if is_hevc:
        return hevc.has_idr_length_prefixed(data) if length_prefixed else hevc.has_idr(data)
    return has_idr_avcc(data) if length_prefixed else has_idr(data)


def _codecs(data: bytes, extradata: bytes, is_hevc: bool) -> str | None:
    """The video's RFC 6381 string: from the MP4 decoder record when there is one, else
    from the first access unit's sequence parameter set."""
    if is_hevc:
        return hevc.codecs_from_hvcc(extradata) if extradata else hevc.codecs_from_annexb(data)
    return f"avc1.{extradata[1:4].hex()}" if extradata else avc_codecs_from_annexb(data)


def inspect_segment(path: Path) -> SegmentMedia:
    """Demux one segment and summarise its video and audio packets.

    Raises:
        av.error.FFmpegError: the file is not readable media.
    """
    seg = SegmentMedia(path=path)
    with av.open(str(path)) as container:
        vstream = container.streams.video[0] if container.streams.video else None
        astream = container.streams.audio[0] if container.streams.audio else None
        if vstream is not None:
            cc = vstream.codec_context
            seg.width, seg.height = cc.width, cc.height
            rate = vstream.average_rate or vstream.base_rate
            seg.frame_rate = Fraction(rate) if rate else None
        if astream is not None:
            acc = astream.codec_context
            seg.audio = AudioFormat(acc.name, astream.profile, acc.channels, acc.sample_rate)
        if vstream is None:
            _audio_times(seg, container, astream)
            return seg
        frame_s = float(1 / seg.frame_rate) if seg.frame_rate else 0.0
        # MP4 and fMP4 carry the parameter sets in avcC/hvcC (extradata) and length-prefixed NALs.
        avcc = bytes(vstream.codec_context.extradata or b"")
        if avcc[:1] != b"\x01" or len(avcc) < 4:
            avcc = b""
        is_hevc = vstream.codec_context.name == "hevc"
        for packet in container.demux(vstream):
            if packet.size == 0 or packet.pts is None:
                continue
            t = float(packet.pts * packet.time_base)
            data = bytes(packet)
            idr = bool(packet.is_keyframe) and is_idr(data, is_hevc, bool(avcc))
            if seg.video_packets == 0:
                seg.first_packet_is_keyframe = idr
                seg.video_codecs = _codecs(data, avcc, is_hevc)
            seg.video_packets += 1
            seg.video_bytes += packet.size
            if idr:
                seg.keyframe_times.append(t)
            seg.start_time = t if seg.start_time is None else min(seg.start_time, t)
            end = t + frame_s
            seg.end_time = end if seg.end_time is None else max(seg.end_time, end)
    return seg


def _audio_times(seg: SegmentMedia, container: Any, astream: Any) -> None:
    """An audio-only segment's span, from its packets (every AAC frame is a sync point)."""
    if astream is None:
        return
    for packet in container.demux(astream):
        if packet.pts is None or packet.size == 0:
            continue
        start = float(packet.pts * packet.time_base)
        end = start + float((packet.duration or 0) * packet.time_base)
        seg.start_time = start if seg.start_time is None else min(seg.start_time, start)
        seg.end_time = end if seg.end_time is None else max(seg.end_time, end)


def codecs_attribute(video: SegmentMedia) -> str:
    """The CODECS attribute for a rendition whose first segment is ``video``.

    Raises:
        ValueError: the segment holds no sequence parameter set to read it from.
    """
    if not video.video_codecs:
        if video.video_packets == 0 and video.audio and video.audio.codecs_tag:
            return video.audio.codecs_tag  # an audio-only segment
        raise ValueError(f"{video.path.name} holds no H.264 or H.265 sequence parameter set")
    parts = [video.video_codecs]
    if video.audio and video.audio.codecs_tag:
        parts.append(video.audio.codecs_tag)
    return ",".join(parts)
