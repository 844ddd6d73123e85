"""``vod-testbed wait``: block until a stack started with ``dev --ready-file`` answers, for
shell scripts and CI jobs in any language."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from vod_testbed.stack.ready import wait_for_ready_file

EXIT_READY, EXIT_TIMEOUT, EXIT_UNUSABLE = 0, 1, 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "wait",
        help="wait until `vod-testbed dev --ready-file PATH` is up and every part answers",
        description="Wait for the ready file of `vod-testbed dev --ready-file PATH`, then "
        "until the pipeline and the emulator answer /healthz and the bucket answers a HEAD. "
        "Exit 0 ready, 1 not ready in time (what is missing goes to stderr), 2 the file is "
        "not a ready file.",
    )
    parser.add_argument("--ready-file", type=Path, required=True, help="the file `dev` writes")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument(
        "--env",
        action="store_true",
        help="when ready, print the stack's settings as `export` lines "
        '(eval "$(vod-testbed wait ... --env)")',
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    try:
        description, problems = wait_for_ready_file(args.ready_file, args.timeout)
    except (ValueError, KeyError, TypeError) as exc:
        print(f"error: {args.ready_file} is not a vod-testbed ready file: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    if problems or description is None:
        print(f"error: not ready after {args.timeout:g} s: {'; '.join(problems)}", file=sys.stderr)
        return EXIT_TIMEOUT
    if args.env:
        for key, value in description["environment"].items():
            print(f"export {key}={shlex.quote(value)}")
    endpoints = description["endpoints"]
    print(
        f"ready after {time.monotonic() - started:.1f} s: pipeline {endpoints['pipeline']}, "
        f"MediaConvert {endpoints['mediaconvert']}, S3 {endpoints['s3']}",
        file=sys.stderr,
    )
    return EXIT_READY
