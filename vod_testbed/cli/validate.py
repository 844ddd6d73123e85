"""``vod-testbed validate``: check an HLS output against the authoring rules and the ladder,
or a DASH manifest (``.mpd``) and its segments.

Exit codes: 0 valid, 1 invalid (a check of severity error failed), 2 unusable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vod_testbed.cli.hls_output import add_output_arguments, print_report


def register(subparsers: Any) -> None:
    """Add the ``validate`` sub-command to the ``vod-testbed`` parser."""
    parser = subparsers.add_parser(
        "validate",
        help="validate an HLS output (master, media playlists, segments, thumbnails)",
        description="Validate an HLS output against Apple's authoring rules, RFC 8216 and, "
        "optionally, the default ladder. Exit 0 valid, 1 invalid, 2 unusable input.",
    )
    add_output_arguments(parser)
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
    parser.add_argument(
        "--key-file",
        metavar="FILE",
        help="the AES-128 key of encrypted segments: 16 bytes, or 32 hexadecimal digits "
        "(a file, so that the key is in no command line)",
    )
    parser.add_argument(
        "--fragment-length",
        type=float,
        metavar="S",
        help="the fMP4 fragment length asked for (FragmentLength); no fragment may be longer",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: PyAV and the validator are not needed to build the command line.
    from vod_testbed.backends.ladder import DEFAULT_LADDER
    from vod_testbed.hls.dash import validate_dash
    from vod_testbed.hls.report import ValidationReport
    from vod_testbed.hls.validation import validate_hls

    key = read_key_file(args.key_file) if args.key_file else None

    def build(master: str) -> ValidationReport:
        if master.endswith(".mpd"):
            return validate_dash(master, fragment_seconds=args.fragment_length)
        return validate_hls(
            master,
            expected=DEFAULT_LADDER if args.expect_default_ladder else None,
            source_duration_s=args.source_duration,
            thumbnails=args.thumbnails,
            key=key,
            fragment_seconds=args.fragment_length,
        )

    def render(report: ValidationReport) -> str:
        return report.render_text(unicode=_can_print("✓✗"))

    return print_report(args, build, render, lambda report: report.ok)


def _can_print(text: str) -> bool:
    """Whether stdout's encoding has the check marks (ASCII terminals get PASS/FAIL)."""
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def read_key_file(path: str) -> bytes:
    """An AES-128 key from a file: its 16 bytes, or 32 hexadecimal digits.

    Raises:
        SystemExit: (2) the file is unreadable or holds something else.
    """
    from vod_testbed.backends.hls_encryption import parse_hex_128

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        print(f"--key-file: cannot read {path}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
    if len(data) == 16:
        return data
    try:
        return parse_hex_128(data.decode("ascii").strip(), "--key-file")
    except (UnicodeDecodeError, ValueError):
        print("--key-file must hold 16 bytes or 32 hexadecimal digits", file=sys.stderr)
        raise SystemExit(2) from None
