"""A local copy of an encrypted ladder turned into a clear one, for tools that read segments
with ffmpeg or PyAV and know nothing of keys (the ladder report's measures and quality).

Only ever applied to a private copy: the segments are replaced by their clear bytes and the
``EXT-X-KEY`` tags removed. The IV of each segment is the one RFC 8216 s5.2 gives
(:func:`segment_iv`), which the validator uses too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import m3u8

from vod_testbed.backends.hls_encryption import sequence_iv
from vod_testbed.media import aes128

IV_ATTRIBUTE = re.compile(r"^0[xX][0-9a-fA-F]{32}$")


def segment_iv(playlist: Any, index: int, key: Any) -> bytes:
    """The IV of segment ``index`` under its EXT-X-KEY ``key``: the ``IV`` attribute, else
    the segment's media sequence number."""
    if key.iv and IV_ATTRIBUTE.match(key.iv):
        return bytes.fromhex(key.iv[2:])
    return sequence_iv(int(playlist.media_sequence or 0) + index)


def decrypt_ladder(master: Path, key: bytes) -> int:
    """Decrypt in place every AES-128 segment of the media playlists ``master`` lists, and
    drop their EXT-X-KEY tags; returns how many segments were decrypted.

    Raises:
        aes128.DecryptionError: a segment does not decrypt under ``key``.
    """
    folder = master.parent
    count = 0
    for variant in m3u8.load(str(master)).playlists:
        path = folder / variant.uri
        if "/" in variant.uri or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        playlist = m3u8.loads(text)
        for index, segment in enumerate(playlist.segments):
            tag = segment.key
            if tag is None or (tag.method or "NONE").upper() == "NONE":
                continue
            file = folder / segment.uri
            if "/" in segment.uri or not file.is_file():
                continue
            clear = aes128.decrypt(file.read_bytes(), key, segment_iv(playlist, index, tag))
            file.write_bytes(clear)
            count += 1
        lines = [line for line in text.splitlines() if not line.startswith("#EXT-X-KEY:")]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count
