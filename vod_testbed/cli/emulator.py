"""``vod-testbed emulator``: serve the MediaConvert emulator over HTTP."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from vod_testbed.common.settings import BackendSettings
from vod_testbed.common.shutdown import StopSignals, stop_within

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "emulator",
        help="serve the MediaConvert API emulator (jobs really transcode)",
        description="Serve AWS Elemental MediaConvert's REST API on HOST:PORT: point boto3's "
        "mediaconvert client at it with endpoint_url. Jobs run with the FFmpeg backend "
        "against S3_ENDPOINT_URL; job-state events go to EVENTS_WEBHOOK_URL, signed with "
        "WEBHOOK_SECRET. State persists in the data dir.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        help="port to bind (default: $EMULATOR_PORT or 8888)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where state is kept (default: $EMULATOR_DATA_DIR or a folder in the temp dir)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: Flask and the emulator are not needed to build the command line.
    from vod_testbed.emulator.app import create_app
    from vod_testbed.emulator.config import EmulatorSettings
    from vod_testbed.emulator.server import EmulatorServer
    from vod_testbed.emulator.store import DataDirInUseError

    settings = EmulatorSettings.from_env()
    if args.data_dir is not None:
        settings = settings.replace(data_dir=args.data_dir)
    try:
        app = create_app({"EMULATOR_SETTINGS": settings})
    except DataDirInUseError as exc:
        log.error("%s; stop it or pass another --data-dir", exc)
        return 1
    try:
        port = settings.port if args.port is None else args.port
        server = EmulatorServer(app, args.host, port)
    except BaseException:
        app.extensions["emulator"].close()
        raise
    if BackendSettings.from_env().s3_endpoint_url is None:
        log.warning("no S3 endpoint is configured: jobs will read and write AWS S3")
    if not settings.webhook_urls:
        log.info("EVENTS_WEBHOOK_URL is not set: events are recorded (GET /_emulator/events) only")
    elif not settings.webhook_secret:
        log.warning("WEBHOOK_SECRET is not set: deliveries are unsigned and receivers refuse them")
    if not settings.auth:
        log.warning("EMULATOR_AUTH=off: any credentials are accepted and the admin API is open")
    elif not settings.admin_token:
        log.info("EMULATOR_ADMIN_TOKEN is not set: the admin API (/_emulator) is closed")
    log.info("MediaConvert emulator on %s (state in %s)", server.url, settings.data_dir)
    # SIGTERM (docker stop, systemd, CI) and Ctrl-C: threads stopped, store closed.
    with StopSignals() as stop_signals:
        server.start()
        try:
            stop_signals.wait()
        finally:
            stop_within(server.stop)
    return 0
