"""Reading segments at the packet level: IDRs and the H.264 codecs string."""

from __future__ import annotations

from vod_testbed.media.segments import avc_codecs_from_annexb, has_idr


def test_idr_is_found_after_access_unit_delimiter_and_parameter_sets():
    aud, sei = b"\x00\x00\x00\x01\x09\xf0", b"\x00\x00\x01\x06\x05\x01\x00"
    sps, pps = b"\x00\x00\x00\x01\x67\x64\x00\x28\xac", b"\x00\x00\x01\x68\xee\x3c\x80"
    idr, non_idr_i_slice = b"\x00\x00\x01\x65\x88\x84", b"\x00\x00\x01\x41\x9a\x00"
    assert has_idr(aud + sps + pps + sei + idr)
    # An open-GOP I-frame is coded as a non-IDR slice: libav flags it as a keyframe anyway.
    assert not has_idr(aud + sps + pps + sei + non_idr_i_slice)
    assert avc_codecs_from_annexb(aud + sps + pps + idr) == "avc1.640028"
