"""``HlsGroupSettings.Encryption`` -> :class:`~vod_testbed.backends.hls_encryption.HlsEncryption`
(docs/encryption.md).

AES-128 with a ``StaticKeyProvider`` is honoured. What needs more than the emulator has is
refused by name: a SPEKE key provider (a key server the emulator cannot reach), SAMPLE_AES
(sample encryption inside the elementary streams), ``OfflineEncrypted`` (FairPlay's
session key) and I-frame-only playlists of encrypted segments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vod_testbed.backends.hls_encryption import HlsEncryption, parse_hex_128
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported

SPEKE_REFUSAL = (
    "SPEKE key providers are not supported by the emulator: it reaches no key server. "
    "Locally, use Type STATIC_KEY with a StaticKeyProvider (the pipeline's HLS_ENCRYPTION "
    "does), and keep SPEKE for AWS"
)


def hls_encryption(settings: Mapping[str, Any] | None, path: str) -> HlsEncryption | None:
    """The encryption an HLS group's ``encryption`` (wire form, at ``path``) asks for; None
    when absent or empty (``EncryptionMethod`` "Leave blank to disable").

    Raises:
        SettingsError: a setting the emulator cannot honour, named by its pointer.
    """
    if not settings:
        return None
    if settings.get("type") == "SPEKE" or "spekeKeyProvider" in settings:
        where = "spekeKeyProvider" if "spekeKeyProvider" in settings else "type"
        raise SettingsError(f"{path}/{where}", SPEKE_REFUSAL)
    if settings.get("encryptionMethod") == "SAMPLE_AES":
        raise SettingsError(
            f"{path}/encryptionMethod",
            "SAMPLE_AES is not supported by the emulator (AES128 is: whole segments, AES-128-CBC)",
        )
    check_supported(settings, "HlsEncryptionSettings", path)
    if "encryptionMethod" not in settings:
        raise SettingsError(path, "encryptionMethod is a required property with other settings")
    provider = settings.get("staticKeyProvider")
    if provider is None:
        raise SettingsError(path, "staticKeyProvider is a required property with STATIC_KEY")
    ppath = f"{path}/staticKeyProvider"
    check_supported(provider, "StaticKeyProvider", ppath)
    for member in ("staticKeyValue", "url"):
        if not provider.get(member):
            raise SettingsError(ppath, f"{member} is a required property")
    try:
        key = parse_hex_128(provider["staticKeyValue"], "staticKeyValue")
    except ValueError as exc:
        raise SettingsError(f"{ppath}/staticKeyValue", str(exc)) from None
    iv = None
    if "constantInitializationVector" in settings:
        try:
            iv = parse_hex_128(settings["constantInitializationVector"], "the IV")
        except ValueError as exc:
            raise SettingsError(f"{path}/constantInitializationVector", str(exc)) from None
    try:
        return HlsEncryption(
            key=key,
            url=provider["url"],
            iv=iv,
            iv_in_manifest=settings.get("initializationVectorInManifest", "INCLUDE") == "INCLUDE",
            key_format=provider.get("keyFormat"),
            key_format_versions=provider.get("keyFormatVersions"),
        )
    except ValueError as exc:
        raise SettingsError(f"{ppath}/url", str(exc)) from None
