"""Encrypted HLS (docs/encryption.md). SPEKE, SAMPLE_AES are refused by name."""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage.base import (
    Coverage,
    honoured,
)

ROWS: dict[str, dict[str, Coverage]] = {
    # Encrypted HLS (docs/encryption.md). SPEKE, SAMPLE_AES are refused by name.
    "HlsEncryptionSettings": {
        "encryptionMethod": honoured("AES128", note="whole segments, AES-128-CBC"),
        "type": honoured("STATIC_KEY"),
        "staticKeyProvider": honoured(),
        "constantInitializationVector": honoured(note="else each segment's IV is its number"),
        "initializationVectorInManifest": honoured(
            note="INCLUDE (the emulator's default): IV on each EXT-X-KEY; EXCLUDE: none"
        ),
        "offlineEncrypted": honoured("DISABLED", note="ENABLED is FairPlay's session key"),
    },
    "StaticKeyProvider": {
        "staticKeyValue": honoured(note="32 hexadecimal digits: the AES-128 key"),
        "url": honoured(note="EXT-X-KEY's URI, as written"),
        "keyFormat": honoured(note="EXT-X-KEY's KEYFORMAT, when set"),
        "keyFormatVersions": honoured(note="EXT-X-KEY's KEYFORMATVERSIONS, when set"),
    },
}
