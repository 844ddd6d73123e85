"""The ladder report on the fixtures' 1080p clip: figures as validation measures them,
quality that rises with the rung."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.cli.main import main
from vod_testbed.fixtures.media import clip_path
from vod_testbed.report.build import build_report
from vod_testbed.report.model import LadderReport
from vod_testbed.report.quality import PSNR_SSIM, VMAF, available_metric
from vod_testbed.report.render import render_text

pytestmark = pytest.mark.e2e

# Quality over each rung's first second (of 4): the order of the rungs shows as clearly.
QUALITY_S = 1.0

FIGURES = {
    "resolution": "resolution",
    "video_bps": "video_bitrate",
    "average_bps": "average_bandwidth",
    "peak_bps": "peak_bandwidth",
    "segment_count": "segment_count",
    "duration_s": "duration_s",
}


def present(values: list[float | None]) -> list[float]:
    """``values``, every one of which must have been computed."""
    assert None not in values, values
    return [value for value in values if value is not None]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_the_reports_figures_are_the_ones_validate_measures(
    ladder_1080p: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    master, _source = ladder_1080p
    code, validated = run_json(capsys, "validate", str(master), "--json")
    assert code == 0
    code, report = run_json(capsys, "report", str(master), "--json")
    assert code == 0
    assert [r["name"] for r in report["rungs"]] == ["1080p", "720p", "480p", "360p"]
    for rung, figures in zip(report["rungs"], validated["renditions"], strict=True):
        for ours, theirs in FIGURES.items():
            assert rung[ours] == figures[theirs], (rung["name"], ours)
        assert rung["target_video_bps"] in (5_000_000, 3_000_000, 1_500_000, 800_000)
        assert len(rung["series"]) == rung["segment_count"]


@pytest.fixture(scope="module")
def default_metric_report(ladder_1080p: tuple[Path, Path]) -> LadderReport:
    """The report with quality in the best metric this ffmpeg has (VMAF where it can)."""
    master, source = ladder_1080p
    return build_report(str(master), str(source), quality_seconds=QUALITY_S)


def test_vmaf_where_ffmpeg_has_it_rises_from_360p_to_1080p(
    default_metric_report: LadderReport,
) -> None:
    report = default_metric_report
    assert report.quality_status == "done", report.quality_error
    assert report.quality_metric == available_metric(find_ffmpeg())
    scores = present([rung.quality.score for rung in reversed(report.rungs) if rung.quality])
    assert len(scores) == 4
    assert scores == sorted(scores) and scores[0] < scores[-1], scores


def test_psnr_and_ssim_rise_from_360p_to_1080p(ladder_1080p: tuple[Path, Path]) -> None:
    master, source = ladder_1080p
    report = build_report(str(master), str(source), quality_seconds=QUALITY_S, metric=PSNR_SSIM)
    assert report.quality_metric == PSNR_SSIM
    psnr = present([r.quality.psnr_db for r in reversed(report.rungs) if r.quality])
    ssim = present([r.quality.ssim for r in reversed(report.rungs) if r.quality])
    assert psnr == sorted(psnr) and psnr[0] < psnr[-1], psnr
    assert ssim == sorted(ssim) and ssim[0] < ssim[-1], ssim
    assert all(r.quality and r.quality.vmaf is None for r in report.rungs)


def test_the_text_report_says_which_metric_it_used(
    ladder_1080p: tuple[Path, Path],
    default_metric_report: LadderReport,
    capsys: pytest.CaptureFixture[str],
) -> None:
    master, source = ladder_1080p
    argv = ["report", str(master), "--source", str(source), "--quality-seconds", "1"]
    assert main([*argv, "--metric", PSNR_SSIM]) == 0
    out = capsys.readouterr().out
    # Asked for, PSNR is not excused as a fallback.
    assert f"Quality: PSNR and SSIM against {source}, first 1 s" in out
    default = render_text(default_metric_report)
    if default_metric_report.quality_metric == VMAF:
        assert "Quality: VMAF (vmaf_v0.6.1) with PSNR-Y and SSIM against" in default
    else:
        assert "Quality: PSNR and SSIM (this ffmpeg has no libvmaf) against" in default


def test_a_source_that_is_not_a_video_fails_quality_with_the_reason(
    ladder_1080p: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    master, _source = ladder_1080p
    code = main(["report", str(master), "--source", str(clip_path("not_video"))])
    assert code == 1
    assert "Quality: not computed:" in capsys.readouterr().out


def test_a_missing_master_is_unusable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "nope.m3u8")]) == 2
    assert f"error: no such file: {tmp_path / 'nope.m3u8'}" in capsys.readouterr().err
