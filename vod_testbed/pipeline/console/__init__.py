"""The console: upload, watch and judge every video, served by the pipeline.

:func:`install` wires it into the pipeline's Flask app.
"""

from __future__ import annotations

from flask import Flask

from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.console.blueprint import console
from vod_testbed.pipeline.console.reports import ReportCache, default_builder
from vod_testbed.storage.s3 import Storage

__all__ = ["install"]


def install(app: Flask, content: ContentService, reports: ReportCache | None = None) -> None:
    """Serve ``/console`` (and redirect ``/`` to it) from ``app``."""
    if reports is None:
        quality_seconds = content.settings.playback.quality_seconds
        storage = Storage(content.settings.backend)
        secret = content.settings.hls_key_secret
        reports = ReportCache(default_builder(storage, quality_seconds, secret))
    app.extensions["vod_reports"] = reports
    app.register_blueprint(console)
