"""Benchmark: the FFmpeg backend against hand-written ffmpeg commands, in one run.

Three ways to make the same four-rung ladder from a 20 s 1080p30 source with motion:

* backend   - a whole job through FFmpegBackend: S3 download, probe, one ffmpeg process,
              output checks, master rewrite, S3 upload (S3 runs in a separate process so the
              figures are the backend's own);
* limit     - one hand-written ffmpeg command with the same settings, local files only;
* naive     - four ffmpeg runs, one per rung, as a first attempt usually looks.

Runs are interleaved and repeated (BENCH_REPEAT, default 3); medians and ratios are printed.
FFMPEG_PRESET picks the x264 preset of all three (default: the backend's, superfast).
Ratios within one run are what to compare: shared machines are noisy.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.net import start_s3_process
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.storage.s3 import Storage

RUNGS = [  # name, height, bitrate kbps, audio kbps
    ("1080p", 1080, 5000, 128),
    ("720p", 720, 3000, 128),
    ("480p", 480, 1500, 96),
    ("360p", 360, 800, 64),
]
PRESET = os.environ.get("FFMPEG_PRESET") or "superfast"
COMMON_VIDEO = [
    "-c:v",
    "libx264",
    "-preset",
    PRESET,
    "-pix_fmt",
    "yuv420p",
    "-g",
    "60",
    "-keyint_min",
    "60",
    "-sc_threshold",
    "0",
    "-force_key_frames",
    "expr:gte(t,n_forced*2)",
]
HLS = [
    "-f",
    "hls",
    "-hls_time",
    "6",
    "-hls_playlist_type",
    "vod",
    "-hls_flags",
    "independent_segments",
    "-hls_segment_type",
    "mpegts",
    "-start_number",
    "1",
]


def _input(ffmpeg: str, src: Path) -> list[str]:
    """The command head both ways share: quiet, no prompts, the source."""
    return [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", str(src)]


def limit_command(ffmpeg: str, src: Path, out: Path) -> list[str]:
    """The ladder as one hand-written command (the fastest correct form, decode once)."""
    graph = (
        "[0:v:0]split=5[s0][s1][s2][s3][s4];"
        "[s0]scale=1920:1080[v0];[s1]scale=1280:720[v1];[s2]scale=854:480[v2];"
        "[s3]scale=640:360[v3];"
        "[s4]select=isnan(prev_selected_t)+gte(t-prev_selected_t\\,10),scale=1280:720[t]"
    )
    argv = [*_input(ffmpeg, src), "-filter_complex", graph]
    argv += [x for i in range(4) for x in ("-map", f"[v{i}]")]
    argv += [x for _ in range(4) for x in ("-map", "0:a:0")]
    argv += [*COMMON_VIDEO, "-profile:v", "high"]
    for i, (_, _, kbps, akbps) in enumerate(RUNGS):
        argv += [
            f"-b:v:{i}",
            f"{kbps}k",
            f"-maxrate:v:{i}",
            f"{round(kbps * 1.07)}k",
            f"-bufsize:v:{i}",
            f"{round(kbps * 1.5)}k",
            f"-b:a:{i}",
            f"{akbps}k",
        ]
    argv += [
        "-c:a",
        "aac",
        "-ac",
        "2",
        "-ar",
        "48000",
        *HLS,
        "-hls_segment_filename",
        str(out / "master_%v_%05d.ts"),
        "-master_pl_name",
        "master.m3u8",
        "-var_stream_map",
        " ".join(f"v:{i},a:{i},name:{r[0]}" for i, r in enumerate(RUNGS)),
        str(out / "master_%v.m3u8"),
        "-map",
        "[t]",
        "-c:v",
        "mjpeg",
        "-q:v",
        "8",
        "-start_number",
        "0",
        "-fps_mode",
        "vfr",
        "-f",
        "image2",
        str(out / "master_thumb.%07d.jpg"),
    ]
    return argv


def naive_commands(ffmpeg: str, src: Path, out: Path) -> list[list[str]]:
    """One process per rung: the source is decoded four times."""
    commands = []
    for name, height, kbps, akbps in RUNGS:
        commands.append(
            [
                *_input(ffmpeg, src),
                "-map",
                "0:v:0",
                "-map",
                "0:a:0",
                "-vf",
                f"scale=-2:{height}",
                *COMMON_VIDEO,
                "-profile:v",
                "high",
                "-b:v",
                f"{kbps}k",
                "-maxrate",
                f"{round(kbps * 1.07)}k",
                "-bufsize",
                f"{round(kbps * 1.5)}k",
                "-c:a",
                "aac",
                "-b:a",
                f"{akbps}k",
                "-ac",
                "2",
                "-ar",
                "48000",
                *HLS,
                "-hls_segment_filename",
                str(out / f"master_{name}_%05d.ts"),
                str(out / f"master_{name}.m3u8"),
            ]
        )
    return commands


def timed(argvs: list[list[str]]) -> float:
    started = time.perf_counter()
    for argv in argvs:
        subprocess.run(argv, check=True)
    return time.perf_counter() - started


def main() -> int:
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    ffmpeg = find_ffmpeg(os.environ.get("FFMPEG_BINARY") or None)
    src = clip_path("bench_1080p")
    s3_proc, endpoint = start_s3_process()
    try:
        with tempfile.TemporaryDirectory(prefix="vod-bench-") as tmp:
            settings = BackendSettings.from_env().replace(
                s3_endpoint_url=endpoint,
                s3_bucket="bench",
                x264_preset=PRESET,
                work_dir=Path(tmp) / "work",
            )
            storage = Storage(settings)
            storage.ensure_bucket("bench")
            storage.put(src, "s3://bench/video/bench.mp4")
            backend = FFmpegBackend(settings=settings, storage=storage)
            results: dict[str, list[float]] = {"backend": [], "limit": [], "naive": []}
            for i in range(repeat):
                out = Path(tmp) / f"limit{i}"
                out.mkdir()
                results["limit"].append(timed([limit_command(ffmpeg, src, out)]))
                out = Path(tmp) / f"naive{i}"
                out.mkdir()
                results["naive"].append(timed(naive_commands(ffmpeg, src, out)))
                started = time.perf_counter()
                job = backend.submit(
                    JobRequest.for_prefix("s3://bench/video/bench.mp4", f"s3://bench/out{i}")
                )
                job = backend.wait(job.id, timeout=600)
                results["backend"].append(time.perf_counter() - started)
                if job.status is not JobStatus.COMPLETE:
                    print(f"backend job failed: {job.error_code} {job.error_message}")
                    return 1
            backend.close()
    finally:
        s3_proc.terminate()
        s3_proc.wait()
    report(results, src)
    return 0


def report(results: dict[str, list[float]], src: Path) -> None:
    med = {k: statistics.median(v) for k, v in results.items()}
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs = len(results["limit"])
    print(f"source: {src.name}, 20 s 1080p30, preset {PRESET}, {runs} runs each")
    for name, values in results.items():
        listed = ", ".join(f"{v:.2f}" for v in values)
        print(f"  {name:<8} median {med[name]:6.2f} s  RTF {med[name] / 20:.2f}  ({listed})")
    print(f"backend / limit  = {med['backend'] / med['limit']:.3f}  (target <= 1.10)")
    print(f"naive / backend  = {med['naive'] / med['backend']:.3f}  (target >= 1.40)")
    print(f"Python process peak RSS = {rss_mb:.0f} MB  (target < 200 MB; ffmpeg runs apart)")


if __name__ == "__main__":
    sys.exit(main())
