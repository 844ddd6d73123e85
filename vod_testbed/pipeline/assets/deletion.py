"""``DELETE /videos/{id}``: a video's objects (upload, job copy, HLS outputs, thumbnails)
and its record go; only its owner may ask (:mod:`.access`)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete

from vod_testbed.backends.naming import default_output_prefix
from vod_testbed.common.logs import log_context
from vod_testbed.pipeline.assets.asset_states import AssetStatus
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.db import ProcessedEvent, VideoAsset
from vod_testbed.storage.s3 import Storage

log = logging.getLogger(__name__)

# A job may still be writing outputs (or about to start): deleting now would orphan them.
BUSY = frozenset({AssetStatus.UPLOADED.value, AssetStatus.PROCESSING.value})


class VideoBusy(Exception):
    """The video is being transcoded; ``str()`` says so."""


def delete_video(service: ContentService, video: dict[str, Any], storage: Storage) -> int:
    """Remove ``video``'s objects, then its record and its events; returns how many
    objects went. Raises :class:`VideoBusy` while a job may be writing its outputs."""
    if video["status"] in BUSY:
        raise VideoBusy("the video is being transcoded; delete it once it is ready or failed")
    bucket = service.settings.bucket
    outputs = f"s3://{bucket}/{default_output_prefix(video['key'])}/"
    uris = [f"s3://{bucket}/{video['key']}", *storage.list(outputs)]
    storage.delete_many(uris)
    with service.db.sessions.begin() as session:
        session.execute(delete(ProcessedEvent).where(ProcessedEvent.asset_id == video["id"]))
        session.execute(delete(VideoAsset).where(VideoAsset.id == video["id"]))
    with log_context(asset_id=video["id"]):
        log.info("video deleted", extra={"objects": len(uris)})
    return len(uris)
