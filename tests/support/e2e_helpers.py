"""Helpers of the pipeline's end-to-end tests: uploading through the HTTP API as a client
does and waiting for a video (the webhook receiver is ``tests.support.fakes``')."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import requests

from tests.support.polling import eventually
from vod_testbed.pipeline.auth import mint_token

# The pipeline tests' AUTH_JWT_SECRET: their servers verify tokens minted with it.
AUTH_SECRET = "pipeline-test-auth-secret-of-32-bytes"
COURSE = "course-1"


def bearer(user_id: str = "user-1", **claims: Any) -> dict[str, str]:
    """An Authorization header for ``user_id`` (``courses=``, ``roles=`` as in mint_token)."""
    return {"Authorization": f"Bearer {mint_token(AUTH_SECRET, user_id, **claims)}"}


def upload(
    api: str,
    path: Path,
    filename: str | None = None,
    user_id: str = "e2e",
    content_type: str = "video/mp4",
) -> str:
    """POST /videos as ``user_id`` and PUT ``path`` to the presigned URL over real HTTP;
    returns the id."""
    created = requests.post(
        f"{api}/videos",
        json={
            "filename": filename or path.name,
            "content_type": content_type,
            "size": path.stat().st_size,
            "course_id": COURSE,
        },
        headers=bearer(user_id, roles=["instructor"]),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    with path.open("rb") as body:
        put = requests.put(
            ticket["upload_url"], data=body, headers=ticket["upload_headers"], timeout=30
        )
    assert put.status_code == 200, put.text
    video_id: str = ticket["id"]
    return video_id


def upload_with_captions(
    api: str,
    path: Path,
    captions: list[tuple[str, bytes, str, str]],
    user_id: str = "e2e",
) -> tuple[str, dict[str, Any]]:
    """POST /videos with caption files (``(filename, bytes, language, label)``), PUT each
    caption file, then the video, as a client does; returns the id and the ticket."""
    created = requests.post(
        f"{api}/videos",
        json={
            "filename": path.name,
            "content_type": "video/mp4",
            "size": path.stat().st_size,
            "course_id": COURSE,
            "captions": [
                {
                    "filename": name,
                    "content_type": "text/plain",
                    "size": len(data),
                    "language": language,
                    "label": label,
                }
                for name, data, language, label in captions
            ],
        },
        headers=bearer(user_id, roles=["instructor"]),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    ticket: dict[str, Any] = created.json()
    for caption, (_name, data, _language, _label) in zip(ticket["captions"], captions, strict=True):
        put = requests.put(
            caption["upload_url"], data=data, headers=caption["upload_headers"], timeout=30
        )
        assert put.status_code == 200, put.text
    with path.open("rb") as body:
        put = requests.put(
            ticket["upload_url"], data=body, headers=ticket["upload_headers"], timeout=30
        )
    assert put.status_code == 200, put.text
    return ticket["id"], ticket


def wait_for(
    api: str,
    video_id: str,
    statuses: Iterable[str] = ("ready", "failed"),
    timeout_s: float = 60,
    user_id: str = "e2e",
) -> dict[str, Any]:
    """Poll GET /videos/{id} as ``user_id`` until its status is one of ``statuses``."""
    wanted = set(statuses)
    headers = bearer(user_id)
    seen: dict[str, Any] = {}

    def arrived() -> dict[str, Any] | None:
        seen.clear()
        seen.update(requests.get(f"{api}/videos/{video_id}", headers=headers, timeout=10).json())
        return seen if seen["status"] in wanted else None

    return eventually(
        arrived, timeout_s, interval_s=0.1, what=lambda: f"video {video_id} {wanted}: {seen}"
    )
