"""``POST /webhooks/s3``: S3 notifications over HTTP, from storage that can send them.

MinIO's webhook target posts its ObjectCreated events here (``mc event add ...
arn:minio:sqs::PIPELINE:webhook --event put --prefix video/``), and they go to the same
upload trigger the Lambda function runs. Authentication: MinIO's ``Authorization: Bearer
<token>`` with ``WEBHOOK_SECRET`` as the token (``MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_<ID>``),
or the signature / API-key header of the job webhook.

Answers: 200 with the keys by outcome once handled; 500 when handling failed for a reason
that may pass (storage or transcoder unreachable): MinIO keeps the event in its queue and
sends it again. A body that is not an S3 notification at all gets 400 naming the problem.
A notification whose *records* are partly malformed is answered 200, the good records
handled and the bad ones listed under ``malformed`` and logged: MinIO retries any non-2xx
answer, and a malformed record never becomes well-formed, so anything else would have it
redelivered for ever (and hold back the good records that came with it).
"""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, current_app, jsonify, request

from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.context import content_service, error_response
from vod_testbed.pipeline.http.models import JsonObject
from vod_testbed.pipeline.http.operations import Answer, Security, operation
from vod_testbed.pipeline.http.webhook import Refused, authenticate
from vod_testbed.pipeline.trigger.handler import S3EventFormatError, UploadTrigger

log = logging.getLogger(__name__)

s3_events = Blueprint("s3_events", __name__)


def authenticate_sender(settings: PipelineSettings, body: bytes) -> None:
    """Accept the shared secret as a bearer token (MinIO), else as the job webhook does.

    Raises:
        Refused: 401.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token and settings.webhook_secret:
        if not hmac.compare_digest(token.strip().encode(), settings.webhook_secret.encode()):
            log.warning("S3 event refused: wrong bearer token")
            raise Refused(401, {"error": "unauthorized", "reason": "bad"})
        return
    authenticate(settings, body)


def _sender() -> None:
    authenticate_sender(content_service().settings, request.get_data())


SENDER = Security(
    ({"minioToken": []}, {"webhookSignature": []}),
    check=_sender,
    refused="authentication missing or wrong",
)


@s3_events.post("/webhooks/s3")
@operation(
    "S3 event notifications (MinIO's webhook target)",
    security=SENDER,
    body=JsonObject,
    responses={
        200: Answer("handled; malformed records listed", JsonObject),
        500: "handling failed for a reason that may pass; MinIO retries",
        503: "no upload trigger in this process, or no WEBHOOK_SECRET",
    },
)
def receive_s3_event(body: JsonObject) -> tuple[Response, int]:
    trigger: UploadTrigger | None = current_app.extensions.get("vod_upload_trigger")
    if trigger is None:
        return error_response(503, "no upload trigger runs in this process")
    try:
        outcomes = trigger.handle(body.root)
    except S3EventFormatError as exc:
        log.warning("S3 notification refused: %s", exc)
        return error_response(400, exc.message, exc.field)
    except Exception:
        log.exception("S3 event not handled; the sender will retry")
        return error_response(500, "the event was not handled; send it again")
    return jsonify(outcomes), 200
