"""``vod-testbed pipeline``: serve the pipeline alone (API, webhooks, upload watcher), from the
environment; ``vod-testbed dev`` starts it with everything it talks to."""

from __future__ import annotations

import argparse
import threading
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "pipeline",
        help="serve the pipeline (API, webhooks, upload watcher) from the environment",
        description="Serve the pipeline (API, webhook, upload watcher) on 127.0.0.1.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; 0.0.0.0 only inside a container)",
    )
    parser.add_argument("--port", type=int, help="default: PIPELINE_PORT (8000)")
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not poll for uploads (the storage posts its events to /webhooks/s3)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: Flask and the database are not needed to build the command line.
    from vod_testbed.common.logs import configure_logging
    from vod_testbed.pipeline.config import PipelineSettings
    from vod_testbed.pipeline.server import PipelineServer

    configure_logging()
    server = PipelineServer(
        PipelineSettings.from_env(), host=args.host, port=args.port, watch=not args.no_watch
    )
    server.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
