"""The life of a video asset, and the rule that it never moves backwards.

``pending_upload < uploaded < processing < ready | failed``.

Events arrive at least once and in any order (EventBridge promises nothing more), so a
transition is applied only when it moves the asset forward:

* a status may only be replaced by one of a higher rank; the same status may be
  re-applied with new data (progress only ever grows);
* ``ready`` and ``failed`` are final. Nothing leaves them: not a late STATUS_UPDATE, not a
  duplicate COMPLETE, and not a COMPLETE after ``failed`` - on MediaConvert a job ends in
  exactly one of COMPLETE, ERROR or CANCELED, so a COMPLETE after a failure belongs to
  another job (a duplicate submission) and an asset that failed stays failed; to try
  again, upload again (a new asset);
* events of a job other than the asset's recorded job are ignored (see
  :mod:`vod_testbed.pipeline.assets.content_service`).
"""

from __future__ import annotations

import enum


class AssetStatus(enum.StrEnum):
    PENDING_UPLOAD = "pending_upload"
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def is_final(self) -> bool:
        return self in (AssetStatus.READY, AssetStatus.FAILED)


_RANK = {
    AssetStatus.PENDING_UPLOAD: 0,
    AssetStatus.UPLOADED: 1,
    AssetStatus.PROCESSING: 2,
    AssetStatus.READY: 3,
    AssetStatus.FAILED: 3,
}


class FailureReason(enum.StrEnum):
    """Why an asset failed; ``error_code`` then holds MediaConvert's numeric code if any."""

    INVALID_INPUT = "invalid_input"  # the upload is not a video, or too large
    JOB_ERROR = "job_error"  # the transcoding job ended in ERROR
    CANCELED = "canceled"  # the transcoding job was canceled
    STUCK = "stuck"  # no news past the reaper's limit (pipeline.workers.reaper)
    OUTPUTS_LOST = "outputs_lost"  # ready, but its playlist is gone from storage


def may_transition(current: AssetStatus, new: AssetStatus) -> bool:
    """Whether an asset in ``current`` may take ``new`` (see the module docstring)."""
    if current.is_final:
        return False
    return new.rank >= current.rank
