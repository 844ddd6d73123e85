"""I-frame-only playlists (HlsSettings.IFrameOnlyManifest INCLUDE): MediaConvert writes
``<base><modifier>_I-Frame.m3u8`` beside each rendition's playlist, referenced from the
multivariant playlist by ``EXT-X-I-FRAME-STREAM-INF`` (MediaConvert API reference,
HlsSettings.iFrameOnlyManifest: "Choose Include to create a separate I-frame-only playlist
for this output"; RFC 8216 4.3.3.6 and 4.3.4.3)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import av
import m3u8
import pytest

from tests.support.ffmpeg_jobs import run_job
from tests.support.job_examples import iframe_job
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.iframes import rendition_iframes
from vod_testbed.media.segments import has_idr


def test_include_is_parsed_and_rendered_back() -> None:
    settings = iframe_job("s3://in/talk.mp4", "s3://out/talk")
    model = parse_job_settings(to_wire_case(settings)).job
    assert model.output_groups[0].iframe_modifiers == frozenset({"_720p"})  # type: ignore[union-attr]
    rendered = render_model_settings(model)
    hls = rendered["OutputGroups"][0]["Outputs"][0]["OutputSettings"]["HlsSettings"]
    assert hls == {"IFrameOnlyManifest": "INCLUDE"}


def _encode_ts(tmp_path: Path) -> list[Path]:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg is not None
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-i", str(clip_path("short_2s")), "-c:v", "libx264",
         "-preset", "ultrafast", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0",
         "-c:a", "aac", "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
         "-hls_segment_filename", str(tmp_path / "s_%05d.ts"), str(tmp_path / "s.m3u8")],
        check=True,
    )  # fmt: skip
    return sorted(tmp_path.glob("s_*.ts"))


@pytest.mark.e2e
def test_scan_finds_the_keyframes_pyav_finds(tmp_path: Path) -> None:
    segments = _encode_ts(tmp_path)
    frames = rendition_iframes(segments)
    expected = []
    for segment in segments:
        with av.open(str(segment)) as container:
            for packet in container.demux(container.streams.video[0]):
                if packet.pts is None or not packet.size or not packet.is_keyframe:
                    continue
                if has_idr(bytes(packet)):
                    expected.append((segment.name, round(float(packet.pts * packet.time_base), 3)))
    assert len(expected) >= 3
    assert [(f.segment.name, round(f.time_s, 3)) for f in frames] == expected
    # The first range of a segment starts at byte 0 (it carries the PAT and PMT).
    assert all(f.offset == 0 for f in frames if f.time_s == min(
        g.time_s for g in frames if g.segment == f.segment))  # fmt: skip


@pytest.mark.e2e
def test_iframe_playlist_through_the_ffmpeg_backend_validates(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    source = put_clip(clip_path("short_2s"), "talk.mp4")
    model = parse_job_settings(to_wire_case(iframe_job(source, s3_prefix))).job
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(model))
    assert job.status is JobStatus.COMPLETE, job.error_message

    keys = sorted(uri.rsplit("/", 1)[1] for uri in storage.list(f"{s3_prefix}/hls/"))
    assert "index_720p_I-Frame.m3u8" in keys
    local = storage.download_tree(f"{s3_prefix}/hls", tmp_path / "hls")
    master = m3u8.load(str(local / "index.m3u8"))
    (iframe,) = master.iframe_playlists
    assert iframe.uri == "index_720p_I-Frame.m3u8"
    assert iframe.iframe_stream_info.codecs.startswith("avc1.")
    assert iframe.iframe_stream_info.resolution == (1280, 720)

    report = validate_hls(f"{s3_prefix}/hls/index.m3u8", storage=storage)
    assert report.ok, report.render_text()
    passed = {c.id for c in report.checks if c.ok}
    assert {"iframes.playlist", "iframes.keyframe-start"} <= passed

    # A range moved off its keyframe is caught.
    playlist = local / "index_720p_I-Frame.m3u8"
    text = playlist.read_text()
    parsed = m3u8.loads(text)
    assert len(parsed.segments) >= 2
    moved = parsed.segments[1].byterange
    length, offset = moved.split("@")
    playlist.write_text(text.replace(f"{moved}\n", f"{length}@{int(offset) + 188}\n"))
    broken = validate_hls(local / "index.m3u8")
    assert not broken.ok
    failed = [c for c in broken.checks if not c.ok]
    assert [c.id for c in failed] == ["iframes.keyframe-start"]

    # Broken I-frame playlists get a verdict, never a crash.
    segment = parsed.segments[0]
    for broken_text in (
        "not a playlist at all\n",
        text.replace(f"#EXT-X-BYTERANGE:{segment.byterange}\n", ""),
        text.replace(f"{segment.byterange}\n", "99999999@0\n"),
        text.replace(f"\n{segment.uri}\n", "\nmissing_00001.ts\n", 1),
        text.replace("#EXT-X-I-FRAMES-ONLY\n", ""),
    ):
        playlist.write_text(broken_text)
        verdict = validate_hls(local / "index.m3u8")
        assert not verdict.ok, broken_text
        assert {c.id for c in verdict.checks if not c.ok} <= {
            "iframes.playlist",
            "iframes.keyframe-start",
        }, verdict.render_text()
    playlist.unlink()
    gone = validate_hls(local / "index.m3u8")
    assert [c.id for c in gone.checks if not c.ok] == ["iframes.playlist"]
