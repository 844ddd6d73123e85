"""``vod-testbed config-reference``: regenerate the variable tables of the configuration page
from the settings declarations, or check that they match."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vod_testbed.stack.configuration_page import PAGE, render


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "config-reference",
        help="regenerate docs/configuration.md's variable tables from the settings",
    )
    parser.add_argument("--page", type=Path, default=PAGE, help=f"default {PAGE}")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the page differs, write nothing"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    current = args.page.read_text()
    wanted = render(current)
    if args.check:
        if wanted != current:
            print(
                f"{args.page} differs from the settings: run vod-testbed config-reference",
                file=sys.stderr,
            )
            return 1
        return 0
    args.page.write_text(wanted)
    return 0
