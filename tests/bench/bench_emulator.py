"""Benchmark: the MediaConvert emulator under boto3 load, and its cost on a real job.

* GetJob latency (p50/p99) from 1 and from 8 concurrent boto3 clients;
* CreateJob throughput from 8 concurrent clients (into a PAUSED queue, so nothing encodes);
* CreateJob to the first event at a webhook receiver;
* a 20 s 1080p job through the emulator (CreateJob to the COMPLETE event) against the same
  job through the FFmpeg backend alone (submit to COMPLETE), interleaved, BENCH_REPEAT runs.

S3 runs in a child process; the emulator and the webhook receiver run in this one.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from flask import Flask, request

from tests.net import start_s3_process
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import Job, JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.app import create_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.fixtures.media import clip_path
from vod_testbed.storage.s3 import Storage

ROLE = "arn:aws:iam::123456789012:role/MediaConvertRole"
CLIENTS = 8


class Receiver:
    """A webhook that records when each job's events arrive."""

    def __init__(self) -> None:
        self.events: dict[str, list[tuple[float, str]]] = {}
        self.arrived = threading.Condition()
        app = Flask("receiver")

        @app.post("/events")
        def receive() -> tuple[str, int]:
            detail = (request.get_json(force=True) or {}).get("detail", {})
            with self.arrived:
                self.events.setdefault(detail.get("jobId", ""), []).append(
                    (time.perf_counter(), detail.get("status", ""))
                )
                self.arrived.notify_all()
            return "", 204

        self.server = BackgroundServer(app, name="bench-receiver").start()

    def wait_for(self, job_id: str, status: str | None, timeout: float = 600) -> float:
        """Arrival time of the job's first event (of ``status``, if given)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for at, seen in self.events.get(job_id, []):
                    if status is None or seen == status:
                        return at
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {status or 'first'} event for {job_id}")
                self.arrived.wait(left)


def client(endpoint: str) -> Any:
    return boto3.client(
        "mediaconvert",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def get_job_latency(endpoint: str, job_id: str, clients: int, calls: int) -> list[float]:
    def worker(_: int) -> list[float]:
        mc = client(endpoint)
        mc.get_job(Id=job_id)  # connection set up outside the measurement
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            mc.get_job(Id=job_id)
            samples.append(time.perf_counter() - started)
        return samples

    with ThreadPoolExecutor(clients) as pool:
        return [s for batch in pool.map(worker, range(clients)) for s in batch]


def create_job_throughput(endpoint: str, settings: dict[str, Any], jobs_each: int) -> float:
    client(endpoint).create_queue(Name="bench-paused", Status="PAUSED")
    barrier = threading.Barrier(CLIENTS + 1)

    def worker(_: int) -> None:
        mc = client(endpoint)
        barrier.wait()
        for _ in range(jobs_each):
            mc.create_job(Role=ROLE, Queue="bench-paused", Settings=settings)

    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(worker, i) for i in range(CLIENTS)]
        barrier.wait()
        started = time.perf_counter()
        for future in futures:
            future.result()
    return CLIENTS * jobs_each / (time.perf_counter() - started)


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access line per request
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    s3_proc, s3_endpoint = start_s3_process()
    receiver = Receiver()
    try:
        with tempfile.TemporaryDirectory(prefix="vod-bench-") as tmp:
            os.environ["S3_ENDPOINT_URL"] = s3_endpoint
            os.environ["VOD_WORK_DIR"] = str(Path(tmp) / "work")
            backend_settings = dataclasses.replace(BackendSettings.from_env(), s3_bucket="bench")
            storage = Storage(backend_settings)
            storage.ensure_bucket("bench")
            storage.put(clip_path("short_2s"), "s3://bench/in/short.mp4")
            storage.put(clip_path("bench_1080p"), "s3://bench/in/bench.mp4")
            emulator_settings = dataclasses.replace(
                EmulatorSettings.from_env({}),
                data_dir=Path(tmp) / "emulator",
                webhook_urls=(f"{receiver.server.url}/events",),
                access_key_id="bench",
                secret_access_key="bench",
            )
            emulator = EmulatorServer(create_app({"EMULATOR_SETTINGS": emulator_settings}))
            emulator.start()
            try:
                return run(emulator.url, storage, receiver, backend_settings, repeat)
            finally:
                emulator.stop()
    finally:
        receiver.server.stop()
        s3_proc.terminate()
        s3_proc.wait()


def run(
    endpoint: str,
    storage: Storage,
    receiver: Receiver,
    backend_settings: BackendSettings,
    repeat: int,
) -> int:
    mc = client(endpoint)
    short = render_job_settings(JobRequest.for_prefix("s3://bench/in/short.mp4", "s3://bench/o"))

    started = time.perf_counter()
    job_id = mc.create_job(Role=ROLE, Settings=short)["Job"]["Id"]
    first_event_ms = (receiver.wait_for(job_id, None) - started) * 1000
    receiver.wait_for(job_id, "COMPLETE")

    single = get_job_latency(endpoint, job_id, 1, 500)
    many = get_job_latency(endpoint, job_id, CLIENTS, 200)
    throughput = create_job_throughput(endpoint, short, 25)

    backend = FFmpegBackend(settings=backend_settings, storage=storage)
    through_emulator: list[float] = []
    alone: list[float] = []
    for i in range(repeat):
        request = JobRequest.for_prefix("s3://bench/in/bench.mp4", f"s3://bench/emu{i}")
        started = time.perf_counter()
        job_id = mc.create_job(Role=ROLE, Settings=render_job_settings(request))["Job"]["Id"]
        through_emulator.append(receiver.wait_for(job_id, "COMPLETE") - started)

        done = threading.Event()
        finished: list[float] = []

        def on_change(job: Job, done: threading.Event = done, at: list[float] = finished) -> None:
            if job.status.is_final and not done.is_set():
                at.append(time.perf_counter())
                done.set()

        unsubscribe = backend.subscribe(on_change)
        started = time.perf_counter()
        job = backend.submit(JobRequest.for_prefix("s3://bench/in/bench.mp4", f"s3://bench/ff{i}"))
        done.wait(600)
        unsubscribe()
        if backend.get(job.id).status is not JobStatus.COMPLETE:
            print("FFmpeg backend job failed", backend.get(job.id).error_message)
            return 1
        alone.append(finished[0] - started)
    backend.close()

    print(
        f"GetJob, 1 client, 500 calls:     p50 {percentile(single, 0.5) * 1000:.1f} ms  "
        f"p99 {percentile(single, 0.99) * 1000:.1f} ms"
    )
    print(
        f"GetJob, {CLIENTS} clients, 1600 calls:  p50 {percentile(many, 0.5) * 1000:.1f} ms  "
        f"p99 {percentile(many, 0.99) * 1000:.1f} ms"
    )
    print(f"CreateJob, {CLIENTS} clients: {throughput:.0f} jobs/s")
    print(f"CreateJob -> first event at the webhook: {first_event_ms:.0f} ms")
    emu, ff = statistics.median(through_emulator), statistics.median(alone)
    print(
        f"20 s 1080p job: emulator {emu:.2f} s ({', '.join(f'{v:.2f}' for v in through_emulator)})"
        f"  FFmpeg backend alone {ff:.2f} s ({', '.join(f'{v:.2f}' for v in alone)})"
    )
    print(f"emulator overhead = {(emu / ff - 1) * 100:+.1f} %  (target < 5 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
