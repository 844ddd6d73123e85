"""The webhook receiver: ``POST /webhooks/mediaconvert``.

Accepts EventBridge "MediaConvert Job State Change" events (from AWS through an API
destination, or from the emulator) and the upload trigger's own notices, authenticated by
:func:`vod_testbed.common.signing.verify` with ``WEBHOOK_SECRET`` - an HMAC signature, or the
API-key header an EventBridge connection sends. Answers:

* 401, and nothing changes, when authentication is missing, wrong or stale;
* 400 for a body that is not such an event (sending it again would not help);
* 200 ``{"id", "outcome"}`` once applied, ignored, or recognised as a duplicate;
* 500 when applying failed, so the sender retries (EventBridge and the emulator do);
* 503 while the receiver has no ``WEBHOOK_SECRET``: a receiver not yet configured is a
  passing state, and a 4xx would make EventBridge drop events it could later accept.

A 400 thus means "never": EventBridge API destinations drop it (to the dead-letter queue
when one is set) and retry 401, 407, 409, 429 and 5xx, so a delivery refused for a wrong
secret is retried for a day while the secret is fixed.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request

from vod_testbed.backends.mediaconvert.events import EventFormatError
from vod_testbed.common import signing
from vod_testbed.pipeline.assets.job_events import parse_mediaconvert_event
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.context import content_service, error_response
from vod_testbed.pipeline.http.models import EventOutcome, JsonObject
from vod_testbed.pipeline.http.operations import Answer, Security, operation
from vod_testbed.pipeline.trigger.notices import is_trigger_notice, parse_trigger_notice

log = logging.getLogger(__name__)

webhooks = Blueprint("webhooks", __name__)


class Refused(Exception):
    """A request answered with ``status`` and the JSON ``body`` (rendered app-wide)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("error"))
        self.status = status
        self.body = body


@webhooks.app_errorhandler(Refused)
def _refused(error: Refused) -> tuple[Response, int]:
    return jsonify(error.body), error.status


def authenticate(settings: PipelineSettings, body: bytes) -> None:
    """Check the request's signature or API-key header against ``WEBHOOK_SECRET``.

    Raises:
        Refused: 401, naming the reason (missing, malformed, bad, stale); 503 when no
            secret is configured.
    """
    if not settings.webhook_secret:
        log.error("%s refused: WEBHOOK_SECRET is not configured", request.path)
        raise Refused(
            503,
            {
                "error": "the receiver has no WEBHOOK_SECRET configured; send the event again",
                "reason": "not_configured",
            },
        )
    try:
        signing.verify(
            dict(request.headers),
            body,
            settings.webhook_secret,
            settings.webhook_tolerance_s,
            api_key_header=settings.webhook_api_key_header,
        )
    except signing.WebhookAuthError as exc:
        log.warning("%s refused (%s): %s", request.path, exc.reason, exc.detail)
        raise Refused(401, {"error": "unauthorized", "reason": exc.reason}) from exc


def _signed() -> None:
    authenticate(content_service().settings, request.get_data())


# EventBridge's API destination (an API-key header) or the emulator (a signature).
SIGNED = Security(
    ({"webhookSignature": []},), check=_signed, refused="signature missing, wrong or stale"
)


@webhooks.post("/webhooks/mediaconvert")
@operation(
    "MediaConvert job-state events (EventBridge) and the upload trigger's notices; signed "
    "with WEBHOOK_SECRET",
    security=SIGNED,
    body=JsonObject,
    responses={
        200: Answer("applied, ignored or duplicate", EventOutcome),
        500: "applying failed; the sender retries",
        503: "the receiver has no WEBHOOK_SECRET yet; the sender retries",
    },
)
def receive_event(body: JsonObject) -> tuple[Response, int]:
    service = content_service()
    event = body.root
    try:
        if is_trigger_notice(event):
            notice = parse_trigger_notice(event)
            outcome = service.apply_trigger_notice(notice)
        else:
            change = parse_mediaconvert_event(event)
            outcome = service.apply_job_change(change)
    except EventFormatError as exc:
        log.warning("webhook body refused: %s", exc)
        return error_response(400, exc.message, exc.field)
    except Exception:
        log.exception("event %s not applied; the sender will retry", event.get("id"))
        return error_response(500, "the event was not applied; send it again")
    return jsonify({"id": event.get("id"), "outcome": outcome}), 200
