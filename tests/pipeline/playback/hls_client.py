"""A minimal HLS client, as a player behaves: it has nothing but the playback URL and
follows it through the master, every variant playlist and the first segment of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

import m3u8
import requests


@dataclass
class Variant:
    url: str
    resolution: str
    segment_urls: list[str]
    first_segment_bytes: int


@dataclass
class Walk:
    master_url: str
    variants: list[Variant] = field(default_factory=list)


def follow(master_url: str, http: requests.Session | None = None) -> Walk:
    """GET the master, every variant and one segment of each; any non-200 raises."""
    http = http or requests.Session()
    master = http.get(master_url, timeout=10)
    master.raise_for_status()
    playlist = m3u8.loads(master.text)
    assert playlist.is_variant, "the playback URL must name a multivariant playlist"
    walk = Walk(master_url)
    for entry in playlist.playlists:
        variant_url = urljoin(master_url, entry.uri)
        media = http.get(variant_url, timeout=10)
        media.raise_for_status()
        segments = [urljoin(variant_url, s.uri) for s in m3u8.loads(media.text).segments]
        first = http.get(segments[0], timeout=10)
        first.raise_for_status()
        assert first.content[:1] == b"\x47", "an MPEG-TS segment starts with the sync byte"
        width, height = entry.stream_info.resolution
        walk.variants.append(
            Variant(variant_url, f"{width}x{height}", segments, len(first.content))
        )
    return walk
