"""Encrypted HLS: what a job asks for (``HlsGroupSettings.Encryption`` with a static key) and
the ``EXT-X-KEY`` tags MediaConvert writes for it (docs/encryption.md).

One type for both the ladder and the job model (:class:`HlsEncryption` is a member of
:class:`~vod_testbed.backends.ladder.Ladder` and of the model's ``HlsGroup``), and one
writer of the tags, so the FFmpeg backend and whoever reads a playlist agree on them:

* ``METHOD=AES-128``, ``URI`` the provider's ``Url`` as written, then ``IV`` when
  ``InitializationVectorInManifest`` is ``INCLUDE``, then ``KEYFORMAT`` and
  ``KEYFORMATVERSIONS`` when the provider sets them;
* with ``ConstantInitializationVector`` every segment shares that IV and one tag opens the
  playlist; without it each segment's IV is its media sequence number (the service model:
  "the Initialization Vector will follow the segment number"), so with ``INCLUDE`` each
  segment gets its own tag, and with ``EXCLUDE`` one tag without IV opens the playlist
  (players then derive the same number, RFC 8216 s5.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# 128 bits. The cipher itself is media/aes128.py's; this module stays free of it, so the
# upload trigger (which builds ladders) ships without the cryptography package.
KEY_BYTES = 16


def parse_hex_128(text: str, what: str) -> bytes:
    """A 32-hex-digit value (an optional ``0x`` prefix allowed) as 16 bytes.

    Raises:
        ValueError: naming ``what``, when it is not 32 hexadecimal digits.
    """
    digits = text[2:] if text[:2] in ("0x", "0X") else text
    if len(digits) != 32:
        raise ValueError(f"{what} must be 32 hexadecimal digits (got {len(digits)} characters)")
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise ValueError(f"{what} must be 32 hexadecimal digits") from None


def sequence_iv(media_sequence: int) -> bytes:
    """The IV of a segment without an explicit one: its media sequence number as a 128-bit
    big-endian integer (RFC 8216 s5.2)."""
    return media_sequence.to_bytes(KEY_BYTES, "big")


@dataclass(frozen=True)
class HlsEncryption:
    """AES-128 with a static key. ``key`` never appears in a repr (jobs and ladders are
    logged); ``iv`` None means the segment number."""

    key: bytes = field(repr=False)
    url: str
    iv: bytes | None = field(default=None, repr=False)
    iv_in_manifest: bool = True
    key_format: str | None = None
    key_format_versions: str | None = None

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise ValueError("an AES-128 key is 16 bytes")
        if self.iv is not None and len(self.iv) != KEY_BYTES:
            raise ValueError("an AES-128 IV is 16 bytes")
        if '"' in self.url or "\n" in self.url or "\r" in self.url:
            raise ValueError("the key URL may not hold quotes or line breaks")

    def segment_iv(self, media_sequence: int) -> bytes:
        """The IV of the segment with this media sequence number."""
        return self.iv if self.iv is not None else sequence_iv(media_sequence)

    @property
    def one_tag(self) -> bool:
        """One tag serves every segment (a constant IV, or none written)."""
        return self.iv is not None or not self.iv_in_manifest

    @property
    def needs_version(self) -> int:
        """The EXT-X-VERSION the tags need: 5 for KEYFORMAT(VERSIONS), 2 for IV (RFC 8216
        s7)."""
        if self.key_format is not None or self.key_format_versions is not None:
            return 5
        return 2 if self.iv_in_manifest else 1

    def key_tag(self, media_sequence: int) -> str:
        """The ``EXT-X-KEY`` line before the segment numbered ``media_sequence``."""
        attributes = [f'METHOD=AES-128,URI="{self.url}"']
        if self.iv_in_manifest:
            attributes.append(f"IV=0x{self.segment_iv(media_sequence).hex().upper()}")
        if self.key_format is not None:
            attributes.append(f'KEYFORMAT="{self.key_format}"')
        if self.key_format_versions is not None:
            attributes.append(f'KEYFORMATVERSIONS="{self.key_format_versions}"')
        return "#EXT-X-KEY:" + ",".join(attributes)
