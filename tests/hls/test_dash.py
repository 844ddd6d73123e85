"""Broken and hostile DASH manifests get a failed check that says why, never an exception
(the good ones are validated where they are made: tests/backends/ffmpeg/test_cmaf_jobs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vod_testbed.hls.dash import validate_dash

FIXTURES = Path(__file__).parent / "dash_fixtures"

VERDICTS = {
    "entity-bomb.mpd": ("mpd.syntax", "not acceptable XML"),
    "not-xml.mpd": ("mpd.syntax", "not acceptable XML"),
    "not-an-mpd.mpd": ("mpd.syntax", "no MPD element"),
    "dynamic.mpd": ("mpd.syntax", "not a static MPD"),
    "bad-attribute.mpd": ("mpd.syntax", "cannot be parsed"),
    "escaping-template.mpd": ("mpd.syntax", "not a file beside the MPD"),
    "huge-repeat.mpd": ("mpd.syntax", "unusable timeline entry"),
    "missing-segments.mpd": ("dash.files", "missing: vinit.mp4"),
}


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_a_broken_manifest_gets_a_verdict(name: str) -> None:
    report = validate_dash(FIXTURES / name)

    check_id, reason = VERDICTS[name]
    failed = [c for c in report.errors if c.id == check_id]
    assert not report.ok
    assert failed and reason in failed[0].message, report.errors


def test_muxed_audio_and_video_are_reported() -> None:
    report = validate_dash(FIXTURES / "missing-segments.mpd")

    muxed = next(c for c in report.checks if c.id == "mpd.adaptation-sets")
    assert not muxed.ok and "muxed audio and video" in muxed.message


def test_a_missing_manifest_gets_a_verdict(tmp_path: Path) -> None:
    report = validate_dash(tmp_path / "absent.mpd")

    assert [c.id for c in report.errors] == ["mpd.syntax"]


def test_the_validate_command_judges_an_mpd(capsys: pytest.CaptureFixture[str]) -> None:
    from vod_testbed.cli.main import main

    assert main(["validate", str(FIXTURES / "dynamic.mpd")]) == 1
    assert "not a static MPD" in capsys.readouterr().out
