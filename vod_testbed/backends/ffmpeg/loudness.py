"""MediaConvert's audio normalization with ffmpeg: ``ebur128`` measures (ITU-R BS.1770),
a gain and a limiter correct.

Followed (service model, ``AudioNormalizationSettings``): the algorithm is one of ITU-R
BS.1770-1..4; ``TargetLkfs`` defaults to -24 LKFS for 1770-1 and -23 otherwise;
``CORRECT_AUDIO`` corrects to the target, ``MEASURE_ONLY`` measures without adjusting;
``TruePeakLimiterThreshold`` (0 to -8 dBFS, default 0) caps true peaks; ``LoudnessLogging``
LOG writes each output's loudness to a CSV file; ``PeakCalculation`` TRUE_PEAK adds the
true peak to it.

Approximated (in the settings table and a job warning): ``ebur128`` is a BS.1770-4 gated
meter, so 1770-1's ungated measure and 1770-2's sample peak are read
with the gated algorithm and true peak; ``CorrectionGateLevel`` is not applied (the gain
applies whatever the level). Correction is linear, in two passes (measure the whole
track, then one gain), as ``loudnorm``'s linear mode does, so the result lands on the target
to a tenth of an LU; a sample-peak limiter (``alimiter``) stands in for a true-peak one.
The CSV's columns are the emulator's: AWS does not document the file's layout or name.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vod_testbed.backends.jobmodel.inputs import LoudnessSettings

CSV_HEADER = "output,track,algorithm,integrated_lkfs,true_peak_dbtp,corrected\n"
MEASURE_TIMEOUT_S = 600.0


def approximations(spec: LoudnessSettings) -> list[str]:
    """What the emulator does differently from the algorithm asked for (job warnings)."""
    if spec.algorithm in ("ITU_BS_1770_1", "ITU_BS_1770_2"):
        return [
            f"{spec.algorithm} is measured with ffmpeg's gated BS.1770-4 meter (EBU R128) "
            "and true peaks"
        ]
    return []


@dataclass(frozen=True)
class Loudness:
    integrated_lkfs: float
    true_peak_dbtp: float | None


def corrected(audio: Any, measured: Loudness, spec: LoudnessSettings) -> Any:
    """``audio`` (measured at ``measured``) brought to the target: one gain over the whole
    track, then a limiter at the true-peak threshold if the gain would push peaks past it.

    ``CORRECT_AUDIO`` only; a silent track (-inf) is left alone.
    """
    if not spec.correct or measured.integrated_lkfs == float("-inf"):
        return audio
    gain = spec.target_lkfs - measured.integrated_lkfs
    audio = audio.filter("volume", f"{gain:.2f}dB")
    peak = measured.true_peak_dbtp
    if peak is None or peak + gain > spec.true_peak_limit_db:
        limit = 10 ** (min(spec.true_peak_limit_db, -0.1) / 20)
        audio = audio.filter("alimiter", limit=f"{limit:.4f}", level="0")
    return audio


_INTEGRATED = re.compile(r"Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf)\s*LUFS")
_TRUE_PEAK = re.compile(r"True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS")


def parse_ebur128_summary(stderr: str) -> Loudness:
    """The summary ``ebur128`` prints at the end of a run."""
    integrated = _INTEGRATED.findall(stderr)
    if not integrated:
        raise ValueError("ffmpeg's ebur128 printed no integrated loudness")
    peaks = _TRUE_PEAK.findall(stderr)

    def number(text: str) -> float:
        return float("-inf") if text == "-inf" else float(text)

    return Loudness(number(integrated[-1]), number(peaks[-1]) if peaks else None)


def measure(ffmpeg_binary: str, path: Path, audio_index: int = 0) -> Loudness:
    """The integrated loudness and true peak of one audio track of a written file."""
    argv = [
        ffmpeg_binary, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
        "-i", f"file:{path}", "-map", f"0:a:{audio_index}",
        "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-",
    ]  # fmt: skip
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=MEASURE_TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        raise ValueError(f"measuring loudness failed: {done.stderr.strip()[-300:]}")
    return parse_ebur128_summary(done.stderr)


def csv_rows(output: str, spec: LoudnessSettings, measured: list[Loudness]) -> str:
    """The loudness log of one output: a row per audio track."""
    rows = []
    for track, loudness in enumerate(measured, start=1):
        peak = (
            ""
            if loudness.true_peak_dbtp is None or not spec.true_peak
            else (f"{loudness.true_peak_dbtp:.1f}")
        )
        rows.append(
            f"{output},{track},{spec.algorithm},{loudness.integrated_lkfs:.1f},{peak},"
            f"{'true' if spec.correct else 'false'}\n"
        )
    return CSV_HEADER + "".join(rows)
