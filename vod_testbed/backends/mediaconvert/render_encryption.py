""":class:`~vod_testbed.backends.hls_encryption.HlsEncryption` -> ``HlsGroupSettings``'s
``Encryption`` (boto3's PascalCase): the other half of :mod:`.parse_encryption`."""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.hls_encryption import HlsEncryption


def render_encryption(encryption: HlsEncryption | None) -> dict[str, Any]:
    """``{"Encryption": {...}}`` to merge into ``HlsGroupSettings``; ``{}`` without."""
    if encryption is None:
        return {}
    provider: dict[str, Any] = {
        "StaticKeyValue": encryption.key.hex(),
        "Url": encryption.url,
    }
    if encryption.key_format is not None:
        provider["KeyFormat"] = encryption.key_format
    if encryption.key_format_versions is not None:
        provider["KeyFormatVersions"] = encryption.key_format_versions
    settings: dict[str, Any] = {
        "EncryptionMethod": "AES128",
        "Type": "STATIC_KEY",
        "StaticKeyProvider": provider,
        "InitializationVectorInManifest": "INCLUDE" if encryption.iv_in_manifest else "EXCLUDE",
    }
    if encryption.iv is not None:
        settings["ConstantInitializationVector"] = encryption.iv.hex()
    return {"Encryption": settings}
