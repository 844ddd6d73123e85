"""Small DASH and CMAF HLS outputs written by ffmpeg itself (``-f dash``, ``-f hls
-hls_segment_type fmp4``), and a ready video whose outputs folder holds them in the
embedded S3: what the tokened-path tests and the dash.js browser test play."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

from tests.support.pipeline import publish_ready
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.storage.s3 import Storage

DURATION_S = 4
SOURCE = ["-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi"]
SOURCE += ["-i", "sine=frequency=440:sample_rate=48000", "-t", str(DURATION_S)]
SOURCE += ["-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"]


def _ffmpeg(*args: str | Path) -> None:
    subprocess.run(
        [find_ffmpeg(), "-nostdin", "-loglevel", "error", *SOURCE, *map(str, args)],
        check=True,
        timeout=60,
    )


def package(root: Path) -> dict[str, Path]:
    """A 4 s clip as DASH (separate audio and video adaptation sets, 1 s segments) in
    ``root/dash`` and as CMAF HLS in ``root/cmaf``."""
    (root / "dash").mkdir()
    (root / "cmaf").mkdir()
    _ffmpeg(
        "-f", "dash", "-seg_duration", "1",
        "-adaptation_sets", "id=0,streams=v id=1,streams=a",
        root / "dash" / "master.mpd",
    )  # fmt: skip
    _ffmpeg(
        "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1",
        "-hls_playlist_type", "vod", "-hls_fmp4_init_filename", "master_360p_init.mp4",
        "-hls_segment_filename", root / "cmaf" / "master_360p_%05d.m4s",
        "-master_pl_name", "master.m3u8", root / "cmaf" / "master_360p.m3u8",
    )  # fmt: skip
    return {"dash": root / "dash", "cmaf": root / "cmaf"}


def ready_video(
    service: ContentService,
    storage: Storage,
    new_asset: Callable[..., dict[str, Any]],
    packaged: dict[str, Path],
    extra: dict[str, bytes] | None = None,
) -> tuple[dict[str, Any], str]:
    """A ready video whose outputs folder holds ``dash/`` and ``cmaf/`` (and a master
    playlist, as every ready video has); ``extra`` objects are put beside them. Returns
    the video and its outputs prefix."""
    video = new_asset()
    prefix = f"video/u/{uuid.uuid4().hex}-clip_processed"
    objects = {f"{prefix}/hls/master.m3u8": (packaged["cmaf"] / "master.m3u8").read_bytes()}
    for folder, path in packaged.items():
        for file in path.iterdir():
            objects[f"{prefix}/{folder}/{file.name}"] = file.read_bytes()
    for name, body in (extra or {}).items():
        objects[f"{prefix}/{name}"] = body
    publish_ready(service, storage, video, objects, f"{prefix}/hls/master.m3u8")
    return video, prefix


def token_of(client: FlaskClient, video_id: str) -> str:
    """A playback token of the video, as ``GET /videos/{id}`` grants it."""
    url = client.get(f"/videos/{video_id}").get_json()["playback"]["master_playlist_url"]
    return parse_qs(urlsplit(url).query)["token"][0]
