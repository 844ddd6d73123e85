"""``vod-testbed dev``: the whole pipeline on one machine, in one process, until SIGTERM or
Ctrl-C (see :mod:`vod_testbed.stack`)."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vod_testbed.common.logs import configure_logging
from vod_testbed.common.shutdown import StopSignals, stop_within

if TYPE_CHECKING:
    from vod_testbed.stack.settings import StackSettings
    from vod_testbed.stack.stack import Stack

log = logging.getLogger(__name__)

HEALTHY_TIMEOUT_S = 30.0
EXIT_OK, EXIT_NOT_HEALTHY, EXIT_UNUSABLE = 0, 1, 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dev",
        help="run storage, the emulator and the pipeline locally (what `make dev` starts)",
        description="Start storage (the embedded S3 unless an S3 endpoint is configured), "
        "the MediaConvert emulator and the pipeline API with its webhook and upload watcher, "
        "then print how to use them. SIGTERM or Ctrl-C stops everything.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; 0.0.0.0 only inside a container)",
    )
    parser.add_argument(
        "--s3-port", type=int, help="embedded S3 port, 0 for any free one (default: "
        "$DEV_S3_PORT or 9000)"
    )  # fmt: skip
    parser.add_argument(
        "--emulator-port", type=int, help="emulator port (default: $EMULATOR_PORT or 8888)"
    )
    parser.add_argument(
        "--api-port", type=int, help="pipeline API port (default: $PIPELINE_PORT or 8000)"
    )
    parser.add_argument(
        "--backend",
        choices=["ffmpeg", "mediaconvert"],
        help="transcoder: in-process FFmpeg, or the MediaConvert API of the emulator "
        "(default: $TRANSCODER_BACKEND or ffmpeg)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder for the database, the emulator's state and the work files; one stack "
        "at a time (default: $VOD_DATA_DIR or the per-user state folder)",
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        help="once every part answers, write the endpoints, bucket, region, credentials "
        "and webhook secret there as JSON (mode 0600; removed on exit)",
    )
    parser.add_argument(
        "--text-logs",
        action="store_true",
        help="human-readable log lines instead of JSON (job and asset ids on every line)",
    )
    parser.add_argument(
        "--no-watcher",
        action="store_true",
        help="do not poll the bucket for uploads (the storage posts events to /webhooks/s3)",
    )
    parser.add_argument(
        "--print-settings",
        action="store_true",
        help="print the settings tree the stack would start from (secrets masked) as JSON, "
        "and exit",
    )
    parser.set_defaults(func=run)


def settings_from_args(
    args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> StackSettings:
    """The environment's settings (default: the process's), with what the command line says
    on top."""
    from vod_testbed.stack.settings import StackSettings

    settings = StackSettings.from_env(env)
    pipeline = settings.pipeline
    if args.backend:
        pipeline = pipeline.replace(
            backend=pipeline.backend.replace(transcoder_backend=args.backend)
        )
    given = {
        "host": args.host,
        "s3_port": args.s3_port,
        "emulator_port": args.emulator_port,
        "api_port": args.api_port,
        "data_dir": args.data_dir,
    }
    return settings.replace(
        pipeline=pipeline,
        watch=not args.no_watcher,
        **{name: value for name, value in given.items() if value is not None},
    )


def banner(stack: Stack, ready_s: float) -> str:
    """What the developer reads: where each part listens, how to upload, and the variables
    that point another shell at this stack."""
    assert stack.endpoints is not None
    endpoints = stack.endpoints
    api = endpoints.pipeline
    where = "embedded S3, in memory: lost when this stops" if stack.s3 else "your S3"
    if not stack.s3:
        credentials = ["  # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: your own, as in this shell"]
    elif stack.any_credentials:
        credentials = ["  # any credentials are accepted (VOD_AUTH or EMULATOR_AUTH is off)"]
    else:
        credentials = [
            "  # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: this run's own keys (random unless",
            "  # VOD_ACCESS_KEY_ID / VOD_SECRET_ACCESS_KEY are set); S3 and the emulator",
            "  # refuse any other",
        ]
    return "\n".join(
        [
            "",
            f"vod-testbed is up (ready in {ready_s:.1f} s):",
            f"  storage     {endpoints.s3}  ({where}; bucket {stack.bucket})",
            f"  emulator    {endpoints.emulator}  (MediaConvert API, boto3 endpoint_url)",
            f"  pipeline    {api}  (POST /videos, GET /videos/<id>, webhooks)",
            f"  console     {api}/console#token={stack.user_token}",
            f"              (signed in as {stack.user_id!r}; the token stays in the tab)",
            f"  transcoder  {stack.transcoder_backend}",
            f"  data        {stack.settings.data_dir}",
            "",
            "Upload a video and watch it become ready:",
            f"  vod-testbed upload lecture.mp4 --api {api} --wait",
            "or by hand:",
            f"  curl -s -X POST {api}/videos -H 'Content-Type: application/json' \\",
            '    -H "Authorization: Bearer $VOD_TOKEN" \\',
            '    -d \'{"filename": "lecture.mp4", "content_type": "video/mp4", '
            '"size": 1234567, "course_id": "demo"}\'',
            "  curl -X PUT --upload-file lecture.mp4 -H 'Content-Type: video/mp4' '<upload_url>'",
            f'  curl -s -H "Authorization: Bearer $VOD_TOKEN" {api}/videos/<id>',
            "",
            "In another shell, use the same settings:",
            *(f"  {line}" for line in stack.export_lines()),
            *credentials,
            "",
            "Ctrl-C (or SIGTERM) stops everything.",
        ]
    )


def run(args: argparse.Namespace) -> int:
    # Imported here: the stack's parts are not needed to build the command line.
    from vod_testbed.stack.ready import wait_until_healthy, write_ready_file
    from vod_testbed.stack.stack import StackInUseError, start_stack

    if not args.text_logs:
        configure_logging(logging.DEBUG if args.verbose else logging.INFO)
    try:
        settings = settings_from_args(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.print_settings:
        print(json.dumps(settings.shown(), indent=2))
        return EXIT_OK
    ready_file: Path | None = args.ready_file
    if ready_file is not None:
        # A file left by a stack that was killed must not pass for this one.
        ready_file.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        stack = start_stack(settings)
    except StackInUseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"error: a port is already in use ({exc.strerror}); choose others with "
            "--s3-port, --emulator-port and --api-port (0 picks free ones)",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    with StopSignals() as stop_signals:
        try:
            problems = wait_until_healthy(stack.describe(), HEALTHY_TIMEOUT_S)
            if problems:
                print(f"error: parts do not answer: {'; '.join(problems)}", file=sys.stderr)
                return EXIT_NOT_HEALTHY
            if ready_file is not None:
                write_ready_file(ready_file, stack.describe())
            print(banner(stack, time.monotonic() - started), flush=True)
            received = stop_signals.wait()
            log.info("%s received: stopping", received.name)
        finally:
            stop_within(lambda: _stop(stack, ready_file))
    return EXIT_OK


def _stop(stack: Stack, ready_file: Path | None) -> None:
    if ready_file is not None:
        ready_file.unlink(missing_ok=True)
    stack.stop()
