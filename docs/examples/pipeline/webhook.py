"""Our receiver of MediaConvert "Job State Change" events, as EventBridge delivers them:
authenticated, idempotent by event id, and never moving a finished job backwards."""

from __future__ import annotations

import json
import threading

from flask import Flask, Response, jsonify, request

from vod_testbed.common.signing import WebhookAuthError, verify

FINAL = {"COMPLETE", "ERROR", "CANCELED"}


class JobBoard:
    """What our platform knows about its jobs (a database table in production)."""

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self.error_code: dict[str, int] = {}
        self.transitions: dict[str, list[str]] = {}
        self.duplicates_ignored = 0
        self._seen: set[str] = set()
        self._changed = threading.Condition()

    def apply(self, event: dict) -> None:
        detail = event["detail"]
        job_id, status = detail["jobId"], detail["status"]
        with self._changed:
            if event["id"] in self._seen:
                self.duplicates_ignored += 1
                return
            self._seen.add(event["id"])
            if self.status.get(job_id) in FINAL or status in ("STATUS_UPDATE", "NEW_WARNING"):
                return
            self.status[job_id] = status
            self.transitions.setdefault(job_id, []).append(status)
            if status == "ERROR":
                self.error_code[job_id] = detail["errorCode"]
            self._changed.notify_all()

    def wait_for(self, job_id: str, status: str, timeout: float = 60) -> bool:
        """For our tests: True once ``job_id`` is ``status``, False after ``timeout``."""
        with self._changed:
            return self._changed.wait_for(lambda: self.status.get(job_id) == status, timeout)


def create_app(secret: str, board: JobBoard) -> Flask:
    app = Flask(__name__)

    @app.post("/mediaconvert-events")
    def receive() -> tuple[Response, int]:
        body = request.get_data()
        try:
            verify(dict(request.headers), body, secret)
        except WebhookAuthError as exc:
            return jsonify({"error": str(exc)}), 401
        board.apply(json.loads(body))
        return jsonify({"ok": True}), 200

    return app
