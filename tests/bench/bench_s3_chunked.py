"""Benchmark: a 64 MiB chunk-signed (aws-chunked) PUT to the embedded S3 against a plain
signed PUT of the same bytes, interleaved, BENCH_REPEAT runs each (3 by default).

The embedded S3 (SigV4 middleware and moto) runs in a child process; this one only sends.
Each request is signed before the clock starts: the figures are the server's side (spooling,
hashing or chunk verification, moto storing) plus loopback HTTP. Both objects are read back
once and compared, so a fast wrong answer cannot pass.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import boto3
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from tests.support.chunk_signer import sign_chunked_put
from tests.support.net import free_port, wait_for_port

KEY, SECRET = "AKIDBENCHCHUNKED", "bench-chunked-secret"
BUCKET = "bench-chunked"
SIZE_BYTES = 64 * 2**20
CHUNK_BYTES = 64 * 1024


def serve(port: int) -> None:
    """The child: an embedded S3 on ``port`` until its standard input closes."""
    from vod_testbed.storage.embedded import start_embedded_s3

    server = start_embedded_s3(port=port, credentials={KEY: SECRET})
    sys.stdin.read()
    server.stop()


def plain_put(url: str, data: bytes) -> dict[str, str]:
    signed = AWSRequest(method="PUT", url=url, data=data)
    S3SigV4Auth(Credentials(KEY, SECRET), "s3", "us-east-1").add_auth(signed)
    return dict(signed.headers.items())


def timed_put(url: str, headers: dict[str, str], body: bytes) -> float:
    started = time.perf_counter()
    answer = requests.put(url, data=body, headers=headers, timeout=300)
    elapsed_s = time.perf_counter() - started
    if answer.status_code != 200:
        raise SystemExit(f"PUT {url}: {answer.status_code} {answer.text[:300]}")
    return elapsed_s


def main() -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.bench_s3_chunked", "--serve", str(port)],
        stdin=subprocess.PIPE,
    )
    try:
        wait_for_port(port)
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            config=Config(s3={"addressing_style": "path"}),
        )
        client.create_bucket(Bucket=BUCKET)
        data = os.urandom(SIZE_BYTES)
        timings: dict[str, list[float]] = {"plain": [], "chunked": []}
        for _ in range(repeat):
            url = f"{endpoint}/{BUCKET}/plain.bin"
            timings["plain"].append(timed_put(url, plain_put(url, data), data))
            url = f"{endpoint}/{BUCKET}/chunked.bin"
            upload = sign_chunked_put(url, data, KEY, SECRET, chunk_bytes=CHUNK_BYTES)
            timings["chunked"].append(timed_put(url, upload.headers, upload.body))
        for key in ("plain.bin", "chunked.bin"):
            if client.get_object(Bucket=BUCKET, Key=key)["Body"].read() != data:
                raise SystemExit(f"{key} did not read back as sent")
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=30)
    mib = SIZE_BYTES / 2**20
    load = os.getloadavg()[0]
    print(f"64 MiB PUT to the embedded S3, {repeat} interleaved runs each (load {load:.1f})")
    for name, label in (
        ("plain", "plain signed PUT"),
        ("chunked", "chunk-signed PUT, 64 KiB chunks"),
    ):
        runs = ", ".join(f"{mib / t:.0f}" for t in timings[name])
        median_s = statistics.median(timings[name])
        print(f"  {label:34} {mib / median_s:6.0f} MiB/s median ({runs} MiB/s)")
    ratio = statistics.median(timings["chunked"]) / statistics.median(timings["plain"])
    print(f"  chunked / plain time: {ratio:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]))
    else:
        main()
