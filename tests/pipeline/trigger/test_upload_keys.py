"""Upload key layout (docs/ARCHITECTURE.md, "The object-name contract") and sanitising."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vod_testbed.pipeline.trigger.upload_keys import has_upload_suffix, parse_upload_key, upload_key

ASSET = "0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c"
WHEN = datetime(2026, 3, 5, 9, 52, 5, tzinfo=UTC)


def test_layout_is_user_year_month_uuid_timestamp_name() -> None:
    key = upload_key("user-1", "clip.mp4", ASSET, WHEN)
    assert key == f"video/user-1/2026/03/{ASSET}-20260305T095205Z-clip.mp4"


def test_spaces_become_dashes() -> None:
    key = upload_key("u1", "my holiday clip.mov", ASSET, WHEN)
    assert key.endswith("-my-holiday-clip.mov")
    assert " " not in key


def test_non_ascii_is_folded_to_ascii() -> None:
    key = upload_key("u1", "été à Zürich.mp4", ASSET, WHEN)
    assert key.endswith("-ete-a-Zurich.mp4")
    assert key.isascii()


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\boot.ini", "/abs/path/x.mp4"])
def test_path_traversal_cannot_escape_the_prefix(name: str) -> None:
    key = upload_key("u1", name, ASSET, WHEN)
    assert ".." not in key
    assert key.startswith(f"video/u1/2026/03/{ASSET}-")
    assert key.count("/") == 4


@pytest.mark.parametrize("user_id", ["", "..", "a/b", "ü", "x" * 65, "a.b"])
def test_unsafe_user_ids_are_refused(user_id: str) -> None:
    with pytest.raises(ValueError, match="user id"):
        upload_key(user_id, "clip.mp4", ASSET, WHEN)


def test_a_key_parses_back_into_its_parts() -> None:
    parsed = parse_upload_key(upload_key("user-1", "a b.mp4", ASSET, WHEN))
    assert parsed is not None
    assert (parsed.user_id, parsed.asset_id, parsed.filename) == ("user-1", ASSET, "a-b.mp4")


@pytest.mark.parametrize(
    "key",
    [
        f"video/u1/2026/03/{ASSET}-20260305T095205Z-clip_processed/hls/master.m3u8",
        f"video/u1/2026/03/{ASSET}-20260305T095205Z-clip_processed/thumbnails/m.0000001.jpg",
        "video/u1/holiday.mp4",
        f"other/u1/2026/03/{ASSET}-20260305T095205Z-clip.mp4",
    ],
)
def test_outputs_and_foreign_keys_are_not_upload_keys(key: str) -> None:
    assert parse_upload_key(key) is None


def test_the_extension_is_lower_case_in_the_key() -> None:
    """Staging's S3 notification matches lower-case suffixes (S3 filters are case-sensitive)."""
    key = upload_key("u1", "Holiday.MP4", "0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c")
    assert key.endswith("-Holiday.mp4")


def test_no_output_of_a_job_ends_with_an_upload_suffix() -> None:
    outputs = ("master.m3u8", "master_1080p.m3u8", "master_1080p_00001.ts", "m_thumb.0000000.jpg")
    assert not [name for name in outputs if has_upload_suffix(name)]
