"""Benchmark: the MediaConvert emulator under boto3 load, and its cost on a real job.

* GetJob latency (p50/p99) from 1 and from 8 concurrent boto3 clients, each client a process
  of its own, and the CPU the server and the clients spend per call; then from 8 light
  clients (raw HTTP, signed with botocore's SigV4Auth) that leave the server more of the
  machine. ``BENCH_EMULATOR_THREADS=1,2,4,8`` compares server thread counts (default:
  ``EMULATOR_HTTP_THREADS``'s default);
* CreateJob throughput from 8 concurrent clients (into a PAUSED queue, so nothing encodes);
* CreateJob to the first event at a webhook receiver;
* a 20 s 1080p job through the emulator (CreateJob to the COMPLETE event) against the same
  job through the FFmpeg backend alone (submit to COMPLETE), interleaved, BENCH_REPEAT runs.

S3 runs in a child process; the emulator and the webhook receiver run in this one.
"""

from __future__ import annotations

import functools
import http.client
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from flask import Flask, request

from tests.bench.load import Load, hammer
from tests.support.net import start_s3_process
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
KEY = SECRET = "bench"
REGION = "us-east-1"


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
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
    )


def boto3_get_job(endpoint: str, job_id: str) -> Callable[[], object]:
    """GetJob as the emulator's users call it."""
    return functools.partial(client(endpoint).get_job, Id=job_id)


def signed_get_job(endpoint: str, job_id: str) -> Callable[[], object]:
    """GetJob as raw HTTP on one keep-alive connection, each request signed afresh with
    botocore's SigV4Auth (boto3's signer, without the rest of its request pipeline)."""
    url = f"{endpoint}/2017-08-29/jobs/{job_id}"
    path = urlsplit(url).path
    signer = SigV4Auth(Credentials(KEY, SECRET), "mediaconvert", REGION)
    parts = urlsplit(endpoint)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)

    def get_job() -> bytes:
        signed = AWSRequest(method="GET", url=url)
        signer.add_auth(signed)
        connection.request("GET", path, headers=dict(signed.headers.items()))
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GetJob answered {response.status}: {body!r}")
        return body

    return get_job


def print_get_job_figures(app: Flask, job_id: str, thread_counts: list[int]) -> None:
    """GetJob under load, served by waitress with each of ``thread_counts`` threads (the
    app as :class:`EmulatorServer` serves it); a line per run."""
    print(
        f"{'GetJob':<48} {'p50 ms':>7} {'p99 ms':>7} {'server us/call':>15} {'client us/call':>15}"
    )

    def line(name: str, load: Load) -> None:
        print(
            f"{name:<48} {load.percentile(0.5):7.1f} {load.percentile(0.99):7.1f} "
            f"{load.server_cpu_us:15.0f} {load.client_cpu_us:15.0f}",
            flush=True,
        )

    for threads in thread_counts:
        server = BackgroundServer(app, name="emulator-http", threads=threads).start()
        try:
            where = (server.url, job_id)
            if threads == thread_counts[0]:
                line(
                    f"boto3, 1 client x 500, {threads} threads",
                    hammer(boto3_get_job, where, clients=1, calls=500),
                )
            load = hammer(boto3_get_job, where, clients=CLIENTS, calls=200)
            line(f"boto3, {CLIENTS} clients x 200, {threads} threads", load)
            load = hammer(signed_get_job, where, clients=CLIENTS, calls=250)
            line(f"signed http.client, {CLIENTS} clients x 250, {threads} threads", load)
        finally:
            server.stop()


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
            backend_settings = BackendSettings.from_env().replace(s3_bucket="bench")
            storage = Storage(backend_settings)
            storage.ensure_bucket("bench")
            storage.put(clip_path("short_2s"), "s3://bench/in/short.mp4")
            storage.put(clip_path("bench_1080p"), "s3://bench/in/bench.mp4")
            emulator_settings = EmulatorSettings.from_env({}).replace(
                data_dir=Path(tmp) / "emulator",
                webhook_urls=(f"{receiver.server.url}/events",),
                access_key_id="bench",
                secret_access_key="bench",
            )
            emulator = EmulatorServer(create_app({"EMULATOR_SETTINGS": emulator_settings}))
            emulator.start()
            try:
                return run(emulator, storage, receiver, backend_settings, repeat)
            finally:
                emulator.stop()
    finally:
        receiver.server.stop()
        s3_proc.terminate()
        s3_proc.wait()


def run(
    emulator: EmulatorServer,
    storage: Storage,
    receiver: Receiver,
    backend_settings: BackendSettings,
    repeat: int,
) -> int:
    endpoint = emulator.url
    mc = client(endpoint)
    short = render_job_settings(JobRequest.for_prefix("s3://bench/in/short.mp4", "s3://bench/o"))

    started = time.perf_counter()
    job_id = mc.create_job(Role=ROLE, Settings=short)["Job"]["Id"]
    first_event_ms = (receiver.wait_for(job_id, None) - started) * 1000
    receiver.wait_for(job_id, "COMPLETE")

    threads = os.environ.get("BENCH_EMULATOR_THREADS") or str(
        EmulatorSettings.from_env({}).http_threads
    )
    print_get_job_figures(emulator.app, job_id, [int(n) for n in threads.split(",")])
    throughput = create_job_throughput(endpoint, short, 25)
    print(f"CreateJob, {CLIENTS} clients: {throughput:.0f} jobs/s")
    print(f"CreateJob -> first event at the webhook: {first_event_ms:.0f} ms")
    if repeat > 0:
        return print_job_overhead(mc, storage, receiver, backend_settings, repeat)
    return 0


def print_job_overhead(
    mc: Any, storage: Storage, receiver: Receiver, backend_settings: BackendSettings, repeat: int
) -> int:
    """A 20 s 1080p job through the emulator against the FFmpeg backend alone."""
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

    emu, ff = statistics.median(through_emulator), statistics.median(alone)
    print(
        f"20 s 1080p job: emulator {emu:.2f} s ({', '.join(f'{v:.2f}' for v in through_emulator)})"
        f"  FFmpeg backend alone {ff:.2f} s ({', '.join(f'{v:.2f}' for v in alone)})"
    )
    print(f"emulator overhead = {(emu / ff - 1) * 100:+.1f} %  (target < 5 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
