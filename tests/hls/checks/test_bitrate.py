"""A rung's target is a ceiling for the average video bit rate, not a floor."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from vod_testbed.backends.ladder import RateControl, Rung
from vod_testbed.hls.checks.bitrate import check_video_bitrate
from vod_testbed.hls.model import Context, Rendition, Segment
from vod_testbed.hls.report import Check, ValidationReport
from vod_testbed.media.segments import SegmentMedia

RUNG = Rung("720p", 1280, 720, 3_000_000)


def measured(video_bitrate: int, duration_s: float = 12.0) -> Rendition:
    """A 720p rendition whose video averaged ``video_bitrate`` over ``duration_s``."""
    declared = SimpleNamespace(
        resolution=None, codecs=None, frame_rate=None, bandwidth=None, average_bandwidth=None
    )
    r = Rendition("720p", "master_720p.m3u8", declared)
    path = Path("master_720p_00001.ts")
    media = SegmentMedia(path, start_time=0.0, end_time=duration_s)
    r.segments = [Segment(path.name, path, duration_s, size=1, media=media)]
    r.figures.video_bitrate = video_bitrate
    return r


def verdict(rendition: Rendition, rung: Rung = RUNG) -> tuple[ValidationReport, Check]:
    report = ValidationReport(master="master.m3u8")
    ctx = Context(Path("master.m3u8"), None, None, None, False, report)
    check_video_bitrate(ctx, rendition, rung)
    [check] = report.checks
    return report, check


def test_a_rate_near_the_target_passes() -> None:
    report, check = verdict(measured(3_060_000))

    assert check.ok and report.ok
    assert check.message == "video 3060 kb/s vs target 3000 kb/s (+2.0%)"


def test_an_average_far_under_the_target_is_a_note_and_the_output_stays_valid() -> None:
    report, check = verdict(measured(150_000))

    assert (check.ok, check.severity) == (False, "note")
    assert report.ok and report.notes == [check] and report.warnings == []
    assert check.message == (
        "video 150 kb/s vs target 3000 kb/s (-95.0%): the picture needed fewer bits than the "
        "target allows (a ceiling for the average, not a floor)"
    )


def test_an_average_more_than_ten_percent_over_the_target_is_an_error() -> None:
    report, check = verdict(measured(3_450_000))

    assert (check.ok, check.severity) == (False, "error")
    assert not report.ok
    assert check.message == "video 3450 kb/s vs target 3000 kb/s (+15.0%): more than 10% over"


def test_an_overshoot_on_media_too_short_to_settle_is_a_warning() -> None:
    report, check = verdict(measured(3_450_000, duration_s=2.0))

    assert (check.ok, check.severity) == (False, "warning")
    assert report.ok
    assert check.message.endswith(
        "more than 10% over (only 2.0 s of media: rate control cannot settle)"
    )


@pytest.mark.parametrize(("rate", "ok"), [(400_000, True), (3_400_000, True), (3_600_000, False)])
def test_qvbr_is_held_only_to_its_cap(rate: int, ok: bool) -> None:
    qvbr = replace(RUNG, rate_control=RateControl.QVBR, peak_bitrate=3_200_000, qvbr_quality=7)

    report, check = verdict(measured(rate), qvbr)

    assert check.ok is ok and report.ok is ok
    assert "the QVBR cap 3200 kb/s" in check.message


def test_notes_are_counted_and_marked_in_the_text_report() -> None:
    report, _ = verdict(measured(150_000))

    text = report.render_text(unicode=False)
    assert "  NOTE ladder.video-bitrate  video 150 kb/s" in text
    assert text.splitlines()[-1].startswith("VALID: 1 checks, 0 error(s), 0 warning(s), 1 note(s)")
    assert report.to_dict()["notes"] == 1
