"""Backends by name: ``TRANSCODER_BACKEND`` picks one (docs/ARCHITECTURE.md, "Configuration")."""

from __future__ import annotations

import importlib

from vod_testbed.backends.interface import Transcoder
from vod_testbed.common.errors import UnknownBackendError
from vod_testbed.common.settings import BackendSettings

# name -> "module:Class"; imported lazily so the FFmpeg path never loads MediaConvert code.
BACKENDS: dict[str, str] = {
    "ffmpeg": "vod_testbed.backends.ffmpeg.backend:FFmpegBackend",
    "mediaconvert": "vod_testbed.backends.mediaconvert.backend:MediaConvertBackend",
}


def create_transcoder(
    name: str | None = None, settings: BackendSettings | None = None
) -> Transcoder:
    """Build the backend called ``name`` (default: ``TRANSCODER_BACKEND``, else ``ffmpeg``).

    Raises:
        UnknownBackendError: ``name`` is not registered; the message lists the known ones.
    """
    settings = settings or BackendSettings.from_env()
    chosen = (name or settings.transcoder_backend).strip().lower()
    target = BACKENDS.get(chosen)
    if target is None:
        known = ", ".join(sorted(BACKENDS))
        raise UnknownBackendError(f"unknown transcoder backend {chosen!r}; known backends: {known}")
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    transcoder: Transcoder = cls(settings=settings)
    return transcoder
