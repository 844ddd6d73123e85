"""Playback of a private ladder: tokens checked here, playlists rewritten, media presigned.

``GET /videos/{id}`` hands out ``/play/{id}/master.m3u8?token=...``. The master comes back
with each variant URI turned into a tokened URL of this service (relative, so it resolves
against wherever the master was fetched from); each media playlist comes back with every
segment URI presigned on the storage (or signed on the CDN), valid until the token expires.
Segments never pass through Python.

Ready outputs never change (the master is written last, and a ready video is final), so
playlist texts and the keys of ready videos are cached in memory.
"""

from __future__ import annotations

import logging
import math
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from cachetools import LRUCache, TTLCache

from vod_testbed.common.caches import SharedCache
from vod_testbed.pipeline.playback.rewrite import (
    PlaylistError,
    is_absolute,
    playlist_uris,
    resolve_key,
    rewrite_uris,
)
from vod_testbed.pipeline.playback.signing import UrlSigner
from vod_testbed.pipeline.playback.tokens import PlaybackTokens

log = logging.getLogger(__name__)

MASTER_NAME = "master.m3u8"
# /play/<video id>/key: the AES-128 key of an encrypted ladder (keys.py).
KEY_NAME = "key"
# /play/<video id>/download: a redirect to the video's MP4, saved as a file (blueprint.py).
DOWNLOAD_NAME = "download"
# A download URL is followed at once: it lives this long (never past the token).
DOWNLOAD_URL_S = 300
# A video's grant (its token and presigned thumbnails) is handed out again for this long,
# and never for more than a tenth of the token's life (a grant handed out keeps at least 90 %
# of it): the thumbnail URLs then stay the same from one request to the next, so browsers
# cache the images, and a video many students open at once costs one signing a minute.
GRANT_REUSE_S = 60


class PlaylistNotFound(LookupError):
    """The video has no such playlist (the token was fine)."""


@dataclass(frozen=True)
class PlayableVideo:
    """What playback needs of a ready video."""

    id: str
    master_key: str
    thumbnail_keys: tuple[str, ...]
    # The progressive MP4 (docs/playback.md, "MP4 downloads") and the name a browser saves
    # it as; None when the video has none.
    download_key: str | None = None
    download_name: str = "video.mp4"

    @property
    def outputs_prefix(self) -> str:
        """The folder holding ``hls/`` and ``thumbnails/`` (``..._processed/``)."""
        return posixpath.dirname(posixpath.dirname(self.master_key)) + "/"


class PlaybackService:
    """Grants playback of ready videos and serves their rewritten playlists.

    Args:
        tokens: mints and checks playback tokens.
        signer: signs object keys (presigned S3 GETs, or CloudFront signed URLs).
        find_video: the playable description of a ready video, ``None`` otherwise.
        read_text: the text of an object key (raises ``KeyError`` when it does not exist).
    """

    def __init__(
        self,
        tokens: PlaybackTokens,
        signer: UrlSigner,
        find_video: Callable[[str], PlayableVideo | None],
        read_text: Callable[[str], str],
    ) -> None:
        self.tokens = tokens
        self.signer = signer
        self._find_video = find_video
        self._read_text = read_text
        self._videos: SharedCache[str, PlayableVideo] = SharedCache(LRUCache(1024))
        self._texts: SharedCache[str, str] = SharedCache(LRUCache(256))
        self._grants: SharedCache[str, dict[str, Any]] = SharedCache(
            TTLCache(1024, min(GRANT_REUSE_S, tokens.lifetime_s / 10), timer=tokens.clock)
        )

    def grant(self, video: PlayableVideo) -> dict[str, Any]:
        """The ``playback`` block of ``GET /videos/{id}``: a tokened master URL (relative
        to the API root; the caller makes it absolute) and presigned thumbnails, valid for
        ``expires_in`` seconds (at least the token lifetime less :data:`GRANT_REUSE_S`)."""
        block = self._grants.get(video.id)
        if block is None:
            grant = self.tokens.mint(video.id)
            sign = self.signer.batch(grant.expires_at, video.outputs_prefix)
            block = {
                "master_playlist_path": f"play/{quote(video.id)}/{MASTER_NAME}?token={grant.token}",
                "thumbnail_urls": tuple(sign(key) for key in video.thumbnail_keys),
                "expires_at": grant.expires_at,
            }
            if video.download_key:
                block["download_path"] = (
                    f"play/{quote(video.id)}/{DOWNLOAD_NAME}?token={grant.token}"
                )
            self._grants.put(video.id, block)
        return {
            **block,
            "thumbnail_urls": list(block["thumbnail_urls"]),
            "expires_in": max(0, block["expires_at"] - math.ceil(self.tokens.clock())),
        }

    def video(self, video_id: str) -> PlayableVideo | None:
        """The ready video ``video_id`` (cached: ready is final)."""
        cached = self._videos.get(video_id)
        if cached is None:
            cached = self._find_video(video_id)
            if cached is not None:
                self._videos.put(video_id, cached)
        return cached

    def forget(self, video_id: str) -> None:
        """Drop ``video_id`` from the cache: it was deleted, so its tokens play nothing."""
        self._videos.pop(video_id)
        self._grants.pop(video_id)

    def download_url(self, video_id: str, token: str | None) -> str:
        """A short-lived URL of the video's MP4 that a browser saves as a file.

        Raises:
            PlaybackDenied: the token does not grant this video now.
            PlaylistNotFound: the video is not ready, or has no MP4.
        """
        expires_at = self.tokens.check(token, video_id)
        video = self.video(video_id)
        if video is None or video.download_key is None:
            raise PlaylistNotFound(f"video {video_id} has no MP4 download")
        soon = int(self.tokens.clock()) + DOWNLOAD_URL_S
        return self.signer.attachment(
            min(expires_at, soon), video.download_key, video.download_name
        )

    def playlist(self, video_id: str, name: str, token: str | None) -> str:
        """The playlist ``name`` of the video, rewritten for playback.

        Raises:
            PlaybackDenied: the token does not grant this video now.
            PlaylistNotFound: the video is not ready, or has no playlist of that name.
        """
        expires_at = self.tokens.check(token, video_id)
        video = self.video(video_id)
        if video is None:
            raise PlaylistNotFound(f"video {video_id} has no playable ladder")
        master_text = self._text(video.master_key)
        if name == MASTER_NAME:
            return rewrite_uris(master_text, lambda uri: _with_token(uri, token or ""))
        if name not in _variant_names(master_text):
            raise PlaylistNotFound(f"the master of {video_id} names no {name!r}")
        folder = posixpath.dirname(video.master_key)
        key = resolve_key(folder, name)
        sign = self.signer.batch(expires_at, video.outputs_prefix)
        media_folder = posixpath.dirname(key)

        def presign(uri: str) -> str:
            return uri if is_absolute(uri) else sign(resolve_key(media_folder, uri))

        text = self._text(key)
        # An encrypted ladder's key comes from this service, for this token only (keys.py).
        key_uri = f"{KEY_NAME}?token={token}" if "#EXT-X-KEY:" in text else None
        return rewrite_uris(text, presign, key_uri)

    def text(self, key: str) -> str:
        """The text of a ready video's manifest ``key`` (cached: ready outputs never change).

        Raises:
            PlaylistNotFound: no such object.
        """
        return self._text(key)

    def _text(self, key: str) -> str:
        text = self._texts.get(key)
        if text is None:
            try:
                text = self._read_text(key)
            except KeyError:
                raise PlaylistNotFound(f"{key} does not exist") from None
            self._texts.put(key, text)
        return text


def _variant_names(master_text: str) -> set[str]:
    return {uri for uri in playlist_uris(master_text) if not is_absolute(uri) and "/" not in uri}


def _with_token(uri: str, token: str) -> str:
    if is_absolute(uri):
        return uri
    return f"{uri}{'&' if '?' in uri else '?'}token={token}"


__all__ = ["PlayableVideo", "PlaybackService", "PlaylistError", "PlaylistNotFound"]
