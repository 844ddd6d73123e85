"""MediaConvert's audio normalization with ffmpeg's EBU R128 filters: ``loudnorm`` corrects,
``ebur128`` measures.

Followed (service model, ``AudioNormalizationSettings``): the algorithm is one of ITU-R
BS.1770-1..4; ``TargetLkfs`` defaults to -24 LKFS for 1770-1 and -23 otherwise;
``CORRECT_AUDIO`` corrects to the target, ``MEASURE_ONLY`` measures without adjusting;
``TruePeakLimiterThreshold`` (0 to -8 dBFS, default 0) caps true peaks; ``LoudnessLogging``
LOG writes each output's loudness to a CSV file; ``PeakCalculation`` TRUE_PEAK adds the
true peak to it.

Approximated (in the settings table and a job warning): ``loudnorm`` and ``ebur128`` are
BS.1770-3/4 gated meters, so 1770-1's ungated measure and 1770-2's sample peak are read
with the gated algorithm and true peak; ``CorrectionGateLevel`` is not applied (``loudnorm``
corrects whatever the level). ``loudnorm`` runs in its single-pass (dynamic) mode, which
lands within about 1 LU of the target on programme material. The CSV's columns are the
emulator's: AWS does not document the file's layout or name.
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


CHANNEL_LAYOUTS = {1: "mono", 2: "stereo", 6: "5.1", 8: "7.1"}


def normalised(audio: Any, spec: LoudnessSettings, sample_rate: int, channels: int = 2) -> Any:
    """``audio`` corrected to the target (``CORRECT_AUDIO``), else unchanged.

    ``loudnorm`` upsamples internally and drops the channel layout (ffmpeg 5.1 then cannot
    negotiate the encoder's): the stream is brought back to ``sample_rate`` and ``channels``.
    """
    if not spec.correct:
        return audio
    return (
        audio.filter(
            "loudnorm",
            I=f"{spec.target_lkfs:g}",
            TP=f"{max(-9.0, min(0.0, spec.true_peak_limit_db)):g}",
            LRA="11",
        )
        .filter("aresample", sample_rate)
        .filter("aformat", channel_layouts=CHANNEL_LAYOUTS.get(channels, f"{channels}c"))
    )


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
