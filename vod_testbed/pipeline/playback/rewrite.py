"""Rewriting HLS playlists so that every URI in them is playable on its own.

Pure text work, line by line (RFC 8216 s4.1: a line is a tag, a comment, blank, or a URI;
tags carry URIs only in quoted ``URI=`` attributes), so the cost is one pass over the text.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')


class PlaylistError(ValueError):
    """A playlist names something outside the video's own folder."""


def playlist_uris(text: str) -> list[str]:
    """Every URI of a playlist: URI lines and ``URI="..."`` attributes, in order."""
    uris = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            uris.extend(_URI_ATTRIBUTE.findall(stripped))
        else:
            uris.append(stripped)
    return uris


def rewrite_uris(text: str, replace: Callable[[str], str], key_uri: str | None = None) -> str:
    """``text`` with each URI replaced by ``replace(uri)``, and with ``key_uri`` the URI of
    every ``EXT-X-KEY`` by it (the key is served, never stored as an object: docs/
    encryption.md); everything else byte for byte."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            lines.append(line)
        elif stripped.startswith("#"):
            if key_uri is not None and stripped.startswith("#EXT-X-KEY:"):
                line = _URI_ATTRIBUTE.sub(lambda m: f'URI="{key_uri}"', line)
            elif 'URI="' in line:
                line = _URI_ATTRIBUTE.sub(lambda m: f'URI="{replace(m.group(1))}"', line)
            lines.append(line)
        else:
            lines.append(replace(stripped))
    return "\n".join(lines) + "\n"


def is_absolute(uri: str) -> bool:
    return "://" in uri or uri.startswith("/")


def resolve_key(folder: str, uri: str) -> str:
    """The object key a relative ``uri`` names from a playlist in ``folder``.

    Raises:
        PlaylistError: the URI climbs out of ``folder``'s parent (the video's outputs).
    """
    if "/" not in uri and "?" not in uri and uri not in (".", ".."):
        return f"{folder}/{uri}"  # the common case, a plain file name: no path arithmetic
    key = posixpath.normpath(posixpath.join(folder, uri.split("?", 1)[0]))
    root = posixpath.dirname(folder)
    if not key.startswith(root + "/"):
        raise PlaylistError(f"{uri!r} leaves the video's folder")
    return key
