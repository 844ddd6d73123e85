"""Playback of private ladders: tokens, rewritten playlists, presigned media.

:func:`install` wires it into the pipeline's Flask app.
"""

from __future__ import annotations

import functools
import logging
import posixpath
import secrets
from dataclasses import replace
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask
from sqlalchemy import select

from vod_testbed.backends import naming
from vod_testbed.backends.jobmodel.from_ladder import MP4_DOWNLOAD_RUNG
from vod_testbed.pipeline.assets.asset_states import AssetStatus
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.config import PipelineSettings, PlaybackSettings
from vod_testbed.pipeline.db import VideoAsset
from vod_testbed.pipeline.playback.blueprint import playback, playback_for
from vod_testbed.pipeline.playback.keys import EXTENSION as KEYS_EXTENSION
from vod_testbed.pipeline.playback.keys import keys
from vod_testbed.pipeline.playback.service import PlayableVideo, PlaybackService
from vod_testbed.pipeline.playback.signing import (
    CloudFrontUrlSigner,
    PlainUrls,
    S3UrlSigner,
    UrlSigner,
)
from vod_testbed.pipeline.playback.tokens import Clock, PlaybackTokens
from vod_testbed.storage.s3 import s3_client

log = logging.getLogger(__name__)

# Where a video's MP4 lies under its outputs folder, as MediaConvert names the pipeline's
# file-group output (docs/ARCHITECTURE.md, "The object-name contract").
MP4_DOWNLOAD_KEY = (
    naming.MP4_FOLDER
    + "/"
    + naming.file_output_name(naming.DEFAULT_BASE_NAME, f"_{MP4_DOWNLOAD_RUNG}", "mp4")
)

__all__ = ["build_playback_service", "install", "playback_for"]


def make_signer(settings: PipelineSettings, playback_settings: PlaybackSettings) -> UrlSigner:
    """CloudFront signed URLs, plain CDN URLs or presigned S3 GETs, by configuration."""
    base = settings.playback_base_url
    if base and playback_settings.cloudfront_key_pair_id:
        if playback_settings.cloudfront_private_key_file is None:
            raise ValueError("CLOUDFRONT_KEY_PAIR_ID needs CLOUDFRONT_PRIVATE_KEY_FILE")
        return CloudFrontUrlSigner.from_file(
            base,
            playback_settings.cloudfront_key_pair_id,
            playback_settings.cloudfront_private_key_file,
        )
    if base:
        return PlainUrls(base)
    backend = settings.backend

    # The settings' credentials when they carry some; else boto3's own chain. The session is
    # made on the first presign: building one takes about 20 ms, and many apps never sign.
    @functools.cache
    def session() -> boto3.session.Session:
        return boto3.session.Session(
            aws_access_key_id=backend.aws_access_key_id,
            aws_secret_access_key=backend.aws_secret_access_key,
        )

    def credentials() -> Any:
        found = session().get_credentials()
        if found is None:
            raise RuntimeError("no AWS credentials to presign playback URLs with")
        return found.get_frozen_credentials()

    return S3UrlSigner(
        settings.s3_public_endpoint_url or backend.s3_endpoint_url,
        backend.aws_region,
        settings.bucket,
        credentials,
    )


def build_playback_service(
    content: ContentService,
    playback_settings: PlaybackSettings | None = None,
    clock: Clock | None = None,
) -> PlaybackService:
    """The playback service of ``content``'s videos, storage and settings."""
    settings = content.settings
    playback_settings = playback_settings or settings.playback
    secret = playback_settings.token_secret
    if not secret:
        log.warning(
            "PLAYBACK_TOKEN_SECRET is unset: playback tokens are signed with a random "
            "secret and stop working when this process stops"
        )
        secret = secrets.token_urlsafe(32)
    token_args: dict[str, Any] = {"clock": clock} if clock else {}
    tokens = PlaybackTokens(secret, settings.playback_url_expires_s, **token_args)
    # Made on first use, as the presigning session is.
    client = functools.cache(lambda: s3_client(settings.backend))

    def find_video(video_id: str) -> PlayableVideo | None:
        query = select(VideoAsset).where(
            VideoAsset.id == video_id, VideoAsset.status == AssetStatus.READY.value
        )
        with content.db.sessions() as session:
            asset = session.scalars(query).first()
            if asset is None or not asset.master_playlist_key:
                return None
            video = PlayableVideo(
                asset.id, asset.master_playlist_key, tuple(asset.thumbnail_keys or ())
            )
            filename = asset.filename
        return with_download(video, filename)

    def with_download(video: PlayableVideo, filename: str) -> PlayableVideo:
        """``video`` with its MP4 when its job wrote one (MP4_DOWNLOADS: docs/playback.md)."""
        key = video.outputs_prefix + MP4_DOWNLOAD_KEY
        try:
            client().head_object(Bucket=settings.bucket, Key=key)
        except BotoCoreError as exc:
            log.warning("the MP4 of %s cannot be checked: %s", video.id, exc)
            return video
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey"):
                # Playback goes on without the link rather than failing the request.
                log.warning("the MP4 of %s cannot be checked: %s", video.id, exc)
            return video
        stem = posixpath.splitext(naming.sanitize_filename(filename))[0] or "video"
        return replace(video, download_key=key, download_name=f"{stem}.mp4")

    def read_text(key: str) -> str:
        try:
            body = client().get_object(Bucket=settings.bucket, Key=key)["Body"]
        except client().exceptions.NoSuchKey:
            raise KeyError(key) from None
        text: str = body.read().decode("utf-8", errors="replace")
        return text

    return PlaybackService(tokens, make_signer(settings, playback_settings), find_video, read_text)


def install(app: Flask, content: ContentService, service: PlaybackService | None = None) -> None:
    """Serve ``/play/...`` from ``app``; ``GET /videos/{id}`` then grants playback."""
    app.extensions["vod_playback"] = service or build_playback_service(content)
    app.extensions[KEYS_EXTENSION] = content.settings.hls_key_secret
    app.register_blueprint(playback)
    app.register_blueprint(keys)
