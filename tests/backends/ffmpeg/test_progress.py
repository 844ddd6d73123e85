"""Reading ffmpeg's -progress stream."""

from __future__ import annotations

from vod_testbed.backends.ffmpeg.progress import percent_done, progress_blocks


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
