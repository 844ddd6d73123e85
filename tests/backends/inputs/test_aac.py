"""HE-AAC profiles (service model, ``AacSettings.CodecProfile``: LC, HEV1, HEV2, XHE) on the
ffmpeg at hand."""

from __future__ import annotations

from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.aac import aac_encoding


def test_lc_is_ffmpegs_own_encoder_without_a_warning() -> None:
    encoding = aac_encoding("LC", 0, frozenset({"aac"}))
    assert encoding.options == {"c:a:0": "aac"}
    assert (encoding.codecs, encoding.warning) == ("mp4a.40.2", None)


def test_he_aac_uses_libfdk_where_it_is_built_in() -> None:
    encoding = aac_encoding("HEV2", 1, frozenset({"aac", "libfdk_aac"}))
    assert encoding.options == {"c:a:1": "libfdk_aac", "profile:a:1": "aac_he_v2"}
    assert (encoding.codecs, encoding.warning) == ("mp4a.40.29", None)


def test_he_aac_without_libfdk_is_lc_with_a_warning() -> None:
    encoding = aac_encoding("HEV1", 0, frozenset({"aac"}))
    assert encoding.options == {"c:a:0": "aac"}
    assert encoding.codecs == "mp4a.40.2"
    assert encoding.warning is not None and "AAC-LC at the same bitrate" in encoding.warning


def test_the_ffmpeg_in_use_is_checked_for_an_he_aac_encoder() -> None:
    # Neither the wheel's ffmpeg nor Debian's is built with libfdk_aac (its licence);
    # whichever is in use, the choice follows what it says about itself.
    build = binary.describe_ffmpeg(binary.find_ffmpeg())
    encoding = aac_encoding("HEV1", 0, build.encoders)
    assert (encoding.warning is None) == ("libfdk_aac" in build.encoders)
