"""``vod-testbed fetch-player``: fetch the console's pinned hls.js from the npm registry and
check its integrity (``make install`` runs it; a no-op when the file is there and matches)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "fetch-player", help="fetch and verify the console's hls.js (make install runs it)"
    )
    parser.add_argument("--cache", type=Path, default=Path(".cache/npm"), help="npm's tarballs")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from vod_testbed.pipeline.console import vendor

    try:
        fetched = vendor.install(args.cache)
    except vendor.VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if fetched:
        integrity = vendor.HLS_JS_INTEGRITY[:20]
        print(f"hls.js {vendor.HLS_JS_VERSION} verified ({integrity}...) -> {vendor.TARGET}")
    return 0
