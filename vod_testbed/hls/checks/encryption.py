"""Encrypted segments (``EXT-X-KEY``, RFC 8216 s4.3.2.4 and s5.2): the tags are well formed,
and, given the key, every segment decrypts into real MPEG-TS, which is then demuxed like any
other so that every other check runs on the clear media.

* ``encryption.tags`` - METHOD AES-128 (or NONE) with a URI; an IV, when present, is
  ``0x`` and 32 hexadecimal digits (EXT-X-VERSION >= 2); KEYFORMAT or KEYFORMATVERSIONS
  need EXT-X-VERSION >= 5; SAMPLE-AES is reported as not checked;
* ``encryption.key`` - without a key the segments cannot be checked (an error: nothing
  says they hold media); with one, each segment decrypts (PKCS#7 padding right) into
  whole 188-byte TS packets, or the verdict names the first that does not: a wrong key.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vod_testbed.hls.decrypt import IV_ATTRIBUTE, segment_iv
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.media import aes128

AES_128 = "AES-128"


def segment_key(playlist: Any, index: int) -> Any | None:
    """The ``EXT-X-KEY`` in force for segment ``index``, None when it is in the clear."""
    key = playlist.segments[index].key
    if key is None or (key.method or "NONE").upper() == "NONE":
        return None
    return key


def is_encrypted(playlist: Any) -> bool:
    return any(segment_key(playlist, i) is not None for i in range(len(playlist.segments)))


def check_tags(ctx: Context, r: Rendition) -> None:
    """``encryption.tags`` for a media playlist that encrypts its segments."""
    problems = []
    version = r.playlist.version or 1
    for key in (k for k in r.playlist.keys if k is not None):
        method = (key.method or "").upper()
        if method == "NONE":
            continue
        if method != AES_128:
            problems.append(f"METHOD={key.method} is not checked (AES-128 is)")
            continue
        if not key.uri:
            problems.append("an AES-128 EXT-X-KEY has no URI")
        if key.iv is not None:
            if not IV_ATTRIBUTE.match(key.iv):
                problems.append(f"IV {key.iv!r} is not 0x and 32 hexadecimal digits")
            elif version < 2:
                problems.append(f"the IV attribute needs EXT-X-VERSION >= 2, found {version}")
        if (key.keyformat or key.keyformatversions) and version < 5:
            problems.append(f"KEYFORMAT needs EXT-X-VERSION >= 5, found {version}")
    ok = not problems
    ctx.add(
        "encryption.tags",
        ok,
        f"{r.uri}: EXT-X-KEY tags well formed" if ok else f"{r.uri}: " + "; ".join(problems),
        r.name,
    )


@contextmanager
def clear_segment(ctx: Context, r: Rendition, index: int, path: Path) -> Iterator[Path | None]:
    """``path``, or for an encrypted segment a temporary clear copy (removed on exit);
    None when it cannot be decrypted (no key, a wrong key): the verdict is recorded in
    ``r.key_problems``."""
    key = segment_key(r.playlist, index)
    if key is None:
        yield path
        return
    if (key.method or "").upper() != AES_128:
        r.key_problems.append(f"{path.name}: METHOD={key.method} cannot be decrypted here")
        yield None
        return
    if ctx.key is None:
        r.key_problems.append(f"{path.name}: encrypted, and no key was given")
        yield None
        return
    try:
        clear = aes128.decrypt(path.read_bytes(), ctx.key, segment_iv(r.playlist, index, key))
    except aes128.DecryptionError as exc:
        r.key_problems.append(f"{path.name}: {exc}")
        yield None
        return
    if not aes128.looks_like_mpeg_ts(clear):
        r.key_problems.append(f"{path.name}: decrypts, but not into MPEG-TS: not this key")
        yield None
        return
    fd, name = tempfile.mkstemp(suffix=".ts", prefix="hls-clear-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(clear)
        yield Path(name)
    finally:
        os.unlink(name)


def check_key(ctx: Context, r: Rendition) -> None:
    """``encryption.key``: the verdict of :func:`clear_segment` over the rendition."""
    encrypted = sum(1 for i in range(len(r.segments)) if segment_key(r.playlist, i) is not None)
    if r.key_problems:
        if ctx.key is None:
            message = (
                f"{encrypted} segment(s) are encrypted and no key was given: "
                "their media cannot be checked (pass the key)"
            )
        else:
            message = (
                f"{len(r.key_problems)} of {encrypted} segment(s) do not decrypt with the given "
                f"key: {r.key_problems[0]}"
            )
        ctx.add("encryption.key", False, message, r.name)
    else:
        ctx.add(
            "encryption.key",
            True,
            f"all {encrypted} encrypted segment(s) decrypt to MPEG-TS with the given key",
            r.name,
        )
