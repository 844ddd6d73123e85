"""Encrypting a group's renditions once ffmpeg wrote and the backend measured them
(docs/ARCHITECTURE.md, "Encrypted ladders"; docs/encryption.md).

ffmpeg's hls muxer can encrypt, but then every later reading of the segments (the master's
CODECS, the video bit rate, the completeness check) would need the key, and its
``EXT-X-KEY`` tags are not MediaConvert's. So the segments are written in the clear into
the job's private work folder, measured, and then encrypted here in-process: the key never
reaches a command line, a file or a log. The encrypted copies go into a folder of their own
beside the clear ones, with the same names, and only they are published; each media
playlist is rewritten with the tags of :class:`~vod_testbed.backends.hls_encryption.
HlsEncryption`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import m3u8

from vod_testbed.backends.ffmpeg.outputs import RenditionFiles
from vod_testbed.backends.hls_encryption import HlsEncryption
from vod_testbed.media import aes128
from vod_testbed.media.measure import SegmentSize


def encrypt_renditions(
    renditions: Sequence[RenditionFiles], encryption: HlsEncryption | None, folder: Path
) -> list[RenditionFiles]:
    """``renditions`` with their segments encrypted into ``folder`` and their playlists
    rewritten; unchanged without ``encryption``."""
    if encryption is None:
        return list(renditions)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return [_encrypt(rendition, encryption, folder) for rendition in renditions]


def _encrypt(rendition: RenditionFiles, encryption: HlsEncryption, folder: Path) -> RenditionFiles:
    text = rendition.playlist.read_text(encoding="utf-8")
    first = int(m3u8.loads(text).media_sequence or 0)
    encrypted, sizes = [], []
    for number, (segment, size) in enumerate(zip(rendition.segments, rendition.sizes, strict=True)):
        target = folder / segment.name
        data = aes128.encrypt(
            segment.read_bytes(), encryption.key, encryption.segment_iv(first + number)
        )
        target.write_bytes(data)
        encrypted.append(target)
        sizes.append(SegmentSize(size.duration_s, len(data)))
    rendition.playlist.write_text(with_key_tags(text, encryption, first), encoding="utf-8")
    return replace(
        rendition,
        segments=tuple(encrypted),
        sizes=tuple(sizes),
        clear_segments=rendition.segments,
    )


def with_key_tags(text: str, encryption: HlsEncryption, first_sequence: int) -> str:
    """A media playlist with ``EXT-X-KEY`` before its first segment, or before each one
    when each segment's IV is written (:mod:`vod_testbed.backends.hls_encryption`)."""
    lines: list[str] = []
    number = first_sequence
    tagged = False
    for line in text.splitlines():
        if line.startswith("#EXT-X-VERSION:") and encryption.needs_version > int(line[15:]):
            line = f"#EXT-X-VERSION:{encryption.needs_version}"
        if line.startswith("#EXTINF:"):
            if not (tagged and encryption.one_tag):
                lines.append(encryption.key_tag(number))
                tagged = True
            number += 1
        lines.append(line)
    return "\n".join(lines) + "\n"
