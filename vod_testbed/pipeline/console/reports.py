"""Ladder reports of ready videos, computed in the background and kept per video.

A report is asked for by the console when it shows a ready video; asking never waits. The
first ask queues it on one worker thread (quality decodes every rung: one at a time is
what a laptop and CI can spare). Measured figures appear first, quality when it is done.
Reports are kept in memory: a restarted pipeline computes them again when asked.

The worker is a daemon thread, not a ``ThreadPoolExecutor``: the interpreter joins an
executor's threads at exit, so a stop during a quality pass waited for the whole pass
(docs/ARCHITECTURE.md, "Time, loops and retries"). A daemon thread ends with the process,
and the ffmpeg it started dies with it (``backends/ffmpeg/process.spawn``).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from vod_testbed.hls.validation import HlsInputError
from vod_testbed.pipeline.hls_keys import video_key
from vod_testbed.pipeline.trigger.upload_keys import parse_upload_key
from vod_testbed.report.build import build_report
from vod_testbed.report.model import LadderReport

log = logging.getLogger(__name__)

QUEUED, MEASURING, READY, FAILED = "queued", "measuring", "ready", "failed"

Builder = Callable[[str, str | None, Callable[[LadderReport], None]], LadderReport]


class ReportCache:
    """Computes and keeps one report per video.

    Args:
        builder: ``(master_uri, source_uri, on_measured) -> report``.
    """

    def __init__(self, builder: Builder) -> None:
        self._builder = builder
        self._lock = threading.Lock()
        self._states: dict[str, dict[str, Any]] = {}
        self._queue: queue.SimpleQueue[tuple[str, str, str | None] | None] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._work, name="ladder-report", daemon=True)
        self._worker.start()

    def get(self, video_id: str, master_uri: str, source_uri: str | None) -> dict[str, Any]:
        """The state of the video's report: ``{"status", "report", "error"}`` (``report``
        a :class:`LadderReport` once measured); queues its computation the first time."""
        with self._lock:
            state = self._states.get(video_id)
            if state is None:
                state = {"status": QUEUED, "report": None, "error": None}
                self._states[video_id] = state
                self._queue.put((video_id, master_uri, source_uri))
            return dict(state)

    def _set(self, video_id: str, **changes: Any) -> None:
        with self._lock:
            self._states[video_id].update(changes)

    def _compute(self, video_id: str, master_uri: str, source_uri: str | None) -> None:
        self._set(video_id, status=MEASURING)

        def measured(report: LadderReport) -> None:
            self._set(video_id, status=READY, report=report)

        try:
            report = self._builder(master_uri, source_uri, measured)
        except HlsInputError as exc:
            self._set(video_id, status=FAILED, error=str(exc))
            return
        except Exception as exc:  # a background task must never die silently
            log.exception("ladder report of %s failed", video_id)
            self._set(video_id, status=FAILED, error=f"{type(exc).__name__}: {exc}")
            return
        self._set(video_id, status=READY, report=report)

    def _work(self) -> None:
        while (task := self._queue.get()) is not None:
            self._compute(*task)

    def close(self) -> None:
        """Compute nothing more; a report in progress is abandoned with the process."""
        self._queue.put(None)


def default_builder(storage: Any, quality_seconds: float, key_secret: str = "") -> Builder:
    """Reports from the pipeline's storage, quality over ``quality_seconds``; with
    ``key_secret`` (``HLS_KEY_SECRET``) an encrypted ladder is measured decrypted, under the
    key of the video its upload key names (docs/encryption.md)."""

    def build(
        master: str, source: str | None, on_measured: Callable[[LadderReport], None]
    ) -> LadderReport:
        return build_report(
            master,
            source,
            storage=storage,
            quality_seconds=quality_seconds,
            on_measured=on_measured,
            key=_video_key(key_secret, source),
        )

    return build


def _video_key(secret: str, source: str | None) -> bytes | None:
    """The key of the video whose upload is ``source`` (``s3://bucket/<upload key>``)."""
    upload = parse_upload_key(source.split("/", 3)[-1]) if secret and source else None
    return video_key(secret, upload.asset_id) if upload is not None else None
