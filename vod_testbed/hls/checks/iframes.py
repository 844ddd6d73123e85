"""I-frame-only playlists (``EXT-X-I-FRAME-STREAM-INF``): each byte range must start with a
keyframe of the segment it names (RFC 8216 4.3.3.6).

Checked independently of how the playlists were written (a scan of TS headers, see
:mod:`vod_testbed.media.iframes`): every segment is demuxed with PyAV, and a range is good
when it begins at a video packet that holds an IDR slice, or at byte 0 of a segment whose
first video packet does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import m3u8

from vod_testbed.hls.checks.fmp4 import map_path, sync_offsets
from vod_testbed.hls.model import Context
from vod_testbed.media.fmp4 import Fmp4Error
from vod_testbed.media.segments import is_idr


def _idr_positions(path: Path) -> tuple[set[int], bool]:
    """Byte positions of the IDR video packets of a TS segment, and whether its first video
    packet is one."""
    positions: set[int] = set()
    first: bool | None = None
    with av.open(str(path)) as container:
        if not container.streams.video:
            return positions, False
        video = container.streams.video[0]
        is_hevc = video.codec_context.name == "hevc"
        for packet in container.demux(video):
            if packet.size == 0:
                continue
            idr = bool(packet.is_keyframe) and is_idr(bytes(packet), is_hevc)
            if first is None:
                first = idr
            if idr and packet.pos is not None and packet.pos >= 0:
                positions.add(int(packet.pos))
    return positions, bool(first)


def check_iframe_playlists(ctx: Context, master: Any) -> None:
    """``iframes.playlist`` and ``iframes.keyframe-start`` for each I-frame variant."""
    folder = ctx.master.parent
    for variant in master.iframe_playlists:
        name = variant.uri
        path = folder / name
        try:
            parsed = m3u8.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            ctx.add("iframes.playlist", False, f"{name} cannot be read: {exc}", name)
            continue
        ok = bool(parsed.is_i_frames_only) and bool(parsed.segments) and parsed.is_endlist
        ctx.add(
            "iframes.playlist",
            ok,
            f"{name} is an I-frame-only VOD playlist of {len(parsed.segments)} range(s)"
            if ok
            else f"{name} lacks EXT-X-I-FRAMES-ONLY, ranges or EXT-X-ENDLIST",
            name,
        )
        bad: list[str] = []
        cache: dict[str, tuple[set[int], bool, int]] = {}
        init = map_path(parsed, folder)  # fMP4: a range starts at a fragment's moof
        for segment in parsed.segments:
            where = f"{segment.uri} @{segment.byterange}"
            if segment.uri not in cache:
                seg_path = folder / segment.uri
                try:
                    if init is None:
                        positions, first_idr = _idr_positions(seg_path)
                    else:
                        positions, first_idr = sync_offsets(init, seg_path), False
                    cache[segment.uri] = (positions, first_idr, seg_path.stat().st_size)
                except (OSError, av.error.FFmpegError, Fmp4Error):
                    cache[segment.uri] = (set(), False, -1)
            positions, first_idr, size = cache[segment.uri]
            try:
                length_s, _, offset_s = (segment.byterange or "").partition("@")
                length, offset = int(length_s), int(offset_s or 0)
            except ValueError:
                bad.append(f"{where} (no byte range)")
                continue
            if size < 0 or offset + length > size:
                bad.append(f"{where} (outside the file)")
            elif not (offset in positions or (offset == 0 and first_idr)):
                bad.append(where)
        ctx.add(
            "iframes.keyframe-start",
            not bad,
            f"range(s) not starting with a keyframe: {', '.join(bad[:5])}"
            if bad
            else f"all {len(parsed.segments)} range(s) start with a keyframe",
            name,
        )
