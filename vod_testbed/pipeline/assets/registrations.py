"""Registering an upload: the asset in ``pending_upload``, its presigned PUT (and its caption
files'), within the user's quota of registrations waiting for their upload. Part of the
content service (:class:`Registrations` is one of its bases)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import func, select

from vod_testbed.common.logs import log_context
from vod_testbed.pipeline.assets.asset_states import AssetStatus
from vod_testbed.pipeline.assets.upload_requests import (
    NewVideo,
    RegistrationUnavailable,
    UploadTicket,
    check_id,
)
from vod_testbed.pipeline.assets.videos import Video
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.db import Database, VideoAsset
from vod_testbed.pipeline.trigger import captions, upload_keys
from vod_testbed.storage.s3 import Storage, s3_client

log = logging.getLogger(__name__)


class QuotaExceeded(Exception):
    """A user has too many registrations waiting for their upload (answered 429); ``str()``
    says which limit."""


class Registrations:
    """The content service's registration of uploads (its settings, database, storage and
    presigner are the service's)."""

    settings: PipelineSettings
    db: Database
    storage: Storage
    _presigner: Any

    def handle_video_upload(
        self,
        user_id: Any,
        filename: Any,
        content_type: Any,
        size: Any,
        course_id: Any,
        caption_files: Any = (),
    ) -> UploadTicket:
        """:meth:`register_upload` from plain values, checked as ``POST /videos`` checks them.

        Raises:
            InvalidRequestError: a field is missing or unacceptable; ``field`` names it.
        """
        new = NewVideo.parse(
            {
                "filename": filename,
                "content_type": content_type,
                "size": size,
                "course_id": course_id,
                "captions": list(caption_files),
            },
            self.settings,
        )
        return self.register_upload(check_id("user_id", user_id), new)

    def register_upload(self, user_id: str, new: NewVideo) -> UploadTicket:
        """Register an upload in a course and presign its PUT (who may add to the course
        is :func:`courses.claim`'s business, checked before).

        Returns:
            The ticket: the new asset (``pending_upload``), the URL, the headers the PUT
            must carry (Content-Type and Content-Length are part of the signature), the
            key and the URL's lifetime in seconds.

        Raises:
            QuotaExceeded: the user has too many uploads waiting.
        """
        filename, content_type, size, course_id = (
            new.filename,
            new.content_type,
            new.size,
            new.course_id,
        )
        caption_uploads = new.captions
        self._check_quota(user_id, size)
        asset_id = str(uuid.uuid4())
        key = upload_keys.upload_key(user_id, filename, asset_id)
        asset = VideoAsset(
            id=asset_id,
            user_id=user_id,
            course_id=course_id,
            filename=filename,
            content_type=content_type,
            size_bytes=size,
            input_key=key,
            status=AssetStatus.PENDING_UPLOAD.value,
            progress=0,
            thumbnail_keys=[],
        )
        if caption_uploads:
            # Before the asset exists: the trigger must find the manifest whenever the
            # video arrives (pipeline/trigger/captions.py).
            try:
                self.storage.client.put_object(
                    Bucket=self.settings.bucket,
                    Key=captions.manifest_key(key),
                    Body=captions.manifest(key, caption_uploads),
                    ContentType="application/json",
                )
            except (ClientError, BotoCoreError) as exc:
                log.error("caption manifest not written: %s", exc, extra={"key": key})
                raise RegistrationUnavailable(
                    "storage did not answer; the upload was not registered, try again"
                ) from exc
        with self.db.sessions.begin() as session:
            session.add(asset)
        url = self._presigner.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": self.settings.bucket,
                "Key": key,
                "ContentType": content_type,
                "ContentLength": size,
            },
            ExpiresIn=self.settings.upload_url_expires_s,
            HttpMethod="PUT",
        )
        with log_context(asset_id=asset_id):
            log.info("upload registered", extra={"key": key, "size_bytes": size})
        return UploadTicket(
            video=Video.of(asset),
            url=url,
            headers={"Content-Type": content_type, "Content-Length": str(size)},
            key=key,
            expires_in=self.settings.upload_url_expires_s,
            captions=captions.presign_caption_uploads(
                self._presigner,
                self.settings.bucket,
                key,
                caption_uploads,
                self.settings.upload_url_expires_s,
            ),
        )

    def _check_quota(self, user_id: str, size: int) -> None:
        """Raises :class:`QuotaExceeded` when ``user_id``'s registrations still waiting for
        their upload are too many, or would hold too many bytes with ``size`` more (the
        reaper expires those never uploaded). Two registrations at the same instant may
        both pass: the limit bounds a flood, it is not an account balance."""
        query = select(func.count(), func.coalesce(func.sum(VideoAsset.size_bytes), 0)).where(
            VideoAsset.user_id == user_id,
            VideoAsset.status == AssetStatus.PENDING_UPLOAD.value,
        )
        with self.db.engine.connect() as connection:
            count, pending = connection.execute(query).one()
        limits = self.settings
        if count >= limits.max_pending_uploads:
            raise QuotaExceeded(
                f"you have {count} uploads registered and not yet uploaded, the most allowed; "
                "upload them, delete some, or wait for them to expire"
            )
        if pending + size > limits.max_pending_bytes:
            raise QuotaExceeded(
                f"your registered uploads not yet uploaded would hold {pending + size} bytes; "
                f"at most {limits.max_pending_bytes} may wait at once"
            )


def presigning_client(settings: PipelineSettings) -> Any:
    """An S3 client for presigning, on the endpoint clients reach (``S3_PUBLIC_ENDPOINT_URL``,
    else ``S3_ENDPOINT_URL``)."""
    endpoint = settings.s3_public_endpoint_url or settings.backend.s3_endpoint_url
    return s3_client(settings.backend.replace(s3_endpoint_url=endpoint))
