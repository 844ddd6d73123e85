"""Playback tokens: bound to one video, expiring, unforgeable."""

from __future__ import annotations

import pytest

from vod_testbed.pipeline.playback.tokens import PlaybackDenied, PlaybackTokens


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_token_grants_its_video_until_it_expires() -> None:
    clock = Clock()
    tokens = PlaybackTokens("s3cret", lifetime_s=600, clock=clock)
    grant = tokens.mint("video-1")
    assert grant.expires_at == 1_800_000_600
    assert tokens.check(grant.token, "video-1") == grant.expires_at
    clock.now += 599
    assert tokens.check(grant.token, "video-1") == grant.expires_at


def test_an_expired_token_is_denied() -> None:
    clock = Clock()
    tokens = PlaybackTokens("s3cret", lifetime_s=600, clock=clock)
    grant = tokens.mint("video-1")
    clock.now += 600
    with pytest.raises(PlaybackDenied, match="expired"):
        tokens.check(grant.token, "video-1")


def test_a_token_of_another_video_is_denied() -> None:
    tokens = PlaybackTokens("s3cret", lifetime_s=600)
    with pytest.raises(PlaybackDenied, match="another video"):
        tokens.check(tokens.mint("video-1").token, "video-2")


@pytest.mark.parametrize("token", ["", None, "garbage", "WyJ2aWRlby0xIiw5OTk5OTk5OTk5XQ.bad"])
def test_a_missing_or_forged_token_is_denied(token: str | None) -> None:
    tokens = PlaybackTokens("s3cret", lifetime_s=600)
    with pytest.raises(PlaybackDenied):
        tokens.check(token, "video-1")


def test_a_token_signed_with_another_secret_is_denied() -> None:
    theirs = PlaybackTokens("other", lifetime_s=600).mint("video-1").token
    with pytest.raises(PlaybackDenied, match="bad signature"):
        PlaybackTokens("s3cret", lifetime_s=600).check(theirs, "video-1")


def test_an_edited_expiry_breaks_the_signature() -> None:
    tokens = PlaybackTokens("s3cret", lifetime_s=600)
    token = tokens.mint("video-1").token
    payload, _, signature = token.rpartition(".")
    tampered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
    with pytest.raises(PlaybackDenied, match="bad signature"):
        tokens.check(tampered, "video-1")
