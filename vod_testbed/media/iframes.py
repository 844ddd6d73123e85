"""Where the I-frames of an MPEG-TS segment lie, byte for byte, for I-frame-only playlists.

ffmpeg cannot write ``EXT-X-I-FRAMES-ONLY`` playlists, so they are computed after the encode
from the segments themselves. Demuxing every packet with PyAV is too slow for an hour of a
ladder (millions of packets), so this reads the transport stream's own headers: the video
PID's packets that start a PES (payload_unit_start_indicator) are found all at once over
columns of header bytes, and only those are looked at. A keyframe is a PES start whose
adaptation field sets random_access_indicator (ISO/IEC 13818-1 2.4.3.5), which ffmpeg's
muxer sets on keyframes; its time is the PES header's PTS. The HLS validator checks the
result independently, by demuxing each segment with PyAV (``iframes.keyframe-start``).

An I-frame's byte range runs from its first TS packet to the next video PES; the first
I-frame of a segment starts at byte 0 so the range carries the segment's PAT and PMT and a
player can demux it alone.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TS_PACKET = 188
SYNC = 0x47
PTS_HZ = 90_000


@dataclass(frozen=True)
class IFrame:
    """One keyframe: where it lies in its segment and when it is shown (seconds)."""

    segment: Path
    offset: int
    length: int
    time_s: float


def _pes_pts(packet: bytes) -> float | None:
    """The PTS (seconds) of the PES header that starts in this TS packet, if it has one."""
    start = 4
    if packet[3] & 0x20:  # adaptation field present
        start += 1 + packet[4]
    pes = packet[start : start + 14]
    if len(pes) < 14 or pes[:3] != b"\x00\x00\x01" or not pes[7] & 0x80:
        return None
    p = pes[9:14]
    ticks = ((p[0] >> 1) & 0x07) << 30 | p[1] << 22 | (p[2] >> 1) << 15 | p[3] << 7 | p[4] >> 1
    return ticks / PTS_HZ


def _mask(column: bytes, wanted: Callable[[int], bool]) -> int:
    """One flag per packet (a 0/1 byte, all packed in one int) where ``wanted(byte)`` holds."""
    table = bytes(1 if wanted(v) else 0 for v in range(256))
    return int.from_bytes(column.translate(table), "big")


def segment_iframes(path: Path, video_pid: int) -> list[IFrame]:
    """The keyframes of one TS segment whose video is on ``video_pid``.

    Three header bytes of every packet are taken as columns (``data[k::188]`` of a memory
    map) and tested all at once, in C; only the few packets that pass are looked at one by
    one. No copy of the file is made.

    Raises:
        OSError: the file cannot be read.
        ValueError: the file is not a stream of 188-byte TS packets.
    """
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < TS_PACKET or size % TS_PACKET or handle.read(1)[0] != SYNC:
            raise ValueError(f"{path.name} is not an MPEG transport stream of 188-byte packets")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _scan(path, data, size, video_pid)


def _scan(path: Path, data: mmap.mmap, size: int, video_pid: int) -> list[IFrame]:
    count = size // TS_PACKET
    hi, lo = 0x40 | (video_pid >> 8) & 0x1F, video_pid & 0xFF
    pes_start = _mask(data[1::TS_PACKET], lambda v: v & 0xDF == hi) & _mask(
        data[2::TS_PACKET], lambda v: v == lo
    )
    maybe_key = pes_start & _mask(data[5::TS_PACKET], lambda v: bool(v & 0x40))
    starts = pes_start.to_bytes(count, "big")
    keys = maybe_key.to_bytes(count, "big")
    first_start = starts.find(1)
    frames = []
    index = keys.find(1)
    while index != -1:
        offset = index * TS_PACKET
        packet = data[offset : offset + TS_PACKET]
        # random_access_indicator: an adaptation field, not empty, with the flag set.
        if packet[0] == SYNC and packet[3] & 0x20 and packet[4] > 0:
            pts = _pes_pts(packet)
            following = starts.find(1, index + 1)
            end = following * TS_PACKET if following != -1 else size
            if pts is not None:
                begin = 0 if index == first_start else offset
                frames.append(IFrame(path, begin, end - begin, pts))
        index = keys.find(1, index + 1)
    return frames


def video_pid(path: Path) -> int:
    """The PID of the first video stream of a TS file (read from its PMT by PyAV).

    Raises:
        ValueError: the file holds no video stream.
        av.error.FFmpegError: the file is not readable media.
    """
    import av  # imported here: the scan itself needs no demuxer

    with av.open(str(path)) as container:
        if not container.streams.video:
            raise ValueError(f"{path.name} holds no video stream")
        return int(container.streams.video[0].id)


def rendition_iframes(segments: list[Path]) -> list[IFrame]:
    """Every keyframe of a rendition's segments, in order (all segments share one PID)."""
    if not segments:
        return []
    pid = video_pid(segments[0])
    return [frame for segment in segments for frame in segment_iframes(segment, pid)]


def iframe_playlist(
    frames: list[IFrame],
    end_s: float,
    version: int = 4,
    folder: Path | None = None,
    map_uri: str | None = None,
) -> str:
    """An ``EXT-X-I-FRAMES-ONLY`` media playlist (RFC 8216 4.3.3.6): each EXTINF is the time
    to the next I-frame (or to ``end_s`` for the last), each range an ``EXT-X-BYTERANGE``;
    segment URIs are relative to ``folder`` (the playlist's), or bare names without it.
    ``map_uri`` is the init segment of fragmented-MP4 segments (``EXT-X-MAP``)."""
    spans = [
        (frames[n + 1].time_s if n + 1 < len(frames) else end_s) - f.time_s
        for n, f in enumerate(frames)
    ]
    target = max([round(s) for s in spans] + [1])
    lines = [
        "#EXTM3U",
        f"#EXT-X-VERSION:{max(version, 4)}",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:1",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-I-FRAMES-ONLY",
    ]
    if map_uri:
        lines.append(f'#EXT-X-MAP:URI="{map_uri}"')
    for frame, span in zip(frames, spans, strict=True):
        lines += [
            f"#EXTINF:{max(span, 0.0):.5f},",
            f"#EXT-X-BYTERANGE:{frame.length}@{frame.offset}",
            frame.segment.relative_to(folder).as_posix() if folder else frame.segment.name,
        ]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def iframe_bandwidth(frames: list[IFrame], end_s: float) -> tuple[int, int]:
    """(peak, average) bits per second of the I-frame stream: each range over its span."""
    if not frames:
        return 0, 0
    total = sum(f.length for f in frames)
    duration = max(end_s - frames[0].time_s, 1e-3)
    peak = 0
    for n, f in enumerate(frames):
        nxt = frames[n + 1].time_s if n + 1 < len(frames) else end_s
        peak = max(peak, round(f.length * 8 / max(nxt - f.time_s, 1e-3)))
    return peak, round(total * 8 / duration)
