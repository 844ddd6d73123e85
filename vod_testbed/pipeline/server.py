"""The pipeline as one local process: the HTTP API and webhook receiver on 127.0.0.1, the
upload trigger fed by the watcher (or by MinIO's notifications at ``/webhooks/s3``),
and - with the in-process FFmpeg backend - the bridge that applies its job changes.
``vod-testbed pipeline`` runs it from the environment.

With ``TRANSCODER_BACKEND=mediaconvert`` (the emulator or AWS) job changes arrive as
events at ``/webhooks/mediaconvert`` instead; point ``EVENTS_WEBHOOK_URL`` (emulator) or
the EventBridge API destination (AWS) there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.registry import create_transcoder
from vod_testbed.common.errors import JobNotFoundError
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.pipeline.assets.content_service import ContentService, ServiceReporter
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.pipeline.workers.job_bridge import JobBridge
from vod_testbed.pipeline.workers.reaper import Reaper
from vod_testbed.pipeline.workers.watcher import UploadWatcher
from vod_testbed.storage.s3 import Storage

log = logging.getLogger(__name__)

IN_PROCESS_BACKENDS = frozenset({"ffmpeg"})


def creates_buckets(settings: PipelineSettings) -> bool:
    """Whether the pipeline may create its bucket: only on a local S3 (``S3_ENDPOINT_URL``:
    the embedded server, MinIO). On AWS the bucket, its policy and its notification come
    from the deployment, and the pipeline's role may not create buckets."""
    return settings.backend.s3_endpoint_url is not None


class PipelineServer:
    """Every local part of the pipeline, wired together.

    Args:
        settings: the pipeline's settings.
        transcoder: the transcoder to use (default: ``create_transcoder()``).
        host, port: where to listen (``port=None``: ``PIPELINE_PORT``; 0 picks one).
        watch: poll the bucket for uploads (for storage that cannot notify).
    """

    def __init__(
        self,
        settings: PipelineSettings,
        transcoder: Transcoder | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        watch: bool = True,
        allowed: Iterable[str] | None = None,
    ) -> None:
        self.settings = settings
        self.database = Database(settings.database_url)
        self.database.migrate()
        self.service = ContentService(settings, self.database)
        self._owns_transcoder = transcoder is None
        self.transcoder = transcoder or create_transcoder(settings=settings.backend)
        self.bridge: JobBridge | None = None
        if self.transcoder.name in IN_PROCESS_BACKENDS:
            self.bridge = JobBridge(self.transcoder, self.service)
        self.trigger = UploadTrigger(settings, self.transcoder, ServiceReporter(self.service))
        self.watcher = (
            UploadWatcher(self.trigger, settings.bucket, settings.watch_interval_s)
            if watch
            else None
        )
        self.reaper = Reaper(self.service, settings.stuck_uploaded_s, settings.stuck_processing_s)
        self.app = create_app(self.service, trigger=self.trigger, reaper=self.reaper)
        self._http = BackgroundServer(
            self.app,
            host,
            settings.port if port is None else port,
            name="pipeline-http",
            threads=settings.http_threads,
            allowed=allowed,
        )
        self.url = self._http.url

    def start(self) -> PipelineServer:
        """Serve HTTP, watch uploads and reap stuck videos from background threads.

        Raises:
            MissingBucketError: on AWS (no ``S3_ENDPOINT_URL``) the bucket does not exist:
                it is created only on a local S3, staging's comes from its deployment.
        """
        storage = Storage(self.settings.backend)
        storage.ensure_bucket(self.settings.bucket, create=creates_buckets(self.settings))
        # What the API says must match what storage holds: the embedded S3 forgets its
        # objects when it stops, so a restart can leave "ready" videos with nothing to play.
        gone = self.reaper.check_outputs(
            lambda key: storage.exists(f"s3://{self.settings.bucket}/{key}")
        )
        if gone:
            log.warning("%d ready video(s) failed: their outputs are gone from storage", gone)
        if self.bridge is not None:
            # In-process jobs do not survive a restart: fail the videos that were waiting.
            lost = self.service.fail_lost_jobs(self._job_exists)
            if lost:
                log.warning("%d video(s) failed: their in-process jobs were lost", lost)
        self._http.start()
        if self.watcher is not None:
            self.watcher.start()
        self.reaper.start(self.settings.reaper_interval_s)
        log.info("pipeline API and webhook at %s", self.url)
        return self

    def _job_exists(self, job_id: str) -> bool:
        try:
            self.transcoder.get(job_id)
        except JobNotFoundError:
            return False
        return True

    def stop(self) -> None:
        """Stop watching and serving, finish applying job changes, release the database."""
        if self.watcher is not None:
            self.watcher.stop()
        self.reaper.stop()
        self._http.stop()
        reports = self.app.extensions.get("vod_reports")
        if reports is not None:
            reports.close()
        if self._owns_transcoder:
            self.transcoder.close()
        if self.bridge is not None:
            self.bridge.close()
        self.service.notifier.close()
        self.database.dispose()
