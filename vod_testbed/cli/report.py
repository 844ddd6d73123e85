"""``vod-testbed report``: the ladder report of an HLS output, for terminals and CI.

Exit codes: 0 report made (quality included when a source was given), 1 the output does
not validate or quality could not be computed, 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from vod_testbed.hls.validation import HlsInputError
from vod_testbed.report.build import DEFAULT_QUALITY_SECONDS, build_report
from vod_testbed.report.quality import PSNR_SSIM, VMAF
from vod_testbed.report.render import render_text

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


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
    parser.add_argument("master", help="s3://.../master.m3u8 or a local path")
    parser.add_argument("--source", help="the source video (s3:// or local) for quality")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
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
        print("error: --quality-seconds must be positive", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        report = build_report(
            args.master,
            args.source,
            quality_seconds=args.quality_seconds,
            metric=args.metric,
        )
    except HlsInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(render_text(report))
    return EXIT_OK if report.valid and report.quality_status != "failed" else EXIT_FAILED
