"""Benchmark: the FFmpeg backend's ladder job against one hand-written ffmpeg command with
the same outputs, on each ffmpeg the project supports, in one run.

Ways, interleaved within each run and each ffmpeg:

* limit       - one hand-written ffmpeg command writing the job's outputs (four rungs, the
                frame captures, the trick-play tiles), local files only;
* backend     - the whole ladder job through FFmpegBackend: S3 download, probe, one ffmpeg,
                output checks, master rewrite, S3 upload (S3 runs in a separate process, so
                the figures are the backend's own);
* captions    - the same job with a sidecar WebVTT caption track (a SUBTITLES rendition);
* audio group - the same ladder as a job model whose variants play one AAC rendition of an
                audio rendition group (docs/audio-groups.md);
* naive       - four ffmpeg runs, one per rung (only with BENCH_NAIVE=1).

Environment: BENCH_FFMPEGS, a comma-separated list of ``path`` (the ffmpeg on PATH),
``wheel`` (the imageio-ffmpeg wheel's) or paths, default ``path,wheel``: each goes to the
backend through its settings (``BackendSettings.ffmpeg_binary``, i.e. ``FFMPEG_BINARY``).
BENCH_REPEAT runs (default 3); BENCH_SOURCE ``ntsc`` (24 s 1080p29.97, the default) or
``30`` (20 s 1080p30); FFMPEG_PRESET the x264 preset of every way (default: the backend's,
superfast). Each figure is the median of the per-run ratios: a run's ways share its load,
and a shared machine's load moves between runs. Wall time is what a caller waits for; CPU
time is every ffmpeg's plus, for the backend, its Python process's (not the S3 server's).
"""

from __future__ import annotations

import dataclasses
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from functools import partial
from pathlib import Path

from tests.support.net import start_s3_process
from vod_testbed.backends.captions import CaptionTrack
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.ffmpeg.binary import describe_ffmpeg, wheel_ffmpeg
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.jobmodel.from_ladder import ladder_job
from vod_testbed.backends.jobmodel.model import AudioRenditionSettings, HlsGroup, M3u8, Output
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.fixtures.media.cache import cache_dir, materialize
from vod_testbed.fixtures.media.catalogue import MAIN_SOURCE
from vod_testbed.media.captions import CaptionFormat
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
        # The source is 1080p: the top rung takes it as it is.
        "[0:v:0]split=6[v0][s1][s2][s3][s4][s5];"
        "[s1]scale=1280:720[v1];[s2]scale=854:480[v2];[s3]scale=640:360[v3];"
        "[s4]select=isnan(prev_selected_t)+gte(t-prev_selected_t\\,10),scale=1280:720[t];"
        # Trick play: a 312x176 thumbnail every 2 s (60 frames), nine to a tile.
        "[s5]select=not(mod(n\\,60)),scale=312:176,tile=3x3[tiles]"
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
        "-map",
        "[tiles]",
        "-c:v",
        "mjpeg",
        "-q:v",
        "4",
        "-start_number",
        "1",
        "-fps_mode",
        "vfr",
        "-f",
        "image2",
        str(out / "master_Thumbnail_%09d.jpg"),
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


WAYS = ("limit", "backend", "captions", "audio group")


def ffmpegs() -> dict[str, str]:
    """The ffmpegs BENCH_FFMPEGS names, by a label that shows their version."""
    found = {}
    for name in filter(
        None, (n.strip() for n in os.environ.get("BENCH_FFMPEGS", "path,wheel").split(","))
    ):
        path = shutil.which("ffmpeg") if name == "path" else name
        if name == "wheel":
            path = wheel_ffmpeg()
        if path is None:
            raise SystemExit("BENCH_FFMPEGS names the ffmpeg on PATH, and there is none")
        build = describe_ffmpeg(path)
        if build.problem:
            raise SystemExit(f"{name}: {build.problem}")
        found[f"{name} {build.version}"] = path
    return found


def bench_source() -> tuple[Path, str, float]:
    """The source, what it is, and its length in seconds."""
    if os.environ.get("BENCH_SOURCE", "ntsc") == "30":
        return clip_path("bench_1080p"), "20 s 1080p30", 20.0
    spec = dataclasses.replace(
        MAIN_SOURCE,
        name="bench_1080p_ntsc",
        purpose="Benchmark source: 24 s of the main source at 29.97 fps.",
        rate=Fraction(30000, 1001),
        duration_s=24,
        on_demand=True,
    )
    return materialize(spec, cache_dir()), "24 s 1080p29.97", 24.0


def webvtt(duration_s: float) -> str:
    """A caption every two seconds, as a lecture's sidecar file has them."""
    cues = [
        f"00:00:{t:02d}.000 --> 00:00:{t + 1:02d}.500\nCaption {t // 2 + 1}\n"
        for t in range(0, int(duration_s) - 1, 2)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def audio_group_request(source: str, out: str) -> JobRequest:
    """The default ladder as a model whose variants are video-only and play one AAC
    rendition (the top rung's audio) of the ``program_audio`` group."""
    spec = ladder_job(JobRequest.for_prefix(source, out))
    hls = spec.output_groups[0]
    assert isinstance(hls, HlsGroup)
    rungs = tuple(
        replace(o, audio=(), audio_rendition_sets=("program_audio",)) for o in hls.outputs
    )
    audio = Output(
        M3u8(), "_audio", audio=hls.outputs[0].audio, audio_rendition=AudioRenditionSettings()
    )
    groups = (replace(hls, outputs=(*rungs, audio)), *spec.output_groups[1:])
    return JobRequest.for_model(replace(spec, output_groups=groups))


def cpu_s() -> float:
    """CPU seconds of this process and every child it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measured(work: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU seconds of ``work``."""
    wall, cpu = time.perf_counter(), cpu_s()
    work()
    return time.perf_counter() - wall, cpu_s() - cpu


def run_commands(argvs: list[list[str]]) -> None:
    for argv in argvs:
        subprocess.run(argv, check=True)


def main() -> int:
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    naive = os.environ.get("BENCH_NAIVE") == "1"
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    binaries = ffmpegs()
    src, what, duration_s = bench_source()
    ways = WAYS + (("naive",) if naive else ())
    # (wall, CPU) seconds of each run, by ffmpeg and way
    results: dict[str, dict[str, list[tuple[float, float]]]] = {
        label: {way: [] for way in ways} for label in binaries
    }
    load_before = os.getloadavg()
    s3_proc, endpoint = start_s3_process()
    try:
        with tempfile.TemporaryDirectory(prefix="vod-bench-") as tmp:
            base = BackendSettings.from_env().replace(
                s3_endpoint_url=endpoint, s3_bucket="bench", x264_preset=PRESET
            )
            storage = Storage(base)
            storage.ensure_bucket("bench")
            storage.put(src, "s3://bench/video/bench.mp4")
            captions = Path(tmp) / "bench.vtt"
            captions.write_text(webvtt(duration_s), encoding="utf-8")
            storage.put(captions, "s3://bench/video/bench.vtt")
            track = CaptionTrack(
                "s3://bench/video/bench.vtt", CaptionFormat.WEBVTT, "eng", "English"
            )
            backends = {
                label: FFmpegBackend(
                    settings=base.replace(ffmpeg_binary=path, work_dir=Path(tmp) / f"work{i}"),
                    storage=storage,
                )
                for i, (label, path) in enumerate(binaries.items())
            }
            requests: dict[str, Callable[[str, str], JobRequest]] = {
                "backend": lambda s, o: JobRequest.for_prefix(s, o),
                "captions": lambda s, o: JobRequest.for_prefix(s, o, captions=(track,)),
                "audio group": audio_group_request,
            }
            for run in range(repeat):
                for label, path in binaries.items():
                    # A different way first in each run: none always pays a cold start.
                    order = ways[run % len(ways) :] + ways[: run % len(ways)]
                    for way in order:
                        figures = (
                            measured(partial(run_commands, commands(way, path, src, tmp)))
                            if way in ("limit", "naive")
                            else backend_job(
                                backends[label], storage, requests[way], f"{run}-{way}"
                            )
                        )
                        results[label][way].append(figures)
                        print(f"  run {run + 1} {label}: {way} {figures[0]:.2f} s", flush=True)
            for backend in backends.values():
                backend.close()
    finally:
        s3_proc.terminate()
        s3_proc.wait()
    report(results, src, what, duration_s, load_before)
    return 0


def commands(way: str, ffmpeg: str, src: Path, tmp: str) -> list[list[str]]:
    """The hand-written way's commands, into an emptied local folder."""
    out = Path(tmp) / "local"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    return [limit_command(ffmpeg, src, out)] if way == "limit" else naive_commands(ffmpeg, src, out)


def backend_job(
    backend: FFmpegBackend,
    storage: Storage,
    request_for: Callable[[str, str], JobRequest],
    name: str,
) -> tuple[float, float]:
    """Wall and CPU seconds of one job from submission to COMPLETE; its outputs are then
    deleted."""
    prefix = f"s3://bench/out-{name.replace(' ', '-')}-{uuid.uuid4().hex[:6]}"
    request = request_for("s3://bench/video/bench.mp4", prefix)

    def job() -> None:
        done = backend.wait(backend.submit(request).id, timeout=900)
        if done.status is not JobStatus.COMPLETE:
            raise SystemExit(f"backend job failed: {done.error_code} {done.error_message}")

    figures = measured(job)
    storage.delete_many(list(storage.list(f"{prefix}/")))
    return figures


def _ratios(
    runs: dict[str, list[tuple[float, float]]], top: str, bottom: str, index: int
) -> list[float]:
    return [a[index] / b[index] for a, b in zip(runs[top], runs[bottom], strict=True)]


def report(
    results: dict[str, dict[str, list[tuple[float, float]]]],
    src: Path,
    what: str,
    duration_s: float,
    load_before: tuple[float, float, float],
) -> None:
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after = os.getloadavg()
    some = next(iter(results.values()))
    print(f"source: {src.name}, {what}, preset {PRESET}, {len(some['limit'])} runs each")
    print(
        "load average (1, 5, 15 min): "
        f"before {' '.join(f'{x:.1f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.1f}' for x in load_after)}"
    )
    targets = {
        ("backend", "limit"): "<= 1.05",
        ("captions", "backend"): "< 1.05",
        ("audio group", "backend"): "< 1.05",
        ("naive", "backend"): ">= 1.40",
    }
    for label, runs in results.items():
        print(f"{label}:")
        for way, values in runs.items():
            wall_s = statistics.median(v[0] for v in values)
            cpu_median = statistics.median(v[1] for v in values)
            listed = ", ".join(f"{v[0]:.2f}" for v in values)
            print(
                f"  {way:<12} wall {wall_s:6.2f} s  RTF {wall_s / duration_s:.2f}  "
                f"CPU {cpu_median:6.2f} s  ({listed})"
            )
        for (top, bottom), target in targets.items():
            if top not in runs:
                continue
            wall = _ratios(runs, top, bottom, 0)
            cpu = _ratios(runs, top, bottom, 1)
            print(
                f"  {top} / {bottom}: wall {statistics.median(wall):.3f} "
                f"({', '.join(f'{r:.3f}' for r in wall)}), CPU {statistics.median(cpu):.3f} "
                f"({', '.join(f'{r:.3f}' for r in cpu)})  target {target}"
            )
    print(f"Python process peak RSS = {rss_mb:.0f} MB  (target < 200 MB; ffmpeg runs apart)")


if __name__ == "__main__":
    sys.exit(main())
