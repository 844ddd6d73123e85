"""``vod-testbed report``: the ladder report of an HLS output, for terminals and CI.

Exit codes: 0 report made (quality included when a source was given), 1 the output does
not validate or quality could not be computed, 2 unusable input.
"""

from __future__ import annotations

import argparse
from typing import Any

from vod_testbed.cli.hls_output import add_output_arguments, print_report, unusable
from vod_testbed.report.build import DEFAULT_QUALITY_SECONDS, build_report
from vod_testbed.report.model import LadderReport
from vod_testbed.report.quality import PSNR_SSIM, VMAF
from vod_testbed.report.render import render_text


def register(subparsers: Any) -> None:
    """Add the ``report`` sub-command to the ``vod-testbed`` parser."""
    parser = subparsers.add_parser(
        "report",
        help="the ladder report: per rung bit rates vs target, segments, quality vs source",
        description="Measure every rung of an HLS output (resolution, video, average and "
        "peak bit rate against the ladder's target, segment count, bit rate per segment) "
        "and, with --source, its quality against the source: VMAF where the ffmpeg in use "
        "has libvmaf, else PSNR and SSIM. Exit 0 done, 1 invalid output or quality failed, "
        "2 unusable input.",
    )
    # --source first: the help lists the options in the order they are added.
    parser.add_argument("--source", help="the source video (s3:// or local) for quality")
    add_output_arguments(parser)
    parser.add_argument(
        "--quality-seconds",
        type=float,
        default=DEFAULT_QUALITY_SECONDS,
        metavar="S",
        help=f"compare the first S seconds (default {DEFAULT_QUALITY_SECONDS:g})",
    )
    parser.add_argument(
        "--metric", choices=[VMAF, PSNR_SSIM], help="default: vmaf when ffmpeg has libvmaf"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.quality_seconds <= 0:
        return unusable("--quality-seconds must be positive")

    def build(master: str) -> LadderReport:
        return build_report(
            master, args.source, quality_seconds=args.quality_seconds, metric=args.metric
        )

    def passed(report: LadderReport) -> bool:
        return report.valid and report.quality_status != "failed"

    return print_report(args, build, render_text, passed)
