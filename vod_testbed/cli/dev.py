"""``vod-testbed dev``: the whole pipeline on one machine, in one process.

Storage (the embedded S3 unless ``S3_ENDPOINT_URL`` is set), the MediaConvert emulator, and
the pipeline (API, webhook receiver, upload trigger fed by a watcher) - wired together so an
upload becomes a ready video with nothing else running.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import logging
import os
import secrets
import signal
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vod_testbed.common.logs import configure_logging
from vod_testbed.common.settings import env_int
from vod_testbed.emulator.app import create_app as create_emulator_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.cors import allow_origins, console_origins
from vod_testbed.storage.embedded import EmbeddedS3, start_embedded_s3
from vod_testbed.storage.s3 import Storage

# The local user `vod-testbed dev` signs in as, and how long its token lasts.
DEV_USER = "dev"
DEV_TOKEN_TTL_S = 24 * 3600

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dev",
        help="run storage, the emulator and the pipeline locally (what `make dev` starts)",
        description="Start storage (the embedded S3 when S3_ENDPOINT_URL is unset), the "
        "MediaConvert emulator and the pipeline API with its webhook and upload watcher, "
        "then print how to upload a video. Ctrl-C stops everything.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; 0.0.0.0 only inside a container)",
    )
    parser.add_argument(
        "--s3-port", type=int, help="embedded S3 port (default: $DEV_S3_PORT or 9000)"
    )
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
        "--text-logs",
        action="store_true",
        help="human-readable log lines instead of JSON (job and asset ids on every line)",
    )
    parser.add_argument(
        "--no-watcher",
        action="store_true",
        help="do not poll the bucket for uploads (the storage posts events to /webhooks/s3)",
    )
    parser.set_defaults(func=run)


@dataclass
class DevStack:
    """The running parts; :meth:`stop` stops them in reverse order."""

    host: str
    s3: EmbeddedS3 | None = None
    emulator: EmulatorServer | None = None
    pipeline: PipelineServer | None = None
    environment: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        for part in (self.pipeline, self.emulator, self.s3):
            if part is not None:
                part.stop()


def _local(host: str) -> str:
    """The address other local processes use to reach a server bound to ``host``."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - compared, not bound


def start_stack(
    host: str = "127.0.0.1",
    s3_port: int = 9000,
    emulator_port: int = 8888,
    api_port: int = 8000,
    backend: str | None = None,
    watch: bool = True,
) -> DevStack:
    """Start every part; the settings they share are exported to ``os.environ`` first, so
    the parts (and anything started from this process) agree on them."""
    stack = DevStack(host)
    env = stack.environment
    try:
        if not os.environ.get("S3_ENDPOINT_URL"):
            stack.s3 = start_embedded_s3(host, s3_port)
            env["S3_ENDPOINT_URL"] = stack.s3.endpoint_url.replace(host, _local(host))
        if not os.environ.get("WEBHOOK_SECRET"):
            # A fresh secret per run: deliveries are always authenticated, even locally.
            env["WEBHOOK_SECRET"] = secrets.token_urlsafe(24)
        if not os.environ.get("EMULATOR_ADMIN_TOKEN"):
            env["EMULATOR_ADMIN_TOKEN"] = secrets.token_urlsafe(24)
        if not os.environ.get("AUTH_JWT_SECRET"):
            env["AUTH_JWT_SECRET"] = secrets.token_urlsafe(32)
        # The local user's bearer token, for the console, `vod-testbed upload` and curl.
        env["VOD_TOKEN"] = mint_token(
            os.environ.get("AUTH_JWT_SECRET") or env["AUTH_JWT_SECRET"],
            DEV_USER,
            ttl_s=DEV_TOKEN_TTL_S,
        )
        if backend:
            env["TRANSCODER_BACKEND"] = backend
        os.environ.update(env)

        emulator_settings = EmulatorSettings.from_env()
        pipeline_url = f"http://{_local(host)}:{api_port}"
        if not emulator_settings.webhook_urls:
            emulator_settings = dataclasses.replace(
                emulator_settings, webhook_urls=(f"{pipeline_url}/webhooks/mediaconvert",)
            )
        app = create_emulator_app({"EMULATOR_SETTINGS": emulator_settings})
        stack.emulator = EmulatorServer(app, host, emulator_port).start()
        if not os.environ.get("MEDIACONVERT_ENDPOINT"):
            env["MEDIACONVERT_ENDPOINT"] = stack.emulator.url.replace(host, _local(host))
            os.environ["MEDIACONVERT_ENDPOINT"] = env["MEDIACONVERT_ENDPOINT"]

        stack.pipeline = PipelineServer(
            PipelineSettings.from_env(), host=host, port=api_port, watch=watch
        ).start()
        settings = stack.pipeline.settings
        allow_origins(
            Storage(settings.backend).client, settings.bucket, console_origins(pipeline_url)
        )
    except BaseException:
        stack.stop()
        raise
    return stack


def banner(stack: DevStack) -> str:
    assert stack.pipeline is not None and stack.emulator is not None
    api = stack.pipeline.url.replace(stack.host, _local(stack.host))
    storage = os.environ["S3_ENDPOINT_URL"]
    where = "embedded S3, in memory: lost when this stops" if stack.s3 else "your S3"
    backend = os.environ.get("TRANSCODER_BACKEND") or "ffmpeg"
    return "\n".join(
        [
            "",
            "vod-testbed is up:",
            f"  storage     {storage}  ({where}; bucket {PipelineSettings.from_env().bucket})",
            f"  emulator    {stack.emulator.url}  (MediaConvert API, boto3 endpoint_url)",
            f"  pipeline    {api}  (POST /videos, GET /videos/<id>, webhooks)",
            f"  console     {api}/console#token={os.environ['VOD_TOKEN']}",
            f"              (signed in as {DEV_USER!r}; the token stays in the tab)",
            f"  transcoder  {backend}",
            "",
            "Upload a video and watch it become ready:",
            f"  .venv/bin/vod-testbed upload lecture.mp4 --api {api} --wait",
            "or by hand:",
            f"  curl -s -X POST {api}/videos -H 'Content-Type: application/json' \\",
            '    -H "Authorization: Bearer $VOD_TOKEN" \\',
            '    -d \'{"filename": "lecture.mp4", "content_type": "video/mp4", '
            '"size": 1234567, "course_id": "demo"}\'',
            "  curl -X PUT --upload-file lecture.mp4 -H 'Content-Type: video/mp4' '<upload_url>'",
            f'  curl -s -H "Authorization: Bearer $VOD_TOKEN" {api}/videos/<id>',
            "",
            "In another shell, use the same settings:",
            *(f"  export {key}={value}" for key, value in sorted(stack.environment.items())),
            "",
            "Ctrl-C stops everything.",
        ]
    )


def run(args: argparse.Namespace) -> int:
    if not args.text_logs:
        configure_logging(logging.DEBUG if args.verbose else logging.INFO)
    env = os.environ
    try:
        stack = _start_from_args(args, env)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"error: a port is already in use ({exc.strerror}); choose others with "
            "--s3-port, --emulator-port and --api-port (or DEV_S3_PORT, EMULATOR_PORT, "
            "PIPELINE_PORT)",
            file=sys.stderr,
        )
        return 2
    print(banner(stack), flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


def _start_from_args(args: argparse.Namespace, env: Mapping[str, str]) -> DevStack:
    return start_stack(
        host=args.host,
        s3_port=args.s3_port if args.s3_port is not None else env_int(env, "DEV_S3_PORT", 9000),
        emulator_port=args.emulator_port
        if args.emulator_port is not None
        else env_int(env, "EMULATOR_PORT", 8888),
        api_port=args.api_port
        if args.api_port is not None
        else env_int(env, "PIPELINE_PORT", 8000),
        backend=args.backend,
        watch=not args.no_watcher,
    )
