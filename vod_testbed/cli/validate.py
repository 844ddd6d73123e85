"""``vod-testbed validate``: check an HLS output against the authoring rules and the ladder.

Exit codes: 0 valid, 1 invalid (a check of severity error failed), 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_VALID, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2


def register(subparsers: Any) -> None:
    """Add the ``validate`` sub-command to the ``vod-testbed`` parser."""
    parser = subparsers.add_parser(
        "validate",
        help="validate an HLS output (master, media playlists, segments, thumbnails)",
        description="Validate an HLS output against Apple's authoring rules, RFC 8216 and, "
        "optionally, the default ladder. Exit 0 valid, 1 invalid, 2 unusable input.",
    )
    parser.add_argument("master", help="s3://.../master.m3u8 or a local path")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--expect-default-ladder",
        action="store_true",
        help="also check rung names, sizes, video bit rates and profiles of the default ladder",
    )
    parser.add_argument(
        "--source-duration",
        type=float,
        metavar="S",
        help="the source's duration in seconds; every rendition must last as long",
    )
    parser.add_argument(
        "--thumbnails", metavar="DIR", help="thumbnail folder (default: ../thumbnails)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: PyAV and the validator are not needed to build the command line.
    from vod_testbed.backends.ladder import DEFAULT_LADDER
    from vod_testbed.hls.validation import HlsInputError, validate_hls

    try:
        report = validate_hls(
            args.master,
            expected=DEFAULT_LADDER if args.expect_default_ladder else None,
            source_duration_s=args.source_duration,
            thumbnails=args.thumbnails,
        )
    except HlsInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.render_text(unicode=_can_print("✓✗")))
    return EXIT_VALID if report.ok else EXIT_INVALID


def _can_print(text: str) -> bool:
    """Whether stdout's encoding has the check marks (ASCII terminals get PASS/FAIL)."""
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
