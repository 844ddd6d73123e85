"""The "video ready" notification: when an asset becomes ready or failed, a log line and,
if ``VIDEO_READY_WEBHOOK_URL`` is set, a signed POST of the video's description.

Posts go out from a background thread so a slow receiver never holds up the webhook that
finished the asset; each is retried a few times and a final failure is logged.
"""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from vod_testbed.common.logs import log_context
from vod_testbed.common.signed_post import DeliveryError, post_signed

log = logging.getLogger(__name__)


class VideoReadyNotifier:
    """Announces finished assets to ``url`` (``None``: log only)."""

    def __init__(self, url: str | None, secret: str, attempts: int = 5) -> None:
        self.url = url
        self.secret = secret
        self.attempts = attempts
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="video-ready")

    def notify(self, video: dict[str, Any]) -> None:
        """Announce ``video`` (the API's description of an asset that is ready or failed)."""
        kind = "video.ready" if video["status"] == "ready" else "video.failed"
        with log_context(asset_id=video["id"], job_id=video.get("job_id")):
            log.info("%s: %s", kind, video["id"], extra={"status": video["status"]})
        if self.url is None:
            return
        payload = {
            "id": str(uuid.uuid4()),
            "type": kind,
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "video": video,
        }
        self._pool.submit(self._post, self.url, payload)

    def _post(self, url: str, payload: dict[str, Any]) -> None:
        video = payload["video"]
        with log_context(asset_id=video["id"], job_id=video.get("job_id")):
            try:
                post_signed(url, payload, self.secret, attempts=self.attempts)
            except (DeliveryError, ValueError) as exc:
                log.error("video notification %s not delivered: %s", payload["id"], exc)

    def close(self) -> None:
        """Wait for pending notifications."""
        self._pool.shutdown(wait=True)
