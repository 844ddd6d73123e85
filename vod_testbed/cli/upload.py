"""``vod-testbed upload``: upload a file through the pipeline's API, as an app would.

POST /videos, PUT the file (streamed from disk) to the presigned URL with the headers the
API asked for, then, with ``--wait``, follow GET /videos/{id} until the video is ready or
failed and print its playback URL. Exit 0 when uploaded (and, with --wait, ready).
"""

from __future__ import annotations

import argparse
import mimetypes
import sys
import time
from pathlib import Path
from typing import Any

import requests

from vod_testbed.common.settings import ClientSettings
from vod_testbed.pipeline.config import PipelineSettings

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def register(subparsers: Any) -> None:
    """Add the ``upload`` sub-command to the ``vod-testbed`` parser."""
    parser = subparsers.add_parser(
        "upload",
        help="upload a video through the pipeline API (presigned PUT) and follow it",
        description="Register FILE with the pipeline API, PUT it to the presigned URL and, "
        "with --wait, show status and progress until the video is ready or failed. "
        "Exit 0 uploaded (and ready with --wait), 1 failed, 2 unusable input or API error.",
    )
    parser.add_argument("file", type=Path, help="the video to upload")
    parser.add_argument(
        "--api", help="pipeline API (default http://127.0.0.1:$PIPELINE_PORT, port 8000 unset)"
    )
    parser.add_argument(
        "--token",
        help="bearer token of the owner (default: VOD_TOKEN; vod-testbed dev prints one)",
    )
    parser.add_argument("--course", default="uploads", help="course of the video")
    parser.add_argument(
        "--content-type", help="MIME type (default: guessed from the name, else video/mp4)"
    )
    parser.add_argument("--wait", action="store_true", help="follow the video until it is done")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait (--wait)")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between polls (--wait)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        port = PipelineSettings.from_env().port
        args.token = args.token or ClientSettings.from_env().token
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    args.api = args.api or f"http://127.0.0.1:{port}"
    try:
        return _upload(args)
    except (requests.RequestException, ValueError, KeyError) as exc:
        # API down, or an answer that is not the API's: one line, not a traceback.
        print(f"error: the pipeline API at {args.api} failed: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE


def _upload(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return EXIT_UNUSABLE
    api = args.api.rstrip("/")
    content_type = args.content_type or mimetypes.guess_type(path.name)[0] or "video/mp4"
    # The token goes to the API only: the presigned PUT carries its own authentication.
    auth = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    with requests.Session() as http:
        created = http.post(
            f"{api}/videos",
            json={
                "filename": path.name,
                "content_type": content_type,
                "size": path.stat().st_size,
                "course_id": args.course,
            },
            headers=auth,
            timeout=30,
        )
        if created.status_code != 201:
            print(f"error: POST /videos: {created.status_code} {created.text}", file=sys.stderr)
            return EXIT_UNUSABLE
        ticket = created.json()
        print(f"video {ticket['id']}: uploading {path.name} to {ticket['key']}")
        with path.open("rb") as body:
            put = http.put(
                ticket["upload_url"], data=body, headers=ticket["upload_headers"], timeout=600
            )
        if not 200 <= put.status_code < 300:
            print(f"error: upload PUT: {put.status_code} {put.text[:500]}", file=sys.stderr)
            return EXIT_UNUSABLE
        print("uploaded")
        if not args.wait:
            return EXIT_OK
        return follow(http, f"{api}/videos/{ticket['id']}", args.timeout, args.poll, auth)


def follow(
    http: requests.Session,
    url: str,
    timeout_s: float,
    poll_s: float,
    headers: dict[str, str] | None = None,
) -> int:
    """Poll the video at ``url`` until ready or failed, printing each change."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        response = http.get(url, headers=headers, timeout=30)
        if response.status_code != 200:
            print(f"error: GET {url}: {response.status_code}", file=sys.stderr)
            return EXIT_UNUSABLE
        video = response.json()
        state = (video["status"], video["progress"])
        if state != last:
            print(f"{video['status']:<15} {video['progress']:3d}%")
            last = state
        if video["status"] == "ready":
            print(f"playback: {video['playback']['master_playlist_url']}")
            return EXIT_OK
        if video["status"] == "failed":
            error = video.get("error") or {}
            print(f"failed: [{error.get('code')}] {error.get('message')}", file=sys.stderr)
            return EXIT_FAILED
        time.sleep(poll_s)
    print(f"error: still {last} after {timeout_s:.0f} s", file=sys.stderr)
    return EXIT_FAILED
