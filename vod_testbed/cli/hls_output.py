"""What ``validate`` and ``report`` share: the HLS output they read, the report they print
(text, or JSON with ``--json``) and their exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from vod_testbed.hls.model import HlsInputError

# 0 the output passed, 1 it did not, 2 unusable input (one line on stderr says why).
EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


class Report(Protocol):
    """A report that can be printed as JSON."""

    def to_dict(self) -> dict[str, Any]: ...


ReportT = TypeVar("ReportT", bound=Report)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``master`` (the output's master playlist) and ``--json`` to ``parser``."""
    parser.add_argument("master", help="s3://.../master.m3u8 or a local path")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def unusable(message: str) -> int:
    """Say on stderr why the input cannot be used; returns :data:`EXIT_UNUSABLE`."""
    print(f"error: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def print_report(
    args: argparse.Namespace,
    build: Callable[[str], ReportT],
    render: Callable[[ReportT], str],
    passed: Callable[[ReportT], bool],
) -> int:
    """Print the report ``build`` makes of ``args.master``, as JSON if ``args.json`` else
    as ``render`` writes it.

    Returns:
        :data:`EXIT_OK` if the report ``passed``, :data:`EXIT_FAILED` if not, and
        :data:`EXIT_UNUSABLE` if ``build`` raised :class:`HlsInputError`.
    """
    try:
        report = build(args.master)
    except HlsInputError as exc:
        return unusable(str(exc))
    print(json.dumps(report.to_dict(), indent=2) if args.json else render(report))
    return EXIT_OK if passed(report) else EXIT_FAILED
