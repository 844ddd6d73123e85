"""What the console's pages show of a video: reads from the content service's database,
shaped for the templates. No presigning here: the list must stay cheap."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.db import ProcessedEvent

STATUS_LABELS = {
    "pending_upload": "Waiting for upload",
    "uploaded": "Uploaded",
    "processing": "Processing",
    "ready": "Ready",
    "failed": "Failed",
}


def event_history(content: ContentService, video_id: str) -> list[dict[str, Any]]:
    """The job events applied to (or ignored for) the video, oldest first; a run of the
    same status and outcome (a job's STATUS_UPDATEs) is one entry with its ``count``."""
    query = (
        select(ProcessedEvent)
        .where(ProcessedEvent.asset_id == video_id)
        .order_by(ProcessedEvent.received_at)
    )
    history: list[dict[str, Any]] = []
    with content.db.sessions() as session:
        for event in session.scalars(query):
            last = history[-1] if history else None
            if last and (last["status"], last["outcome"]) == (event.status, event.outcome):
                last["count"] += 1
                last["until"] = _time(event.received_at)
                continue
            history.append(
                {
                    "time": _time(event.received_at),
                    "until": None,
                    "status": event.status,
                    "outcome": event.outcome,
                    "count": 1,
                }
            )
    return history


def _time(value: datetime | None) -> str:
    return value.strftime("%H:%M:%S") if value else ""


def size_label(size_bytes: int | None) -> str:
    """``12.3 MB``-style size."""
    if not size_bytes:
        return "-"
    size = float(size_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
