"""Quality of a rendition against its source, with ffmpeg.

VMAF where the ffmpeg in use has libvmaf (its built-in vmaf_v0.6.1 model, which expects a
1080p viewing: the rendition is scaled up to the source's display size, as Netflix's
practice is), with PSNR-Y and SSIM from the same pass; else ffmpeg's psnr and ssim filters.
Both inputs start at their first frame (``setpts=PTS-STARTPTS``), so an HLS output's
MPEG-TS offset does not misalign them.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tempfile
from pathlib import Path

from vod_testbed.backends.ffmpeg.process import spawn
from vod_testbed.report.model import Quality

VMAF, PSNR_SSIM = "vmaf", "psnr-ssim"
MAX_PSNR_DB = 100.0
_PSNR = re.compile(r"PSNR .*?average:([0-9.]+|inf)")
_SSIM = re.compile(r"SSIM .*?All:([0-9.]+)")


class QualityError(RuntimeError):
    """ffmpeg could not compare the two inputs."""


@functools.cache
def available_metric(ffmpeg: str) -> str:
    """``vmaf`` when ``ffmpeg`` has the libvmaf filter, else ``psnr-ssim``."""
    listed = subprocess.run(
        [ffmpeg, "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30
    ).stdout
    return VMAF if re.search(r"^\s*\S+\s+libvmaf\s", listed, re.MULTILINE) else PSNR_SSIM


def compare_argv(
    ffmpeg: str,
    rendition: Path,
    source: Path,
    size: tuple[int, int],
    seconds: float,
    metric: str,
    vmaf_log: Path | None = None,
    threads: int = 2,
) -> list[str]:
    """The ffmpeg command comparing ``rendition`` (distorted) with ``source`` (reference)
    over their first ``seconds``, both at ``size``."""
    width, height = size
    scale = f"scale={width}:{height}:flags=bicubic,setpts=PTS-STARTPTS,format=yuv420p"
    graph = f"[0:v]{scale}[dist];[1:v]{scale}[ref];"
    if metric == VMAF:
        assert vmaf_log is not None
        graph += (
            f"[dist][ref]libvmaf=log_fmt=json:log_path={_escape(vmaf_log)}:"
            f"n_threads={threads}:feature=name=psnr|name=float_ssim"
        )
    else:
        graph += "[dist]split[d1][d2];[ref]split[r1][r2];[d1][r1]psnr;[d2][r2]ssim"
    return [
        ffmpeg, "-nostdin", "-hide_banner", "-v", "info", "-threads", str(threads),
        "-t", f"{seconds:g}", "-i", str(rendition),
        "-t", f"{seconds:g}", "-i", str(source),
        "-lavfi", graph, "-f", "null", "-",
    ]  # fmt: skip


def _escape(path: Path) -> str:
    # Filter-graph option values: ':' and '\' and "'" are special.
    return re.sub(r"([\\:'])", r"\\\1", str(path))


def compare(
    ffmpeg: str,
    rendition: Path,
    source: Path,
    size: tuple[int, int],
    seconds: float,
    metric: str | None = None,
    timeout_s: float = 1800,
) -> Quality:
    """Quality of ``rendition`` against ``source``.

    Raises:
        QualityError: ffmpeg failed or printed no figures.
    """
    metric = metric or available_metric(ffmpeg)
    with tempfile.TemporaryDirectory(prefix="vod-quality-") as tmp:
        log = Path(tmp) / "vmaf.json"
        argv = compare_argv(ffmpeg, rendition, source, size, seconds, metric, log)
        # spawn: the comparison dies with the thread that runs it, so a stopping process
        # never waits for (nor leaves behind) a quality pass.
        process = spawn(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise QualityError(f"comparing {rendition.name} took over {timeout_s:.0f} s") from None
        if process.returncode != 0:
            tail = stderr.strip().splitlines()[-1:] or ["no output"]
            raise QualityError(f"ffmpeg could not compare {rendition.name}: {tail[0]}")
        if metric == VMAF:
            pooled = json.loads(log.read_text())["pooled_metrics"]
            return Quality(
                VMAF,
                seconds,
                vmaf=round(pooled["vmaf"]["mean"], 2),
                psnr_db=round(pooled["psnr_y"]["mean"], 2),
                ssim=round(pooled["float_ssim"]["mean"], 4),
            )
    psnr, ssim = _PSNR.search(stderr), _SSIM.search(stderr)
    if psnr is None or ssim is None:
        raise QualityError(f"ffmpeg printed no PSNR/SSIM for {rendition.name}")
    # Identical pictures have an infinite PSNR; 100 dB is the usual cap (and valid JSON).
    psnr_db = (
        MAX_PSNR_DB if psnr.group(1) == "inf" else min(round(float(psnr.group(1)), 2), MAX_PSNR_DB)
    )
    return Quality(PSNR_SSIM, seconds, psnr_db=psnr_db, ssim=round(float(ssim.group(1)), 4))
