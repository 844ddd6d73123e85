"""EXT-X-KEY under validation: broken or hostile tags get a clear verdict, never a crash,
and segments are judged by whether they decrypt into MPEG-TS. The segments here are
hand-made bytes (188-byte TS packets), so no clip is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from vod_testbed.backends.hls_encryption import sequence_iv
from vod_testbed.hls.report import Check, ValidationReport
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media import aes128

KEY = bytes(range(16))
MASTER = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nmaster_a.m3u8\n"


def ladder(tmp_path: Path, key_tag: str, *, encrypt: bool = True) -> Path:
    """One rendition of one segment of TS-shaped bytes, encrypted as segment 1."""
    packets = b"".join(bytes([0x47]) + bytes(187) for _ in range(10))
    data = aes128.encrypt(packets, KEY, sequence_iv(1)) if encrypt else packets
    (tmp_path / "master_a_00001.ts").write_bytes(data)
    (tmp_path / "master_a.m3u8").write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:1\n"
        f"#EXT-X-PLAYLIST-TYPE:VOD\n{key_tag}\n#EXTINF:6.0,\nmaster_a_00001.ts\n"
        "#EXT-X-ENDLIST\n"
    )
    master = tmp_path / "master.m3u8"
    master.write_text(MASTER)
    return master


def check(report: ValidationReport, check_id: str) -> Check:
    return next(c for c in report.checks if c.id == check_id)


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ('#EXT-X-KEY:METHOD=AES-128,URI="k",IV=0xZZ', "is not 0x and 32 hexadecimal digits"),
        ("#EXT-X-KEY:METHOD=AES-128", "has no URI"),
        ('#EXT-X-KEY:METHOD=SAMPLE-AES,URI="k"', "METHOD=SAMPLE-AES is not checked"),
        ('#EXT-X-KEY:METHOD=AES-128,URI="k",KEYFORMAT="identity"', "needs EXT-X-VERSION >= 5"),
    ],
)
def test_broken_key_tags_get_a_verdict_not_a_crash(tmp_path: Path, tag: str, words: str) -> None:
    report = validate_hls(ladder(tmp_path, tag), key=KEY)
    tags = check(report, "encryption.tags")
    assert not tags.ok and words in tags.message, tags.message
    assert not report.ok


def test_the_right_key_decrypts_a_wrong_one_or_none_says_so(tmp_path: Path) -> None:
    master = ladder(tmp_path, '#EXT-X-KEY:METHOD=AES-128,URI="k"')
    assert check(validate_hls(master, key=KEY), "encryption.key").ok
    for key, words in ((None, "no key was given"), (bytes(16), "do not decrypt")):
        verdict = check(validate_hls(master, key=key), "encryption.key")
        assert not verdict.ok and words in verdict.message


def test_a_clear_segment_under_a_key_tag_does_not_decrypt(tmp_path: Path) -> None:
    master = ladder(tmp_path, '#EXT-X-KEY:METHOD=AES-128,URI="k"', encrypt=False)
    verdict = check(validate_hls(master, key=KEY), "encryption.key")
    assert not verdict.ok and "master_a_00001.ts" in verdict.message
