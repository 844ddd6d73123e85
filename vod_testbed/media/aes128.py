"""AES-128 as HLS uses it (RFC 8216 s5.2): each media segment encrypted whole with AES-128
in CBC mode and PKCS#7 padding, under a 16-byte key and a 16-byte initialization vector.

Without an ``IV`` attribute the IV is the segment's media sequence number
(:func:`vod_testbed.backends.hls_encryption.sequence_iv`). The ``cryptography`` package
does the cipher.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_BYTES = 16
BLOCK_BYTES = 16
# Every MPEG-TS packet starts with this sync byte, every 188 bytes.
TS_PACKET = 188
TS_SYNC = 0x47


class DecryptionError(ValueError):
    """The bytes do not decrypt under this key and IV (wrong key, wrong IV or not AES-128)."""


def _cipher(key: bytes, iv: bytes) -> Cipher[modes.CBC]:
    if len(key) != KEY_BYTES or len(iv) != BLOCK_BYTES:
        raise ValueError("AES-128 needs a 16-byte key and a 16-byte IV")
    return Cipher(algorithms.AES128(key), modes.CBC(iv))


def encrypt(data: bytes, key: bytes, iv: bytes) -> bytes:
    """``data`` padded (PKCS#7) and encrypted."""
    padder = padding.PKCS7(BLOCK_BYTES * 8).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = _cipher(key, iv).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def decrypt(data: bytes, key: bytes, iv: bytes) -> bytes:
    """The clear bytes of an encrypted segment.

    Raises:
        DecryptionError: the length is not whole blocks, or the padding is not PKCS#7 (what
            a wrong key or IV gives, with a chance of 1 in about 256 of passing).
    """
    if not data or len(data) % BLOCK_BYTES:
        raise DecryptionError(f"{len(data)} bytes is not a whole number of AES blocks")
    decryptor = _cipher(key, iv).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(BLOCK_BYTES * 8).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise DecryptionError("the padding is wrong: not this key or IV") from None


def looks_like_mpeg_ts(data: bytes) -> bool:
    """Whole 188-byte packets, each starting with the sync byte: what a right key gives and
    a wrong one does not (a wrong key yields noise, whose sync bytes fail at once)."""
    if not data or len(data) % TS_PACKET:
        return False
    return all(data[i] == TS_SYNC for i in range(0, len(data), TS_PACKET))
