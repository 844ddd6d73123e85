"""Playback tokens: a signed, expiring grant to watch one video.

A token is ``itsdangerous``-signed (HMAC-SHA1 over a salted key derived from the secret)
JSON ``[video_id, expires_at]``. It is checked on every playlist request; the presigned
segment URLs inside the playlists expire when it does.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

Clock = Callable[[], float]
_SALT = "vod-testbed.playback"


class PlaybackDenied(Exception):
    """The token is missing, forged, expired or for another video. The reason is for
    logs only: clients get a bare 403."""


@dataclass(frozen=True)
class Grant:
    """A minted token and the epoch second at which it stops working."""

    token: str
    expires_at: int


class PlaybackTokens:
    """Mints and checks playback tokens.

    Args:
        secret: the signing secret (``PLAYBACK_TOKEN_SECRET``).
        lifetime_s: how long a token works (``PLAYBACK_URL_EXPIRES_S``).
        clock: epoch seconds; injectable so tests can move time.
    """

    def __init__(self, secret: str, lifetime_s: int, clock: Clock = time.time) -> None:
        if not secret:
            raise ValueError("a playback token secret is required")
        self._serializer = URLSafeSerializer(secret, salt=_SALT)
        self.lifetime_s = lifetime_s
        self.clock = clock

    def mint(self, video_id: str) -> Grant:
        """A token for ``video_id`` that works for ``lifetime_s`` from now."""
        expires_at = math.ceil(self.clock()) + self.lifetime_s
        token = self._serializer.dumps([video_id, expires_at])
        return Grant(token if isinstance(token, str) else token.decode(), expires_at)

    def check(self, token: str | None, video_id: str) -> int:
        """The token's expiry (epoch seconds) if it grants ``video_id`` now.

        Raises:
            PlaybackDenied: no token, a bad signature, another video, or expired.
        """
        if not token:
            raise PlaybackDenied("no token")
        try:
            payload = self._serializer.loads(token)
        except BadSignature:
            raise PlaybackDenied("bad signature") from None
        if (
            not isinstance(payload, list)
            or len(payload) != 2
            or not isinstance(payload[1], int)
            or isinstance(payload[1], bool)
        ):
            raise PlaybackDenied("malformed payload")
        granted_id, expires_at = payload
        if granted_id != video_id:
            raise PlaybackDenied("token of another video")
        if self.clock() >= expires_at:
            raise PlaybackDenied("expired")
        return expires_at
