"""Each video's AES-128 key, derived rather than stored (docs/encryption.md).

With ``HLS_ENCRYPTION`` on, the trigger encrypts a video's ladder under
``HMAC-SHA256(HLS_KEY_SECRET, "vod-testbed.hls-key:" + video id)``, cut to 16 bytes, and the
playback service derives the same key when a viewer with a valid playback token asks for
it. The trigger runs without the database (in Lambda), and a key kept nowhere is a key no
signed URL, listing or backup can expose: the secret is the one thing to guard, like the
database's password, and changing it makes the videos encrypted under it unplayable.

The key is in the job's settings (``StaticKeyValue``: a static key travels with its job, on
AWS too), never in a log line, a playlist or an object of the bucket. This module imports
neither Flask nor the database: the trigger's Lambda zip ships it.
"""

from __future__ import annotations

import hashlib
import hmac

from vod_testbed.backends.hls_encryption import KEY_BYTES, HlsEncryption

_CONTEXT = b"vod-testbed.hls-key:"
# EXT-X-KEY's URI in the stored playlists: a name, relative to the media playlist. Playback
# replaces it with its own tokened key URL; nothing is stored under it.
KEY_URI = "key"


def video_key(secret: str, video_id: str) -> bytes:
    """The AES-128 key of ``video_id`` under ``secret``."""
    if not secret:
        raise ValueError("HLS_KEY_SECRET is required to derive keys")
    digest = hmac.new(secret.encode(), _CONTEXT + video_id.encode(), hashlib.sha256).digest()
    return digest[:KEY_BYTES]


def video_encryption(secret: str, video_id: str) -> HlsEncryption:
    """How the ladder of ``video_id`` is encrypted: its key, the IV of each segment its
    number, written in the playlist as MediaConvert does by default."""
    return HlsEncryption(key=video_key(secret, video_id), url=KEY_URI)
