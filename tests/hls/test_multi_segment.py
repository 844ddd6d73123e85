"""HLS validation of a ladder of several segments: boundaries, cadence, rounding."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import av
import pytest

from tests.hls.ladders import Output, copy_of, edit, failure, ffmpeg, make_ladder, validate
from vod_testbed.backends.ladder import DEFAULT_LADDER, UpscalePolicy
from vod_testbed.hls.validation import ValidationReport, validate_hls

pytestmark = pytest.mark.e2e


LONG_LADDER = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP)


@pytest.fixture(scope="session")
def produced_long(tmp_path_factory: pytest.TempPathFactory) -> Output:
    """13.5 s of 720p: 720p/480p/360p, each in segments of 6 s, 6 s and 1.5 s."""
    return make_ladder(tmp_path_factory, "three_segments", LONG_LADDER)


@pytest.fixture
def long_output(produced_long: Output, tmp_path: Path) -> Output:
    return copy_of(produced_long, tmp_path / "long")


def validate_long(out: Output) -> ValidationReport:
    return validate(out, LONG_LADDER)


def test_multi_segment_ladder_passes_with_every_boundary_checked(produced_long: Output) -> None:
    report = validate_long(produced_long)
    assert report.ok, report.render_text()
    assert report.warnings == []
    assert [r.segment_count for r in report.renditions] == [3, 3, 3]
    for check_id in ("ladder.segment-duration", "ladder.video-bitrate", "thumbnails.size"):
        assert [c for c in report.checks if c.id == check_id and c.ok], check_id
    assert all(r.peak_bandwidth != r.average_bandwidth for r in report.renditions)


def test_segment_shorter_than_the_ladder_says(long_output: Output) -> None:
    edit(long_output.hls("master_480p.m3u8"), "#EXTINF:6.000000,", "#EXTINF:5.000000,")
    report = validate_long(long_output)
    assert "master_480p_00001.ts" in failure(report, "ladder.segment-duration", "480p")


def test_segment_that_starts_without_an_idr(long_output: Output) -> None:
    """Segment 2 of 360p re-muxed without its first frames: it opens on a P-frame."""
    segment = long_output.hls("master_360p_00002.ts")
    cut = segment.with_suffix(".cut.ts")
    with av.open(str(segment)) as source, av.open(str(cut), "w", format="mpegts") as target:
        streams = {s.index: target.add_stream_from_template(s) for s in source.streams}
        dropped = 0
        for packet in source.demux():
            if packet.dts is None:
                continue
            if packet.stream.type == "video" and dropped < 5:
                dropped += 1
                continue
            packet.stream = streams[packet.stream.index]
            target.mux(packet)
    cut.replace(segment)
    message = failure(validate_long(long_output), "segments.keyframe-start", "360p")
    assert "master_360p_00002.ts" in message


def test_half_a_second_over_the_target_rounds_up(long_output: Output) -> None:
    """RFC 8216 rounds EXTINF half up: 6.5 s does not fit a TARGETDURATION of 6."""
    edit(long_output.hls("master_720p.m3u8"), "#EXTINF:6.000000,", "#EXTINF:6.500000,")
    message = failure(validate_long(long_output), "playlist.target-duration", "720p")
    assert "6.500" in message


def test_media_sequence_must_start_at_one(long_output: Output) -> None:
    edit(long_output.hls("master_720p.m3u8"), "#EXT-X-MEDIA-SEQUENCE:1", "#EXT-X-MEDIA-SEQUENCE:5")
    assert "5" in failure(validate_long(long_output), "playlist.media-sequence", "720p")


def test_target_duration_must_be_the_ladders(long_output: Output) -> None:
    for rung in ("720p", "480p", "360p"):
        edit(
            long_output.hls(f"master_{rung}.m3u8"),
            "#EXT-X-TARGETDURATION:6",
            "#EXT-X-TARGETDURATION:10",
        )
    assert "10" in failure(validate_long(long_output), "ladder.target-duration")


def test_thumbnails_of_the_wrong_size(long_output: Output) -> None:
    for jpeg in (long_output.root / "thumbnails").glob("*.jpg"):
        ffmpeg("-i", str(jpeg), "-vf", "scale=64:36", str(jpeg.with_suffix(".small.jpg")))
        jpeg.with_suffix(".small.jpg").replace(jpeg)
    assert "64x36" in failure(validate_long(long_output), "thumbnails.size")


def test_integer_durations_of_a_ragged_last_segment_are_valid(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """13.5 s as 6, 6 and 1.5 s segments with ManifestDurationFormat INTEGER: EXTINF 2 for
    the 1.5 s tail is MediaConvert's rounding, not an error. One rung shows it: the rounding
    is the playlists' alone."""
    lowest = tuple(rung for rung in LONG_LADDER.rungs if rung.name == "360p")
    ladder = dataclasses.replace(LONG_LADDER, integer_durations=True, rungs=lowest)
    out = make_ladder(tmp_path_factory, "three_segments", ladder)
    text = out.hls("master_360p.m3u8").read_text()
    assert "#EXTINF:6," in text and "#EXTINF:2," in text  # rounded, as MediaConvert does
    report = validate_hls(out.master, expected=ladder, source_duration_s=out.source_duration_s)
    assert report.ok, report.render_text()
