"""Audio normalization as the service model documents ``AudioNormalizationSettings``: the
defaults (-24 LKFS for BS.1770-1, -23 otherwise; CORRECT_AUDIO), correction to the target
within 1 LU, and MEASURE_ONLY leaving the audio as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import ffmpeg

from tests.support.inputs import write_source
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.loudness import (
    CSV_HEADER,
    Loudness,
    approximations,
    corrected,
    csv_rows,
    measure,
    parse_ebur128_summary,
)
from vod_testbed.backends.jobmodel.inputs import LoudnessSettings
from vod_testbed.backends.mediaconvert.parse_inputs import loudness


def test_defaults_follow_the_service_model() -> None:
    assert loudness({}) == LoudnessSettings(
        algorithm="ITU_BS_1770_2", correct=True, target_lkfs=-23.0
    )
    assert loudness({"algorithm": "ITU_BS_1770_1"}).target_lkfs == -24.0
    spec = loudness(
        {"algorithmControl": "MEASURE_ONLY", "targetLkfs": -16, "loudnessLogging": "LOG"}
    )
    assert (spec.correct, spec.target_lkfs, spec.log) == (False, -16.0, True)
    assert approximations(loudness({"algorithm": "ITU_BS_1770_4"})) == []
    assert "gated" in approximations(loudness({"algorithm": "ITU_BS_1770_1"}))[0]


def test_the_ebur128_summary_is_read() -> None:
    stderr = (
        "[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -23.4 LUFS\n"
        "    Threshold: -33.4 LUFS\n\n  True peak:\n    Peak:        -9.7 dBFS\n"
    )
    assert parse_ebur128_summary(stderr) == Loudness(-23.4, -9.7)


def _encode(source: Path, spec: LoudnessSettings, out: Path) -> None:
    measured = measure(binary.find_ffmpeg(), source)
    audio = corrected(ffmpeg.input(str(source))["a:0"], measured, spec)
    argv = ffmpeg.output(audio, str(out), **{"c:a": "aac", "b:a": "128k"}).compile(
        cmd=binary.find_ffmpeg(), overwrite_output=True
    )
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


def test_correct_audio_lands_within_one_lu_of_the_target(tmp_path: Path) -> None:
    source = write_source(tmp_path / "loud.mp4", duration_s=4, volume_db=12)
    before = measure(binary.find_ffmpeg(), source)
    out = tmp_path / "out.m4a"
    _encode(source, loudness({"targetLkfs": -23}), out)
    after = measure(binary.find_ffmpeg(), out)
    assert abs(before.integrated_lkfs - -23) > 3  # the source is far from the target
    assert abs(after.integrated_lkfs - -23) <= 0.5
    assert csv_rows("out", LoudnessSettings(log=True), [after]).startswith(CSV_HEADER)


def test_measure_only_leaves_the_loudness_alone(tmp_path: Path) -> None:
    source = write_source(tmp_path / "loud.mp4", duration_s=2, volume_db=-3)
    out = tmp_path / "out.m4a"
    _encode(source, loudness({"algorithmControl": "MEASURE_ONLY"}), out)
    before = measure(binary.find_ffmpeg(), source)
    after = measure(binary.find_ffmpeg(), out)
    assert abs(after.integrated_lkfs - before.integrated_lkfs) <= 0.5
