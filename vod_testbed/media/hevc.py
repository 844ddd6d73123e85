"""H.265 (HEVC) bitstream facts the HLS tools need, read from NAL units without a decode.

The CODECS string follows ISO/IEC 14496-15 Annex E, as Apple's HLS authoring
specification asks: ``hvc1.<profile>.<compatibility>.<tier><level>.<constraints>``, e.g.
``hvc1.1.6.L93.B0`` for Main at level 3.1 (docs/ARCHITECTURE.md, "FFmpeg").
"""

from __future__ import annotations

# nal_unit_type (ITU-T H.265 Table 7-1): IDR_W_RADL, IDR_N_LP; the sequence parameter set.
IDR_TYPES = (19, 20)
SPS_TYPE = 33
PROFILE_NAMES = {1: "Main", 2: "Main 10", 3: "Main Still Picture", 4: "Range extensions"}


def nal_type(header: int) -> int:
    """nal_unit_type from the first byte of an HEVC NAL unit header."""
    return (header >> 1) & 0x3F


def has_idr(data: bytes) -> bool:
    """Whether an Annex-B access unit holds an IDR picture."""
    return any(nal_type(nal[0]) in IDR_TYPES for nal in _annexb_nals(data) if nal)


def has_idr_length_prefixed(data: bytes) -> bool:
    """As :func:`has_idr` for an MP4 sample: NAL units behind 4-byte lengths (hvcC)."""
    at = 0
    while at + 5 <= len(data):
        if nal_type(data[at + 4]) in IDR_TYPES:
            return True
        at += 4 + int.from_bytes(data[at : at + 4], "big")
    return False


def codecs_from_annexb(data: bytes, sample_entry: str = "hvc1") -> str | None:
    """The CODECS string from the first sequence parameter set of an Annex-B stream."""
    for nal in _annexb_nals(data):
        if len(nal) > 2 and nal_type(nal[0]) == SPS_TYPE:
            rbsp = _unescape(nal[2:])
            # sps_video_parameter_set_id .. temporal_id_nesting: one byte; then the
            # profile_tier_level's general fields: 12 bytes.
            if len(rbsp) >= 13:
                return codecs_from_profile_tier_level(rbsp[1:13], sample_entry)
    return None


def codecs_from_hvcc(hvcc: bytes, sample_entry: str = "hvc1") -> str | None:
    """The CODECS string from an ``hvcC`` record (its bytes 1..12 are the same fields)."""
    if len(hvcc) < 13 or hvcc[0] != 1:
        return None
    return codecs_from_profile_tier_level(hvcc[1:13], sample_entry)


def codecs_from_profile_tier_level(ptl: bytes, sample_entry: str = "hvc1") -> str:
    """``general_profile_space .. general_level_idc`` (12 bytes) as an RFC 6381 string."""
    space = "ABC"[(ptl[0] >> 6) - 1] if ptl[0] >> 6 else ""
    tier = "H" if ptl[0] & 0x20 else "L"
    profile = ptl[0] & 0x1F
    # The 32 compatibility flags in reverse bit order, in hex without leading zeros.
    flags = int.from_bytes(ptl[1:5], "big")
    reversed_flags = int(f"{flags:032b}"[::-1], 2)
    constraints = bytes(ptl[5:11]).rstrip(b"\x00")
    parts = [sample_entry, f"{space}{profile}", f"{reversed_flags:X}", f"{tier}{ptl[11]}"]
    parts += [f"{byte:X}" for byte in constraints]
    return ".".join(parts)


def profile_of(codecs: str) -> int | None:
    """general_profile_idc of an ``hvc1.``/``hev1.`` CODECS string, or None."""
    parts = codecs.split(".")
    if len(parts) < 4 or parts[0] not in ("hvc1", "hev1"):
        return None
    digits = parts[1].lstrip("ABC")
    return int(digits) if digits.isdigit() else None


def level_of(codecs: str) -> int | None:
    """general_level_idc (30 x the level) of an HEVC CODECS string, or None."""
    parts = codecs.split(".")
    if len(parts) < 4 or parts[3][:1] not in ("L", "H") or not parts[3][1:].isdigit():
        return None
    return int(parts[3][1:])


def _annexb_nals(data: bytes) -> list[bytes]:
    """The NAL units of an Annex-B byte stream (start codes removed)."""
    nals = []
    start = data.find(b"\x00\x00\x01")
    while start != -1:
        begin = start + 3
        following = data.find(b"\x00\x00\x01", begin)
        end = len(data) if following == -1 else following
        nals.append(data[begin:end].rstrip(b"\x00"))
        start = following
    return nals


def _unescape(payload: bytes) -> bytes:
    """The RBSP: every emulation-prevention byte (``00 00 03``) removed."""
    return payload.replace(b"\x00\x00\x03", b"\x00\x00")
