"""The emulator's parts wired together: store, faults, delivery, runner and model."""

from __future__ import annotations

import atexit
import logging

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobStatus
from vod_testbed.backends.registry import create_transcoder
from vod_testbed.common.clock import Clock, system_clock
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.delivery import EventDelivery
from vod_testbed.emulator.faults import Faults
from vod_testbed.emulator.models import MediaConvertModel
from vod_testbed.emulator.runner import JobRunner, TranscoderFactory
from vod_testbed.emulator.store import Store

log = logging.getLogger(__name__)

# The FFmpeg backend's own worker pool; the runner's queues decide how many jobs run.
BACKEND_WORKERS = 16


def ffmpeg_transcoder(backend: BackendSettings | None = None) -> Transcoder:
    """The FFmpeg backend with ``backend``'s storage and ffmpeg settings (default: from the
    environment: S3_ENDPOINT_URL, ...)."""
    settings = (backend or BackendSettings.from_env()).replace(max_concurrent_jobs=BACKEND_WORKERS)
    return create_transcoder("ffmpeg", settings)


class Emulator:
    """One running emulator. ``close()`` stops its threads; the state stays on disk."""

    def __init__(
        self,
        settings: EmulatorSettings,
        transcoder_factory: TranscoderFactory = ffmpeg_transcoder,
        clock: Clock = system_clock,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.store = Store(settings.data_dir)
        self.faults = Faults()
        self.delivery = EventDelivery(self.store, settings, self.faults, clock)
        self.runner = JobRunner(
            self.store, settings, self.faults, self.delivery.publish, transcoder_factory, clock
        )
        self.model = MediaConvertModel(self.store, settings, self.runner, clock)
        self._closed = False
        self.delivery.start()
        self.runner.start(self.model)
        atexit.register(self.close)
        log.info("MediaConvert emulator state in %s", self.store.path)

    def reset(self) -> None:
        """Cancel what runs, forget every job, template, preset, queue, event and fault."""
        for row in self.store.list_jobs(status=JobStatus.PROGRESSING) + self.store.list_jobs(
            status=JobStatus.SUBMITTED
        ):
            self.runner.cancel(row.job.id)
        self.faults.reset()
        self.delivery.forget_held()
        self.store.reset()
        self.model.ensure_system_resources()

    def close(self) -> None:
        """Stop the threads (running transcodes are killed) and close the store."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self.runner.close()
        self.delivery.close()
        self.store.close()
