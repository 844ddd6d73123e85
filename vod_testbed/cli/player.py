"""``vod-testbed fetch-player``: fetch the console's pinned players (hls.js, dash.js) from the
npm registry and check their integrity (``make install`` runs it; a no-op for a file that is
there and matches)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "fetch-player", help="fetch and verify the console's players (make install runs it)"
    )
    parser.add_argument("--cache", type=Path, default=Path(".cache/npm"), help="npm's tarballs")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the console (Flask) is not needed to build the command line.
    from vod_testbed.pipeline.console.vendor import PINNED, VendorError, vendor

    for pinned in PINNED:
        try:
            fetched = vendor(pinned, args.cache)
        except VendorError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if fetched:
            print(
                f"{pinned.package} {pinned.version} verified ({pinned.integrity[:20]}...) "
                f"-> {pinned.target}"
            )
    return 0
