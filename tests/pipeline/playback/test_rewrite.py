"""Playlist rewriting: every URI replaced, every other byte kept."""

from __future__ import annotations

import pytest

from vod_testbed.pipeline.playback.rewrite import (
    PlaylistError,
    playlist_uris,
    resolve_key,
    rewrite_uris,
)

MEDIA = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:6
#EXT-X-MAP:URI="init.mp4"
#EXTINF:6.000000,
master_1080p_00001.ts
#EXTINF:1.5,
master_1080p_00002.ts
#EXT-X-ENDLIST
"""


def test_every_uri_is_rewritten_and_tags_are_kept() -> None:
    out = rewrite_uris(MEDIA, lambda uri: f"https://cdn/{uri}?sig=1")
    assert out.splitlines() == [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-TARGETDURATION:6",
        '#EXT-X-MAP:URI="https://cdn/init.mp4?sig=1"',
        "#EXTINF:6.000000,",
        "https://cdn/master_1080p_00001.ts?sig=1",
        "#EXTINF:1.5,",
        "https://cdn/master_1080p_00002.ts?sig=1",
        "#EXT-X-ENDLIST",
    ]


def test_uris_are_listed_in_order() -> None:
    assert playlist_uris(MEDIA) == ["init.mp4", "master_1080p_00001.ts", "master_1080p_00002.ts"]


def test_a_relative_uri_resolves_in_the_playlists_folder() -> None:
    assert resolve_key("v/x_processed/hls", "master_1080p_00001.ts") == (
        "v/x_processed/hls/master_1080p_00001.ts"
    )


def test_a_uri_that_climbs_out_of_the_video_is_refused() -> None:
    with pytest.raises(PlaylistError, match="leaves the video's folder"):
        resolve_key("v/x_processed/hls", "../../../other/secret.ts")
