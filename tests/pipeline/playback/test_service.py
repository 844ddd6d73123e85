"""The playback service's grants: reused briefly, never handed out nearly dead."""

from __future__ import annotations

from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.playback.service import PlayableVideo, PlaybackService
from vod_testbed.pipeline.playback.signing import PlainUrls
from vod_testbed.pipeline.playback.tokens import PlaybackTokens

VIDEO = PlayableVideo(
    "v1", "video/u/v1_processed/hls/master.m3u8", ("video/u/v1_processed/thumbnails/t.jpg",)
)


def service(lifetime_s: int, clock: ManualClock) -> PlaybackService:
    def no_text(key: str) -> str:
        raise KeyError(key)

    return PlaybackService(
        PlaybackTokens("secret", lifetime_s, clock),
        PlainUrls("https://cdn.example"),
        find_video=lambda video_id: VIDEO,
        read_text=no_text,
    )


def test_a_grant_of_a_short_lived_token_is_reused_for_a_tenth_of_its_life_at_most() -> None:
    clock = ManualClock(1_900_000_000.0)
    playback = service(lifetime_s=5, clock=clock)
    first = playback.grant(VIDEO)
    clock.advance(0.4)
    assert playback.grant(VIDEO)["master_playlist_path"] == first["master_playlist_path"]
    clock.advance(0.2)
    again = playback.grant(VIDEO)
    assert again["master_playlist_path"] != first["master_playlist_path"]
    assert again["expires_in"] == 5


def test_a_forgotten_video_gets_a_new_grant() -> None:
    clock = ManualClock(1_900_000_000.0)
    playback = service(lifetime_s=3600, clock=clock)
    first = playback.grant(VIDEO)
    clock.advance(1)
    playback.forget(VIDEO.id)
    assert playback.grant(VIDEO)["master_playlist_path"] != first["master_playlist_path"]
