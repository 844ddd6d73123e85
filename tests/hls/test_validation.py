"""HLS validation: a real ladder passes, and each way of breaking it fails the check meant
to catch it, with a message that names the problem.

The ladder is produced once per session by the FFmpeg backend; every test works on a copy.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.hls.ladders import (
    Output,
    copy_of,
    edit,
    failure,
    ffmpeg,
    output_of,
    validate,
)
from tests.support.ladders import LANDSCAPE_CLIP
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder, UpscalePolicy
from vod_testbed.cli.main import main as cli_main
from vod_testbed.hls.validation import HlsInputError, validate_hls
from vod_testbed.media.segments import inspect_segment

pytestmark = pytest.mark.e2e

RUNGS = ("1080p", "720p", "480p", "360p")


@pytest.fixture(scope="session")
def produced(landscape_ladder: Path) -> Output:
    return output_of(landscape_ladder, LANDSCAPE_CLIP)


@pytest.fixture
def output(produced: Output, tmp_path: Path) -> Output:
    """A private copy of the valid ladder, for a test to break."""
    return copy_of(produced, tmp_path / "out")


# -- the valid ladder ----------------------------------------------------------------------


def test_valid_ladder_passes_every_check(produced: Output) -> None:
    report = validate(produced)

    assert report.ok, report.render_text()
    assert report.warnings == []
    assert [r.name for r in report.renditions] == list(RUNGS)
    ran = {c.id for c in report.checks}
    assert {
        "master.attributes",
        "master.independent-segments",
        "bandwidth.peak",
        "bandwidth.average",
        "media.resolution",
        "media.codecs",
        "media.frame-rate",
        "segments.keyframe-start",
        "ladder.keyframe-alignment",
        "duration.renditions",
        "duration.source",
        "files.orphans",
        "audio.format",
        "ladder.video-bitrate",
        "ladder.profile",
        "thumbnails.decodable",
        "thumbnails.count",
    } <= ran
    top = report.renditions[0]
    assert (top.resolution, top.frame_rate, top.segment_count) == ("1920x1080", 30.0, 1)
    assert top.video_bitrate is not None
    assert abs(top.video_bitrate - 5_000_000) / 5_000_000 < 0.10
    assert report.thumbnail_count == 1


def test_report_renders_as_text_and_json(produced: Output) -> None:
    report = validate(produced)

    text = report.render_text()
    assert text.splitlines()[-1].startswith("VALID: ")
    assert re.search(r"^1080p \(master_1080p\.m3u8\), 1920x1080", text, re.MULTILINE)
    assert "  ✓ bandwidth.peak" in text
    assert "PASS" in report.render_text(unicode=False)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is True
    assert data["renditions"][1]["resolution"] == "1280x720"
    assert len(data["checks"]) == len(report.checks)


def test_s3_output_is_downloaded_and_validated(produced: Output, storage, s3_prefix) -> None:
    files = [p for p in produced.root.rglob("*") if p.is_file()]
    storage.put_many([(p, f"{s3_prefix}/{p.relative_to(produced.root)}") for p in files])

    report = validate_hls(f"{s3_prefix}/hls/master.m3u8", expected=DEFAULT_LADDER, storage=storage)

    assert report.ok, report.render_text()
    assert report.master == f"{s3_prefix}/hls/master.m3u8"
    assert report.thumbnail_count == 1  # found in the sibling thumbnails/ folder


# -- broken outputs ------------------------------------------------------------------------


def test_missing_endlist(output: Output) -> None:
    edit(output.hls("master_720p.m3u8"), "#EXT-X-ENDLIST\n", "")
    assert "EXT-X-ENDLIST" in failure(validate(output), "playlist.endlist", "720p")


def test_segment_longer_than_target_duration(output: Output) -> None:
    # The 4-s segment now exceeds the declared target by more than the 0.5 s allowed.
    edit(output.hls("master_480p.m3u8"), "#EXT-X-TARGETDURATION:4", "#EXT-X-TARGETDURATION:3")
    message = failure(validate(output), "playlist.target-duration", "480p")
    assert "master_480p_00001.ts" in message
    assert "TARGETDURATION 3" in message


def test_missing_segment_file(output: Output) -> None:
    output.hls("master_360p_00001.ts").unlink()
    message = failure(validate(output), "files.exist", "360p")
    assert "master_360p_00001.ts" in message
    assert "missing" in message


def test_segment_that_is_not_media(output: Output) -> None:
    output.hls("master_480p_00001.ts").write_bytes(b"<Error><Code>AccessDenied</Code></Error>")
    message = failure(validate(output), "segments.readable", "480p")
    assert "master_480p_00001.ts" in message


def test_wrong_resolution_in_master(output: Output) -> None:
    edit(output.master, "RESOLUTION=1280x720", "RESOLUTION=1920x1080")
    message = failure(validate(output), "media.resolution", "720p")
    assert "RESOLUTION=1920x1080" in message
    assert "1280x720" in message


def test_wrong_bandwidth_in_master(output: Output) -> None:
    text = output.master.read_text()
    declared = int(re.search(r"BANDWIDTH=(\d+),AVERAGE", text).group(1))  # type: ignore[union-attr]
    edit(output.master, f"BANDWIDTH={declared},", f"BANDWIDTH={declared * 2},")
    message = failure(validate(output), "bandwidth.peak", "1080p")
    assert f"BANDWIDTH={declared * 2}" in message
    assert "+100" in message


def test_missing_frame_rate(output: Output) -> None:
    edit(output.master, ",FRAME-RATE=30.000\nmaster_480p.m3u8", "\nmaster_480p.m3u8")
    report = validate(output)
    assert "FRAME-RATE" in failure(report, "master.attributes", "480p")
    assert [c.rendition for c in report.failed("master.attributes")] == ["480p"]


def test_orphan_segment(output: Output) -> None:
    shutil.copy(output.hls("master_720p_00001.ts"), output.hls("master_720p_00002.ts"))
    assert "master_720p_00002.ts" in failure(validate(output), "files.orphans")


def test_misaligned_keyframes(output: Output) -> None:
    # Re-encode one rendition with a 25-frame GOP, keeping its timestamps: every segment
    # still opens on a keyframe, but the IDRs no longer line up with the other renditions.
    segment = output.hls("master_360p_00001.ts")
    regop = segment.with_name("regop.ts")
    ffmpeg(
        "-copyts", "-i", str(segment), "-map", "0", "-c:v", "libx264", "-preset", "superfast",
        "-profile:v", "high", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
        "-c:a", "copy", "-muxdelay", "0", "-f", "mpegts", str(regop),
    )  # fmt: skip
    regop.replace(segment)

    report = validate(output)
    message = failure(report, "ladder.keyframe-alignment", "360p")
    assert "not aligned" in message
    assert "keyframe 2" in message
    # The odd rendition is blamed, not the three that agree.
    assert [c.rendition for c in report.failed("ladder.keyframe-alignment")] == ["360p"]
    assert not report.failed("segments.keyframe-start")


def test_truncated_rendition(output: Output) -> None:
    # A silently truncated encode: the 720p segment keeps only its first ~2 s and its
    # playlist is consistent with that, so only the duration checks can notice.
    segment = output.hls("master_720p_00001.ts")
    cut = segment.with_name("cut.ts")
    ffmpeg("-copyts", "-t", "2", "-i", str(segment), "-map", "0", "-c", "copy",
           "-muxdelay", "0", "-f", "mpegts", str(cut))  # fmt: skip
    cut.replace(segment)
    seconds = inspect_segment(segment).duration
    edit(output.hls("master_720p.m3u8"), "#EXTINF:4.000000,", f"#EXTINF:{seconds:.6f},")

    report = validate(output)
    against_others = failure(report, "duration.renditions", "720p")
    assert "truncated" in against_others
    assert f"{seconds:.3f} s" in against_others
    assert "truncated" in failure(report, "duration.source", "720p")
    assert not report.failed("duration.extinf")


# -- the expected ladder -------------------------------------------------------------------


def test_rungs_dropped_by_policy_are_accepted_but_gaps_are_not(output: Output) -> None:
    # Keep only 480p and 360p, as DROP would for a small source.
    for rung in ("1080p", "720p"):
        text = output.master.read_text()
        output.master.write_text(
            re.sub(rf"#EXT-X-STREAM-INF:[^\n]*\nmaster_{rung}\.m3u8\n", "", text)
        )
        for f in output.root.glob(f"hls/master_{rung}*"):
            f.unlink()

    drop = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP)
    report = validate_hls(output.master, expected=drop)
    assert report.ok, report.render_text()
    assert (
        "1080p, 720p absent"
        in next(c for c in report.checks if c.id == "ladder.renditions").message
    )

    upscale = validate_hls(output.master, expected=DEFAULT_LADDER)
    assert "missing rendition(s): 1080p, 720p" in failure(upscale, "ladder.renditions")


def with_targets_scaled(factor: float) -> Ladder:
    rungs = tuple(
        dataclasses.replace(rung, video_bitrate=round(rung.video_bitrate * factor))
        for rung in DEFAULT_LADDER.rungs
    )
    return dataclasses.replace(DEFAULT_LADDER, rungs=rungs)


def test_renditions_under_their_targets_are_notes_and_the_ladder_stays_valid(
    produced: Output,
) -> None:
    report = validate_hls(produced.master, expected=with_targets_scaled(2), source_duration_s=4.0)

    assert report.ok, report.render_text()
    assert [(c.id, c.rendition) for c in report.notes] == [
        ("ladder.video-bitrate", rung) for rung in RUNGS
    ]
    assert "(a ceiling for the average, not a floor)" in report.notes[0].message


def test_renditions_over_their_targets_are_errors(produced: Output) -> None:
    report = validate_hls(produced.master, expected=with_targets_scaled(0.5))

    message = failure(report, "ladder.video-bitrate", "1080p")
    assert "vs target 2500 kb/s" in message
    assert "more than 10% over" in message
    assert [c.rendition for c in report.errors] == list(RUNGS)


# -- unusable input and the command line ---------------------------------------------------


def test_unusable_input_raises(tmp_path: Path, produced: Output) -> None:
    with pytest.raises(HlsInputError, match="no such file"):
        validate_hls(tmp_path / "nope.m3u8")
    junk = tmp_path / "clip.m3u8"
    junk.write_bytes(b"\x00\x00\x01\xba not a playlist")
    with pytest.raises(HlsInputError, match="no #EXTM3U"):
        validate_hls(junk)
    with pytest.raises(HlsInputError, match="media playlist, not a master"):
        validate_hls(produced.hls("master_720p.m3u8"))


def test_cli_exit_codes(output: Output, tmp_path: Path, capsys) -> None:
    args = ["validate", str(output.master), "--expect-default-ladder"]
    assert cli_main([*args, "--source-duration", str(output.source_duration_s)]) == 0
    assert capsys.readouterr().out.rstrip().splitlines()[-1].startswith("VALID")

    edit(output.hls("master_720p.m3u8"), "#EXT-X-ENDLIST\n", "")
    assert cli_main([*args, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert [c["id"] for c in data["checks"] if not c["ok"]] == ["playlist.endlist"]

    assert cli_main(["validate", str(tmp_path / "missing.m3u8")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("error: no such file")


# -- without a ladder: what the job's own settings asked for --------------------------------


def _segments(output: Output, rendition: str) -> list[Path]:
    playlist = output.hls(f"master_{rendition}.m3u8")
    lines = playlist.read_text().splitlines()
    return [output.hls(line) for line in lines if line and not line.startswith("#")]


def _resample_audio(segment: Path, rate: int) -> None:
    resampled = segment.with_name("resampled.ts")
    ffmpeg("-copyts", "-i", str(segment), "-map", "0", "-c:v", "copy", "-c:a", "aac",
           "-ar", str(rate), "-b:a", "64k", "-muxdelay", "0", "-f", "mpegts",
           str(resampled))  # fmt: skip
    resampled.replace(segment)


def test_without_a_ladder_any_one_audio_format_per_rendition_passes(output: Output) -> None:
    # AAC LC stereo at 44.1 kHz from 64 kb/s is a row of MediaConvert's AAC table
    # (user guide, "Supported bitrates for AAC"): a job may ask for it.
    for segment in _segments(output, "360p"):
        _resample_audio(segment, 44_100)

    free = validate_hls(output.master, expected=None)
    assert not free.failed("audio.format"), free.render_text()
    assert "audio.format" in {c.id for c in free.checks}
    # The ladder still asks for its own 48 kHz.
    assert "44100 Hz" in failure(validate(output), "audio.format", "360p")


def test_without_a_ladder_audio_that_changes_between_segments_fails(output: Output) -> None:
    # A second segment, the first one again with its audio at 44.1 kHz.
    first = _segments(output, "360p")[0]
    second = output.hls("master_360p_00002.ts")
    shutil.copy(first, second)
    _resample_audio(second, 44_100)
    playlist = output.hls("master_360p.m3u8")
    extinf = next(x for x in playlist.read_text().splitlines() if x.startswith("#EXTINF"))
    edit(playlist, f"{first.name}\n", f"{first.name}\n{extinf}\n{second.name}\n")

    message = failure(validate_hls(output.master, expected=None), "audio.format", "360p")
    assert "changes between segments" in message
    assert "44100 Hz" in message


def test_segment_modifier_names_pass_and_misnumbering_fails(output: Output) -> None:
    # MediaConvert puts the segment modifier "between the name modifier and segment index
    # number" (service model, HlsSettings.SegmentModifier); $dt$ differs per segment.
    playlist = output.hls("master_720p.m3u8")
    for i, segment in enumerate(_segments(output, "720p"), start=1):
        modified = f"master_720p20261204T19000{i}_{i:05d}.ts"
        segment.rename(output.hls(modified))
        edit(playlist, segment.name, modified)
    assert not validate(output).failed("files.naming")

    first = _segments(output, "720p")[0]
    wrong = first.name.replace("_00001.ts", "_00007.ts")
    first.rename(output.hls(wrong))
    edit(playlist, first.name, wrong)
    assert "_00007.ts" in failure(validate(output), "files.naming", "720p")
