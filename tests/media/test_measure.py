"""Bit rates of a rendition as RFC 8216 defines them."""

from __future__ import annotations

from vod_testbed.media.measure import SegmentSize, average_bitrate, peak_bitrate


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
