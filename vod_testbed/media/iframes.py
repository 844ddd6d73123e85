"""Where the I-frames of an MPEG-TS segment lie, byte for byte, for I-frame-only playlists.

ffmpeg cannot write ``EXT-X-I-FRAMES-ONLY`` playlists, so they are computed after the encode
from the segments themselves. Demuxing every packet with PyAV is too slow for an hour of a
ladder (millions of packets), so this reads the transport stream's own headers: the video
PID's packets that start a PES (payload_unit_start_indicator) are found with ``bytes.find``
and only those are looked at. A keyframe is a PES start whose adaptation field sets
random_access_indicator (ISO/IEC 13818-1 2.4.3.5), which ffmpeg's muxer sets on keyframes;
its time is the PES header's PTS. The HLS validator checks the result independently, by
demuxing each byte range with PyAV (``iframes.keyframe-start``).

An I-frame's byte range runs from its first TS packet to the next video PES; the first
I-frame of a segment starts at byte 0 so the range carries the segment's PAT and PMT and a
player can demux it alone.
"""

from __future__ import annotations

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


def _is_random_access(packet: bytes) -> bool:
    return bool(packet[3] & 0x20) and packet[4] > 0 and bool(packet[5] & 0x40)


def segment_iframes(path: Path, video_pid: int) -> list[IFrame]:
    """The keyframes of one TS segment whose video is on ``video_pid``.

    Raises:
        OSError: the file cannot be read.
    """
    data = path.read_bytes()
    marker = bytes([SYNC, 0x40 | (video_pid >> 8) & 0x1F, video_pid & 0xFF])
    starts: list[tuple[int, bool, float | None]] = []  # (offset, keyframe, pts)
    i = data.find(marker)
    while i != -1:
        if i % TS_PACKET == 0:
            packet = data[i : i + TS_PACKET]
            key = _is_random_access(packet)
            starts.append((i, key, _pes_pts(packet) if key else None))
        i = data.find(marker, i + 1)
    frames = []
    for n, (offset, key, pts) in enumerate(starts):
        if not key or pts is None:
            continue
        end = starts[n + 1][0] if n + 1 < len(starts) else len(data)
        begin = 0 if n == 0 else offset
        frames.append(IFrame(path, begin, end - begin, pts))
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


def iframe_playlist(frames: list[IFrame], end_s: float, version: int = 4) -> str:
    """An ``EXT-X-I-FRAMES-ONLY`` media playlist (RFC 8216 4.3.3.6): each EXTINF is the time
    to the next I-frame (or to ``end_s`` for the last), each range an ``EXT-X-BYTERANGE``."""
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
    for frame, span in zip(frames, spans, strict=True):
        lines += [
            f"#EXTINF:{max(span, 0.0):.5f},",
            f"#EXT-X-BYTERANGE:{frame.length}@{frame.offset}",
            frame.segment.name,
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
