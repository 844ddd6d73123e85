"""EventBridge "MediaConvert Job State Change" events, shaped as AWS documents them.

Envelope: ``version``, ``id`` (a v4 UUID), ``detail-type``, ``source``, ``account``,
``time`` (ISO-8601, seconds, ``Z``), ``region``, ``resources`` (the job ARN) and
``detail``, whose common keys are ``timestamp`` (epoch *milliseconds*), ``accountId``,
``queue`` (ARN), ``jobId``, ``status`` and ``userMetadata``. No event is emitted for
SUBMITTED, as on AWS. QUEUE_HOP is never emitted: the emulator does not hop queues.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from vod_testbed.emulator.config import EmulatorSettings

DETAIL_TYPE = "MediaConvert Job State Change"
SOURCE = "aws.mediaconvert"
PHASES = ("PROBING", "TRANSCODING", "UPLOADING")


def job_event(
    settings: EmulatorSettings,
    job: dict[str, Any],
    status: str,
    extra: dict[str, Any] | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """An event about ``job`` (wire form) with ``detail.status`` = ``status``."""
    at = time.time() if now is None else now
    detail: dict[str, Any] = {
        "timestamp": int(at * 1000),
        "accountId": settings.account_id,
        "queue": job["queue"],
        "jobId": job["id"],
        "status": status,
        "userMetadata": job.get("userMetadata", {}),
    }
    detail.update(extra or {})
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": DETAIL_TYPE,
        "source": SOURCE,
        "account": settings.account_id,
        "time": datetime.fromtimestamp(int(at), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": settings.region,
        "resources": [job["arn"]],
        "detail": detail,
    }


def progressing(settings: EmulatorSettings, job: dict[str, Any]) -> dict[str, Any]:
    return job_event(settings, job, "PROGRESSING")


def input_information(
    settings: EmulatorSettings, job: dict[str, Any], input_details: list[dict[str, Any]]
) -> dict[str, Any]:
    """All inputs in one event, as AWS sends them."""
    return job_event(settings, job, "INPUT_INFORMATION", {"inputDetails": input_details})


def phase_progress(current_phase: str | None, percent: int) -> dict[str, dict[str, Any]]:
    """``jobProgress.phaseProgress``: finished phases COMPLETE at 100, the current one
    PROGRESSING, later ones PENDING at 0."""
    current = PHASES.index(current_phase) if current_phase in PHASES else 0
    progress: dict[str, dict[str, Any]] = {}
    for index, phase in enumerate(PHASES):
        if index < current:
            progress[phase] = {"status": "COMPLETE", "percentComplete": 100}
        elif index == current:
            progress[phase] = {"status": "PROGRESSING", "percentComplete": percent}
        else:
            progress[phase] = {"status": "PENDING", "percentComplete": 0}
    return progress


def status_update(settings: EmulatorSettings, job: dict[str, Any]) -> dict[str, Any]:
    """STATUS_UPDATE: progress inside ``jobProgress``, where AWS's example puts it.
    (``framesDecoded`` is left out: the emulator does not count decoded frames.)"""
    phase = job.get("currentPhase", "PROBING")
    percent = int(job.get("jobPercentComplete") or 0)
    return job_event(
        settings,
        job,
        "STATUS_UPDATE",
        {
            "jobProgress": {
                "phaseProgress": phase_progress(phase, percent),
                "jobPercentComplete": percent,
                "currentPhase": phase,
                "retryCount": job.get("retryCount", 0),
            }
        },
    )


def complete(
    settings: EmulatorSettings, job: dict[str, Any], output_group_details: list[dict[str, Any]]
) -> dict[str, Any]:
    """COMPLETE: ``outputGroupDetails`` name the files written (see vod_testbed.emulator.outputs).

    ``paddingInserted``, ``blackVideoDetected`` and the QVBR scores are left out: the
    emulator does not measure them, and a made-up zero would be a false measurement.
    """
    return job_event(
        settings,
        job,
        "COMPLETE",
        {"outputGroupDetails": output_group_details, "warnings": job.get("warnings", [])},
    )


def error(settings: EmulatorSettings, job: dict[str, Any]) -> dict[str, Any]:
    return job_event(
        settings,
        job,
        "ERROR",
        {"errorCode": job["errorCode"], "errorMessage": job["errorMessage"]},
    )


def canceled(settings: EmulatorSettings, job: dict[str, Any]) -> dict[str, Any]:
    return job_event(settings, job, "CANCELED")


def new_warning(
    settings: EmulatorSettings, job: dict[str, Any], code: int, message: str
) -> dict[str, Any]:
    """NEW_WARNING: the code is a *string* here (a number in ``warnings[]``), as on AWS."""
    return job_event(
        settings, job, "NEW_WARNING", {"warningCode": str(code), "warningMessage": message}
    )
