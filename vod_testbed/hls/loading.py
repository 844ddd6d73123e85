"""Reading the output: the master, each media playlist, and every segment demuxed once."""

from __future__ import annotations

from typing import Any

import av
import m3u8

from vod_testbed.hls.checks import encryption
from vod_testbed.hls.checks.fmp4 import inspect_fmp4, map_path
from vod_testbed.hls.model import Context, HlsInputError, Rendition, Segment
from vod_testbed.media.measure import SegmentSize, average_bitrate, peak_bitrate
from vod_testbed.media.segments import SegmentMedia, inspect_segment


def load_master(ctx: Context) -> tuple[Any, str]:
    """The parsed master playlist and its text.

    Raises:
        HlsInputError: missing, unreadable, not a playlist, or a media playlist.
    """
    label = ctx.report.master
    if not ctx.master.is_file():
        raise HlsInputError(f"no such file: {label}")
    try:
        data = ctx.master.read_bytes()
    except OSError as exc:
        raise HlsInputError(f"cannot read {label}: {exc.strerror}") from exc
    if not data.removeprefix(b"\xef\xbb\xbf").startswith(b"#EXTM3U"):
        raise HlsInputError(f"not an HLS playlist (no #EXTM3U header): {label}")
    text = data.decode("utf-8", errors="replace")
    try:
        pl = m3u8.loads(text)
    except Exception as exc:  # m3u8 raises bare ValueError/IndexError on bad attributes
        raise HlsInputError(f"unparseable playlist {label}: {exc}") from exc
    if not pl.is_variant:
        raise HlsInputError(f"{label} is a media playlist, not a master (multivariant) playlist")
    return pl, text


def load_rendition(ctx: Context, r: Rendition) -> None:
    """Parse ``r``'s media playlist and demux its segments; report what cannot be read."""
    path = ctx.resolve(r.uri)
    if path is None or not path.is_file():
        ctx.add("files.exist", False, f"media playlist {r.uri} does not exist", r.name)
        return
    r.text = path.read_text(encoding="utf-8", errors="replace")
    problem = _syntax_problem(r.text)
    pl = None
    if problem is None:
        try:
            pl = m3u8.loads(r.text)
        except Exception as exc:  # m3u8 raises bare ValueError/IndexError on bad tags
            problem = f"cannot be parsed: {exc}"
    if pl is not None and pl.is_variant:
        problem = "is a master playlist, not a media playlist"
    if problem is not None or pl is None:
        ctx.add("playlist.syntax", False, f"{r.uri} {problem}", r.name)
        return
    ctx.add("playlist.syntax", True, f"{r.uri} parses, EXT-X-VERSION {pl.version}", r.name)
    r.playlist = pl
    missing, unreadable = [], []
    init = map_path(pl, ctx.folder)  # fMP4 segments are read behind their init segment
    for index, seg in enumerate(pl.segments):
        seg_path = ctx.resolve(seg.uri)
        item = Segment(seg.uri, seg_path or ctx.folder / seg.uri, float(seg.duration or 0))
        r.segments.append(item)
        if seg_path is None or not seg_path.is_file():
            missing.append(seg.uri)
            continue
        item.size = seg_path.stat().st_size
        with encryption.clear_segment(ctx, r, index, seg_path) as clear:
            if clear is None:
                continue
            try:
                item.media = inspect_segment(clear) if init is None else inspect_fmp4(init, clear)
            except (av.error.FFmpegError, OSError) as exc:
                unreadable.append(f"{seg.uri} ({exc.strerror or exc})")
    if encryption.is_encrypted(pl):
        encryption.check_tags(ctx, r)
        encryption.check_key(ctx, r)
    if unreadable:
        ctx.add("segments.readable", False, f"not readable media: {', '.join(unreadable)}", r.name)
    elif r.media:
        ctx.add("segments.readable", True, f"all {len(r.media)} segment(s) demux", r.name)
    if missing:
        ctx.add(
            "files.exist",
            False,
            f"{len(missing)} segment file(s) missing: {', '.join(missing)}",
            r.name,
        )
    else:
        ctx.add("files.exist", True, f"{r.uri} and its {len(r.segments)} segment(s) exist", r.name)
    _fill_figures(r)


def _fill_figures(r: Rendition) -> None:
    fig = r.figures
    fig.segment_count = len(r.segments)
    fig.target_duration = r.playlist.target_duration
    fig.duration_s = round(sum(s.extinf for s in r.segments), 6)
    media = r.media
    if media:
        first = media[0]
        fig.resolution = None if r.audio_only else f"{first.width}x{first.height}"
        fig.codecs = measured_codecs(first)
        fig.frame_rate = float(first.frame_rate) if first.frame_rate else None
        if first.audio:
            a = first.audio
            fig.audio = f"{a.codec} {a.profile or '?'} {a.channels} ch {a.sample_rate} Hz"
    if r.complete:
        duration = r.media_duration
        fig.media_duration_s = round(duration, 6) if duration is not None else None
        if duration:
            fig.video_bitrate = round(sum(m.video_bytes for m in media) * 8 / duration)
        if r.playlist.target_duration:
            sizes = [SegmentSize(s.extinf, s.size or 0) for s in r.segments]
            fig.peak_bandwidth = peak_bitrate(sizes, r.playlist.target_duration)
            fig.average_bandwidth = average_bitrate(sizes)


def measured_codecs(media: SegmentMedia) -> str:
    """The CODECS a segment's streams call for (``avc1.640028,mp4a.40.2``)."""
    audio_only = media.video_packets == 0 and media.audio is not None
    parts = [] if audio_only else [media.video_codecs or "unknown video"]
    if media.audio is not None:
        parts.append(media.audio.codecs_tag or media.audio.codec)
    return ",".join(parts)


def _syntax_problem(text: str) -> str | None:
    if not text.lstrip("\ufeff").startswith("#EXTM3U"):
        return "has no #EXTM3U header"
    return None
