"""Image-based trick play through the FFmpeg backend: the tiles come from the ladder's one
ffmpeg process, with MediaConvert's names, image playlists and EXT-X-IMAGE-STREAM-INF
lines, for a ladder job and for a job model (docs/packaging.md)."""

from __future__ import annotations

from fractions import Fraction

import av
import m3u8
import pytest

from tests.support.ffmpeg_jobs import run_job
from tests.support.job_examples import iframe_job as job
from vod_testbed.backends.ffmpeg.command import build_command
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import Ladder, Rung
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.trickplay import TrickPlay, TrickPlayMode
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls

pytestmark = pytest.mark.e2e

SMALL = Ladder(
    rungs=(Rung("360p", 640, 360, 800_000),),
    segment_seconds=2,
    gop_seconds=1,
    thumbnails=None,
    trick_play=TrickPlay(TrickPlayMode.THUMBNAIL_AND_FULLFRAME),
)


def _size(path) -> tuple[int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.codec_context.width, stream.codec_context.height


def test_ladder_job_writes_tiles_and_image_playlists(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    source = put_clip(clip_path("short_2s"), "talk.mp4")
    request = JobRequest(source, f"{s3_prefix}/hls/index", f"{s3_prefix}/thumbnails/index", SMALL)
    job, _ = run_job(ffmpeg_backend, request)
    assert job.status is JobStatus.COMPLETE, job.error_message

    keys = sorted(uri.rsplit("/", 1)[1] for uri in storage.list(f"{s3_prefix}/hls/"))
    # One thumbnail per GOP (1 s) of a 2 s clip: two thumbnails, one 3x3 tile; the full
    # frames are 1x1 tiles, so two of them.
    assert [k for k in keys if k.endswith(".jpg")] == [
        "index_FullFrame_000000001.jpg",
        "index_FullFrame_000000002.jpg",
        "index_Thumbnail_000000001.jpg",
    ]
    local = storage.download_tree(f"{s3_prefix}/hls", tmp_path / "hls")
    master = m3u8.load(str(local / "index.m3u8"))
    images = {p.uri: p.image_stream_info for p in master.image_playlists}
    assert set(images) == {"index_Thumbnail.m3u8", "index_FullFrame.m3u8"}
    assert images["index_Thumbnail.m3u8"].resolution == (312, 176)
    assert images["index_FullFrame.m3u8"].resolution == (640, 360)
    text = (local / "index_Thumbnail.m3u8").read_text()
    assert "#EXT-X-IMAGES-ONLY" in text
    assert "#EXT-X-TILES:RESOLUTION=312x176,LAYOUT=3x3,DURATION=1.000" in text
    assert _size(local / "index_Thumbnail_000000001.jpg") == (936, 528)
    assert _size(local / "index_FullFrame_000000002.jpg") == (640, 360)
    report = validate_hls(local / "index.m3u8")
    assert report.ok, report.render_text()
    tiles = [c for c in report.checks if c.id.startswith("tiles.")]
    assert len(tiles) == 6 and all(c.ok for c in tiles)


def test_model_job_with_advanced_settings(ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path):
    source = put_clip(clip_path("short_2s"), "talk.mp4")
    settings = job(source, s3_prefix)
    hls = settings["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
    hls["ImageBasedTrickPlay"] = "ADVANCED"
    hls["ImageBasedTrickPlaySettings"] = {
        "TileWidth": 2,
        "TileHeight": 1,
        "ThumbnailWidth": 160,
        "IntervalCadence": "FOLLOW_CUSTOM",
        "ThumbnailInterval": 0.5,
    }
    model = parse_job_settings(to_wire_case(settings)).job
    job_, _ = run_job(ffmpeg_backend, JobRequest.for_model(model))
    assert job_.status is JobStatus.COMPLETE, job_.error_message
    local = storage.download_tree(f"{s3_prefix}/hls", tmp_path / "hls")
    # Four thumbnails of 2 s at one per 0.5 s, two per 2x1 tile.
    assert sorted(p.name for p in local.glob("*.jpg")) == [
        "index_Thumbnail_000000001.jpg",
        "index_Thumbnail_000000002.jpg",
    ]
    assert _size(local / "index_Thumbnail_000000002.jpg") == (320, 90)
    text = (local / "index_Thumbnail.m3u8").read_text()
    assert text.count("#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=2x1,DURATION=0.500") == 2
    report = validate_hls(local / "index.m3u8")
    assert report.ok, report.render_text()


def test_tiles_branch_the_one_decode(tmp_path) -> None:
    from vod_testbed.backends.ffmpeg.command import EncodePlan
    from vod_testbed.backends.ffmpeg.trickplay import plan_tile_sets
    from vod_testbed.backends.ladder import plan_renditions
    from vod_testbed.media.probe import probe

    clip = clip_path("short_2s")
    media = probe(clip)
    renditions = tuple(plan_renditions(SMALL, 1280, 720))
    rate = Fraction(25)
    plan = EncodePlan(
        input_path=clip,
        media=media,
        ladder=SMALL,
        renditions=renditions,
        thumbnail=None,
        frame_rate=rate,
        hls_dir=tmp_path,
        hls_base="index",
        thumbnail_dir=tmp_path,
        thumbnail_base="index",
        tile_sets=plan_tile_sets(SMALL, (1280, 720), rate, renditions),
    )
    argv = build_command(plan, "ffmpeg")
    assert argv.count("-i") == 1
    graph = argv[argv.index("-filter_complex") + 1]
    assert "split=3" in graph
    assert graph.count("tile=") == 2 and "tile=3x3" in graph and "tile=1x1" in graph
    assert "select=not(mod(n\\,25))" in graph
