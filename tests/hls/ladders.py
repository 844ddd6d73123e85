"""Ladders made by the FFmpeg backend for the validator's tests, and the helpers that break
and validate copies of them."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.ladders import transcode_locally
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import ValidationReport, validate_hls
from vod_testbed.media.probe import probe


@dataclass(frozen=True)
class Output:
    root: Path  # holds hls/ and thumbnails/
    source_duration_s: float

    @property
    def master(self) -> Path:
        return self.root / "hls" / "master.m3u8"

    def hls(self, name: str) -> Path:
        return self.root / "hls" / name


def make_ladder(
    tmp_path_factory: pytest.TempPathFactory, clip_name: str, ladder: Ladder = DEFAULT_LADDER
) -> Output:
    """Run the FFmpeg backend once on a generated clip, into a fresh local folder."""
    return output_of(transcode_locally(tmp_path_factory, clip_name, ladder), clip_name)


def output_of(root: Path, clip_name: str) -> Output:
    return Output(root, probe(clip_path(clip_name)).duration_s)


def copy_of(out: Output, root: Path) -> Output:
    shutil.copytree(out.root, root)
    return Output(root, out.source_duration_s)


def validate(out: Output, ladder: Ladder = DEFAULT_LADDER) -> ValidationReport:
    return validate_hls(out.master, expected=ladder, source_duration_s=out.source_duration_s)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def failure(report: ValidationReport, check_id: str, rendition: str | None = None) -> str:
    """The message of the failed check; fails the test when that check passed or never ran."""
    found = [c for c in report.failed(check_id) if rendition is None or c.rendition == rendition]
    assert found, f"{check_id} ({rendition}) did not fail:\n{report.render_text()}"
    assert not report.ok
    return found[0].message


def ffmpeg(*args: str) -> None:
    subprocess.run(
        [find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        check=True,
        timeout=60,
    )
