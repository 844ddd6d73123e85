from __future__ import annotations

from vod_testbed.backends.ffmpeg.progress import percent_done, progress_blocks
from vod_testbed.media.hls_measure import SegmentSize, average_bitrate, peak_bitrate


def test_average_is_total_bits_over_total_time():
    segs = [SegmentSize(6.0, 600_000), SegmentSize(6.0, 300_000), SegmentSize(2.0, 100_000)]
    assert average_bitrate(segs) == round(1_000_000 * 8 / 14)


def test_peak_uses_windows_between_half_and_one_and_a_half_target_durations():
    # One 6 s segment at 2 Mbps between 1 Mbps ones: the peak is that segment alone, not
    # a long window that would dilute it.
    segs = [SegmentSize(6.0, 750_000), SegmentSize(6.0, 1_500_000), SegmentSize(6.0, 750_000)]
    assert peak_bitrate(segs, 6) == 2_000_000


def test_peak_ignores_windows_shorter_than_half_the_target():
    # A 1 s tail at a huge rate is too short to count on its own.
    segs = [SegmentSize(6.0, 750_000), SegmentSize(1.0, 1_000_000)]
    assert peak_bitrate(segs, 6) == round((750_000 + 1_000_000) * 8 / 7)


def test_peak_of_a_playlist_shorter_than_any_window_is_its_average():
    segs = [SegmentSize(2.0, 250_000)]
    assert peak_bitrate(segs, 6) == average_bitrate(segs) == 1_000_000


def test_progress_blocks_and_percent():
    lines = [
        "frame=1\n",
        "out_time_us=N/A\n",
        "progress=continue\n",
        "out_time_us=5000000\n",
        "progress=continue\n",
        "out_time_us=10000000\n",
        "progress=end\n",
    ]
    blocks = list(progress_blocks(lines))
    assert len(blocks) == 3
    assert percent_done(blocks[0], 10.0) == 0.0
    assert percent_done(blocks[1], 10.0) == 50.0
    assert percent_done(blocks[2], 10.0) == 100.0


def test_percent_never_reports_100_before_the_end():
    assert percent_done({"out_time_us": "12000000", "progress": "continue"}, 10.0) == 99.0


def test_idr_is_found_after_access_unit_delimiter_and_parameter_sets():
    from vod_testbed.media.inspect import avc_codecs_from_annexb, has_idr

    aud, sei = b"\x00\x00\x00\x01\x09\xf0", b"\x00\x00\x01\x06\x05\x01\x00"
    sps, pps = b"\x00\x00\x00\x01\x67\x64\x00\x28\xac", b"\x00\x00\x01\x68\xee\x3c\x80"
    idr, non_idr_i_slice = b"\x00\x00\x01\x65\x88\x84", b"\x00\x00\x01\x41\x9a\x00"
    assert has_idr(aud + sps + pps + sei + idr)
    # An open-GOP I-frame is coded as a non-IDR slice: libav flags it as a keyframe anyway.
    assert not has_idr(aud + sps + pps + sei + non_idr_i_slice)
    assert avc_codecs_from_annexb(aud + sps + pps + idr) == "avc1.640028"
