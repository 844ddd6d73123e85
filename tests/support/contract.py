"""What the contract suites share: running one request on a backend and what it wrote."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job, JobRequest
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.storage.s3 import Storage

# The backends conftest.py's make_transcoder builds, by name.
BACKENDS = ("ffmpeg", "mediaconvert")
TIMEOUT_S = 240


@dataclass
class Run:
    """One finished job of one backend, and everything observed on the way."""

    backend: Transcoder
    prefix: str
    job: Job
    snapshots: list[Job] = field(default_factory=list)


def run_job(
    transcoder: Transcoder,
    storage: Storage,
    bucket: str,
    clip: str,
    request_for: Callable[[str, str], JobRequest],
) -> Run:
    prefix = f"s3://{bucket}/contract-{uuid.uuid4().hex[:10]}"
    source = f"{prefix}/in/{clip}.mp4"
    storage.put(clip_path(clip), source)
    request = request_for(source, f"{prefix}/out")
    snapshots: list[Job] = []
    lock = threading.Lock()

    def listener(job: Job) -> None:
        with lock:
            snapshots.append(job)

    unsubscribe = transcoder.subscribe(listener)
    try:
        submitted = transcoder.submit(request)
        finished = transcoder.wait(submitted.id, timeout=TIMEOUT_S)
    finally:
        unsubscribe()
    with lock:
        mine = [s for s in snapshots if s.id == submitted.id]
    return Run(transcoder, prefix, finished, mine)


def relative_keys(storage: Storage, prefix: str) -> set[str]:
    out = f"{prefix}/out/"
    return {uri[len(out) :] for uri in storage.list(out)}


def run_on_both(
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    bucket: str,
    clip: str,
    request_for: Callable[[str, str], JobRequest],
) -> dict[str, Run]:
    """The same request on the same clip, once per backend (:func:`run_job`)."""
    return {
        name: run_job(make_transcoder(name), storage, bucket, clip, request_for)
        for name in BACKENDS
    }


def model_request(settings: dict[str, Any]) -> JobRequest:
    """The job model of ``settings`` (boto3's PascalCase) as a request."""
    return JobRequest.for_model(parse_job_settings(to_wire_case(settings)).job)
