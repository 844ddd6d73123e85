"""``HlsGroupSettings.Encryption``: read into the model, rendered back as AWS accepts it, and
what the emulator cannot do refused by name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.settings_builders import (
    assert_valid_for_boto3,
    hls_of,
    output_of,
    read_back,
    request,
    wire,
)
from vod_testbed.backends.ffmpeg.encryption import with_key_tags
from vod_testbed.backends.hls_encryption import HlsEncryption
from vod_testbed.backends.jobmodel.from_ladder import ladder_job
from vod_testbed.backends.mediaconvert.model import ValidationError, to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings

KEY = bytes.fromhex("00112233445566778899aabbccddeeff")
POINTER = "/outputGroups/0/outputGroupSettings/hlsGroupSettings/encryption"


def static_key(**changes: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "encryptionMethod": "AES128",
        "type": "STATIC_KEY",
        "staticKeyProvider": {"staticKeyValue": KEY.hex(), "url": "https://keys.example/k"},
    }
    settings.update(changes)
    return settings


def encrypted(**changes: Any) -> dict[str, Any]:
    settings = wire(request())
    hls_of(settings)["encryption"] = static_key(**changes)
    return settings


def test_static_key_settings_read_into_the_model() -> None:
    settings = encrypted(
        constantInitializationVector="0f" * 16,
        initializationVectorInManifest="EXCLUDE",
    )
    settings_provider = hls_of(settings)["encryption"]["staticKeyProvider"]
    settings_provider.update(keyFormat="identity", keyFormatVersions="1")
    parsed = parse_job_settings(settings)
    assert parsed.request.ladder.encryption == HlsEncryption(
        KEY,
        "https://keys.example/k",
        iv=bytes([15] * 16),
        iv_in_manifest=False,
        key_format="identity",
        key_format_versions="1",
    )


@pytest.mark.parametrize(
    "encryption",
    [
        HlsEncryption(KEY, "https://keys.example/k"),
        HlsEncryption(KEY, "key", iv=bytes(16), iv_in_manifest=False, key_format="identity"),
    ],
)
def test_a_ladder_and_a_model_render_encryption_aws_accepts_and_read_back(encryption) -> None:
    req = request(encryption=encryption)
    rendered = render_job_settings(req)
    assert_valid_for_boto3(rendered)
    group = rendered["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
    assert group["Encryption"]["StaticKeyProvider"]["StaticKeyValue"] == KEY.hex()
    assert parse_job_settings(to_wire_case(rendered)).request == read_back(req)

    model = ladder_job(req)
    rendered_model = render_model_settings(model)
    assert_valid_for_boto3(rendered_model)
    assert (
        parse_job_settings(to_wire_case(rendered_model)).job.output_groups[0]
        == (model.output_groups[0])
    )


@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        ({"type": "SPEKE"}, f"{POINTER}/type", "use Type STATIC_KEY"),
        (
            {"spekeKeyProvider": {"url": "https://speke.example/"}},
            f"{POINTER}/spekeKeyProvider",
            "SPEKE key providers are not supported",
        ),
        ({"encryptionMethod": "SAMPLE_AES"}, f"{POINTER}/encryptionMethod", "SAMPLE_AES"),
        ({"offlineEncrypted": "ENABLED"}, f"{POINTER}/offlineEncrypted", "not supported"),
        (
            {"staticKeyProvider": {"staticKeyValue": "z" * 32, "url": "k"}},
            f"{POINTER}/staticKeyProvider/staticKeyValue",
            "32 hexadecimal digits",
        ),
        (
            {"staticKeyProvider": {"staticKeyValue": KEY.hex()}},
            f"{POINTER}/staticKeyProvider",
            "url is a required property",
        ),
        ({"staticKeyProvider": None}, POINTER, "staticKeyProvider is a required property"),
    ],
)
def test_what_the_emulator_cannot_do_is_refused_by_name(change, pointer, words) -> None:
    settings = encrypted(**change)
    encryption = hls_of(settings)["encryption"]
    if encryption.get("staticKeyProvider") is None:
        del encryption["staticKeyProvider"]
    with pytest.raises(ValidationError) as refused:
        parse_job_settings(settings)
    assert str(refused.value).startswith(pointer), str(refused.value)
    assert words in str(refused.value)


def test_iframe_playlists_of_encrypted_segments_are_refused() -> None:
    settings = encrypted()
    output_of(settings)["outputSettings"] = {"hlsSettings": {"iFrameOnlyManifest": "INCLUDE"}}
    with pytest.raises(ValidationError, match="I-frame-only playlists of encrypted"):
        parse_job_settings(settings)


def test_key_tags_as_mediaconvert_writes_them() -> None:
    playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:6,\na_00001.ts\n#EXTINF:6,\na_00002.ts\n"
    per_segment = with_key_tags(playlist, HlsEncryption(KEY, "k"), 1)
    assert [line for line in per_segment.splitlines() if line.startswith("#EXT-X-KEY")] == [
        f'#EXT-X-KEY:METHOD=AES-128,URI="k",IV=0x{n:032X}' for n in (1, 2)
    ]
    excluded = with_key_tags(playlist, HlsEncryption(KEY, "k", iv_in_manifest=False), 1)
    assert excluded.splitlines()[2:4] == ['#EXT-X-KEY:METHOD=AES-128,URI="k"', "#EXTINF:6,"]
    assert excluded.count("#EXT-X-KEY") == 1
    formatted = with_key_tags(playlist, HlsEncryption(KEY, "k", key_format="identity"), 1)
    assert "#EXT-X-VERSION:5" in formatted


def test_the_key_is_never_in_a_repr() -> None:
    encryption = HlsEncryption(KEY, "k", iv=bytes(16))
    assert KEY.hex() not in repr(request(encryption=encryption))
    assert "key=" not in repr(encryption)
