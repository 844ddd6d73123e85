"""Benchmark: what using vod-testbed from another project costs.

* the wheel in a fresh virtualenv: install time (pip's cache warm, as on a CI runner that
  caches it) and size on disk, with the largest packages;
* ``vod-testbed dev`` from launch to its ready file, and from SIGTERM to exit;
* the pytest plugin's start cost per session: importing it, then ``VodStack.start``
  (recorder, S3, emulator, pipeline) and ``stop``.

BENCH_REPEAT runs of the stack figures (default 3), medians; one install.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.dev_process import VOD_TESTBED, clean_env, dev_command
from tests.support.packaging import build_wheel
from vod_testbed.stack.settings import StackSettings
from vod_testbed.testing.session import VodStack

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def size_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def bench_install(work: Path) -> None:
    wheel = build_wheel(work)
    # A user's install: venv and pip, as the README says.
    venv = work / "venv"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)], check=True,
                   capture_output=True)  # fmt: skip
    install_s = time.monotonic() - started
    site = next((venv / "lib").glob("python*/site-packages"))
    largest = sorted(((size_bytes(p), p.name) for p in site.iterdir() if p.is_dir()), reverse=True)
    print(f"fresh venv: install {install_s:.1f} s (venv + pip install of the wheel), "
          f"size {size_bytes(venv) / 1e6:.0f} MB")  # fmt: skip
    print("  largest: " + ", ".join(f"{name} {size / 1e6:.0f} MB" for size, name in largest[:6]))


def bench_dev(work: Path) -> None:
    ready_s, stop_s = [], []
    for run in range(REPEAT):
        ready = work / f"ready-{run}.json"
        started = time.monotonic()
        process = subprocess.Popen(dev_command(work / f"data-{run}", ready),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=clean_env())  # fmt: skip
        while not ready.exists():
            if process.poll() is not None:
                raise SystemExit(f"vod-testbed dev exited with {process.returncode}")
            time.sleep(0.01)
        ready_s.append(time.monotonic() - started)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        stop_s.append(time.monotonic() - started)
    print(f"vod-testbed dev: launch to ready file {statistics.median(ready_s):.2f} s "
          f"({', '.join(f'{s:.2f}' for s in ready_s)}); SIGTERM to exit "
          f"{statistics.median(stop_s):.2f} s")  # fmt: skip


def bench_plugin(work: Path) -> None:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import vod_testbed.testing.session"], check=True)
    import_s = time.monotonic() - started
    start_s, stop_s = [], []
    for run in range(REPEAT):
        settings = StackSettings(data_dir=work / f"plugin-{run}", s3_port=0, emulator_port=0,
                                 api_port=0)  # fmt: skip
        started = time.monotonic()
        stack = VodStack.start(settings)
        start_s.append(time.monotonic() - started)
        started = time.monotonic()
        stack.stop()
        stop_s.append(time.monotonic() - started)
    print(
        f"plugin per session: import {import_s:.2f} s (a fresh interpreter), start "
        f"{statistics.median(start_s):.2f} s, stop {statistics.median(stop_s):.2f} s"
    )


def main() -> None:
    print(f"vod-testbed: {VOD_TESTBED}")
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as tmp:
        work = Path(tmp)
        bench_dev(work)
        bench_plugin(work)
        bench_install(work)


if __name__ == "__main__":
    main()
