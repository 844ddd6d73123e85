"""Benchmark: packaging a ladder as CMAF (fMP4 tracks, HLS and DASH manifests) instead of
TS HLS, within one run, from one source, with one ladder.

The source is 12 s of 1080p30 with motion and a tone. The same four rungs (the default
ladder's sizes and caps, QVBR, 2 s GOPs, 6 s segments) are made two ways, each the way the
FFmpeg backend makes it, from the command to the checked outputs and written manifests:

* ts   - an HLS group: the ladder's one ffmpeg process (``hls`` muxer, MPEG-TS), then every
  rendition read back and the multivariant playlist written;
* cmaf - a CMAF group of the same rungs and one separate AAC track: one ffmpeg process
  (``dash`` muxer per track, 2 s fragments), then every track's boxes read back and the HLS
  and DASH manifests written.

The two are interleaved, three runs each; the figure is the median of each run's cmaf / ts
ratio (a burst of load on a shared machine then spoils one pair, not the verdict), target
at most 1.05; the ratio of the medians is printed beside it. S3 is left out: both upload
the same amount of media.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.job_examples import aac, hls_group
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.ffmpeg.cmaf import stream_group_plan
from vod_testbed.backends.ffmpeg.command import build_command
from vod_testbed.backends.ffmpeg.compile import Source, hls_group_plan
from vod_testbed.backends.ffmpeg.outputs import check_complete, read_rendition, write_master
from vod_testbed.backends.ffmpeg.stream_publish import finish_stream_group
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.media.probe import probe

SOURCE_S = 12
RUNS = 3
TARGET = 1.05
PRESET = "superfast"


def _settings(source: str) -> dict[str, Any]:
    rungs = [(r.name_modifier, r.width, r.height, r.max_bitrate) for r in DEFAULT_LADDER.rungs]
    hls = hls_group("s3://bench/ts/master", *rungs)
    cmaf_outputs = []
    for output in hls["Outputs"]:
        video = {
            k: v for k, v in output.items() if k not in ("AudioDescriptions", "OutputSettings")
        }
        cmaf_outputs.append({**video, "ContainerSettings": {"Container": "CMFC"}})
    cmaf_outputs.append(
        {"NameModifier": "_audio", "ContainerSettings": {"Container": "CMFC"},
         "AudioDescriptions": [aac()]}
    )  # fmt: skip
    cmaf = {
        "Name": "CMAF",
        "OutputGroupSettings": {
            "Type": "CMAF_GROUP_SETTINGS",
            "CmafGroupSettings": {
                "Destination": "s3://bench/cmaf/master",
                "SegmentLength": 6,
                "FragmentLength": 2,
            },
        },
        "Outputs": cmaf_outputs,
    }
    return {
        "Inputs": [{"FileInput": source, "AudioSelectors": {"Audio Selector 1": {}}}],
        "OutputGroups": [hls, cmaf],
    }


def _source(ffmpeg: str, folder: Path) -> Path:
    path = folder / "source.mp4"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=s=1920x1080:r=30:d={SOURCE_S}",
         "-f", "lavfi", "-i", f"sine=frequency=440:d={SOURCE_S}",
         "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-c:a", "aac",
         "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def _timed(run: Callable[[Path], None], work: Path) -> float:
    started = time.perf_counter()
    run(work)
    return time.perf_counter() - started


def main() -> int:
    ffmpeg = find_ffmpeg()
    with tempfile.TemporaryDirectory(prefix="bench-cmaf-") as tmp:
        folder = Path(tmp)
        path = _source(ffmpeg, folder)
        media = probe(path)
        model = parse_job_settings(to_wire_case(_settings("s3://bench/in/source.mp4"))).job
        hls, cmaf = model.output_groups
        source = Source(path, media, model.inputs[0])
        duration = media.video_duration_s or media.duration_s

        def ts(work: Path) -> None:
            plan = hls_group_plan(hls, source, work, PRESET, None)  # type: ignore[arg-type]
            subprocess.run(build_command(plan, ffmpeg), check=True, stdout=subprocess.DEVNULL)
            written = [read_rendition(work, plan.hls_base, r) for r in plan.renditions]
            check_complete(written, duration, 2.0)
            write_master(work, plan.hls_base, written, plan.frame_rate)

        def fmp4(work: Path) -> None:
            plan = stream_group_plan(cmaf, source, work, PRESET, ffmpeg)  # type: ignore[arg-type]
            subprocess.run(plan.argv, check=True, stdout=subprocess.DEVNULL)
            finish_stream_group(plan, duration)

        times: dict[str, list[float]] = {"ts": [], "cmaf": []}
        ways: tuple[tuple[str, Callable[[Path], None]], ...] = (("ts", ts), ("cmaf", fmp4))
        for number in range(RUNS):
            for name, way in ways:
                work = folder / f"{name}{number}"
                work.mkdir()
                times[name].append(_timed(way, work))
                print(f"  run {number + 1} {name}: {times[name][-1]:.2f} s", flush=True)
    ts_s, cmaf_s = statistics.median(times["ts"]), statistics.median(times["cmaf"])
    pairs = [c / t for t, c in zip(times["ts"], times["cmaf"], strict=True)]
    ratio = statistics.median(pairs)
    print(f"TS HLS {ts_s:.2f} s, CMAF (HLS + DASH) {cmaf_s:.2f} s (medians): {cmaf_s / ts_s:.3f}")
    print(f"cmaf / ts per run: {', '.join(f'{r:.3f}' for r in pairs)}; median {ratio:.3f}")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"target cmaf / ts <= {TARGET}: {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
