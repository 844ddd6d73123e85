"""H.265's CODECS string and IDR detection from NAL units (ISO/IEC 14496-15 Annex E's
examples, and bytes laid out as ITU-T H.265 7.3.2.2 writes them)."""

from __future__ import annotations

from vod_testbed.media import hevc

# general_profile_space 0, main tier, Main (1); compatibility flags for Main and Main 10
# (bits 1 and 2 from the left); constraint byte B0 then zeros; level 3.1 (93).
MAIN_L31 = bytes([0x01, 0x60, 0, 0, 0, 0xB0, 0, 0, 0, 0, 0, 93])


def _sps(ptl: bytes) -> bytes:
    # NAL header (type 33), then vps id / max sub layers / nesting in one byte, then the PTL.
    return b"\x00\x00\x00\x01" + bytes([33 << 1, 0x01, 0x01]) + ptl + b"\xa0\x02\x80"


def test_the_annex_e_example_strings() -> None:
    assert hevc.codecs_from_profile_tier_level(MAIN_L31) == "hvc1.1.6.L93.B0"
    main10_high = bytes([0x22, 0x20, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 153])
    assert hevc.codecs_from_profile_tier_level(main10_high, "hev1") == "hev1.2.4.H153.90"


def test_the_string_is_read_from_an_annexb_sps_through_emulation_prevention() -> None:
    assert hevc.codecs_from_annexb(_sps(MAIN_L31)) == "hvc1.1.6.L93.B0"
    # In the stream, two zero bytes before a byte of 0..3 take an emulation-prevention 03.
    escaped = bytes([0x01, 0x60, 0, 0, 3, 0, 0xB0, 0, 0, 3, 0, 0, 3, 0, 93])
    assert hevc.codecs_from_annexb(_sps(escaped)) == "hvc1.1.6.L93.B0"
    assert hevc.codecs_from_annexb(b"\x00\x00\x01\x40\x01") is None  # a VPS only


def test_idr_pictures_are_told_from_other_slices() -> None:
    idr = b"\x00\x00\x01" + bytes([19 << 1, 0x01, 0xAF])
    trailing = b"\x00\x00\x01" + bytes([1 << 1, 0x01, 0xAF])
    cra = b"\x00\x00\x01" + bytes([21 << 1, 0x01, 0xAF])
    assert hevc.has_idr(trailing + idr)
    assert not hevc.has_idr(trailing) and not hevc.has_idr(cra)
    sample = len(idr[3:]).to_bytes(4, "big") + idr[3:]
    assert hevc.has_idr_length_prefixed(sample)


def test_profile_and_level_are_read_back_from_the_string() -> None:
    assert (hevc.profile_of("hvc1.1.6.L93.B0"), hevc.level_of("hvc1.1.6.L93.B0")) == (1, 93)
    assert hevc.profile_of("avc1.64001f") is None
