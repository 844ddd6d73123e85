"""The trick-play tile checks: a good image playlist passes, and broken or hostile ones get
a failed check naming what is wrong, never an exception."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import m3u8
import pytest

from vod_testbed.backends import trickplay
from vod_testbed.backends.trickplay import TileSet
from vod_testbed.hls.checks.tiles import check_image_playlists
from vod_testbed.hls.model import Context
from vod_testbed.hls.report import ValidationReport
from vod_testbed.media.tiles import jpeg_size

TILES = TileSet("Thumbnail", 312, 176, 3, 3, Fraction(2))
DURATION = 40.0  # 20 thumbnails: three 3x3 tiles, the last holding two


def jpeg(width: int, height: int) -> bytes:
    """The markers of a JPEG of that size (SOI, APP0, SOF0, EOI): what jpeg_size reads."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0\x00\x11\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big")
    sof += b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def master_text(resolution: str = "312x176", uri: str = "master_Thumbnail.m3u8") -> str:
    return (
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nmaster_360p.m3u8\n"
        f'#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=9000,RESOLUTION={resolution},CODECS="jpeg",'
        f'URI="{uri}"\n'
    )


def write_output(folder: Path, *, tiles: int = 3, size: tuple[int, int] = (936, 528)) -> Path:
    spans = trickplay.tile_spans(DURATION, TILES)
    (folder / "master_Thumbnail.m3u8").write_text(
        trickplay.image_playlist("master", TILES, spans[:tiles])
    )
    for index in range(1, tiles + 1):
        (folder / trickplay.tile_name("master", TILES, index)).write_bytes(jpeg(*size))
    master = folder / "master.m3u8"
    master.write_text(master_text())
    return master


def run(master: Path, text: str | None = None) -> dict[str, tuple[bool, str]]:
    ctx = Context(master, None, DURATION, None, False, ValidationReport(master=str(master)))
    check_image_playlists(ctx, m3u8.loads(text or master.read_text()), [])
    return {c.id: (c.ok, c.message) for c in ctx.report.checks}


def test_jpeg_size_reads_the_frame_header() -> None:
    assert jpeg_size(jpeg(936, 528)) == (936, 528)
    for broken in (b"", b"GIF89a", b"\xff\xd8\xff\xd9", b"\xff\xd8\x00\x00\x00\x00"):
        with pytest.raises(ValueError):
            jpeg_size(broken)


def test_the_playlist_the_backend_writes_passes(tmp_path: Path) -> None:
    text = trickplay.image_playlist("master", TILES, trickplay.tile_spans(DURATION, TILES))
    assert text.count("#EXT-X-TILES:RESOLUTION=312x176,LAYOUT=3x3,DURATION=2.000") == 3
    assert "#EXTINF:18.000," in text and "#EXTINF:4.000," in text
    checks = run(write_output(tmp_path))
    assert checks == {
        "tiles.playlist": (True, checks["tiles.playlist"][1]),
        "tiles.image": (True, "every tile is a JPEG of 936x528"),
        "tiles.count": (True, checks["tiles.count"][1]),
    }


def test_a_missing_tile_and_a_wrong_grid_fail(tmp_path: Path) -> None:
    master = write_output(tmp_path, tiles=1, size=(312, 176))
    checks = run(master)
    assert checks["tiles.image"][0] is False
    assert "312x176, the grid 936x528" in checks["tiles.image"][1]
    assert checks["tiles.count"] == (False, checks["tiles.count"][1])
    assert "1 tile(s) where 3 are due" in checks["tiles.count"][1]


def test_a_master_disagreeing_with_the_tiles_fails(tmp_path: Path) -> None:
    master = write_output(tmp_path)
    checks = run(master, master_text(resolution="640x360"))
    assert checks["tiles.playlist"][0] is False
    assert "RESOLUTION is not the tiles' 312x176" in checks["tiles.playlist"][1]


@pytest.mark.parametrize(
    ("playlist", "reason"),
    [
        ("not a playlist", "does not start with #EXTM3U"),
        ("#EXTM3U\n#EXTINF:2,\nx.jpg\n#EXT-X-ENDLIST\n", "lacks EXT-X-IMAGES-ONLY"),
        (
            "#EXTM3U\n#EXT-X-IMAGES-ONLY\n#EXTINF:2,\nmaster_Thumbnail_000000001.jpg\n"
            "#EXT-X-ENDLIST\n",
            "lacks EXTINF or EXT-X-TILES",
        ),
        (
            "#EXTM3U\n#EXT-X-IMAGES-ONLY\n#EXTINF:2,\n"
            "#EXT-X-TILES:RESOLUTION=0x0,LAYOUT=999999999999x1,DURATION=nan\nx.jpg\n"
            "#EXT-X-ENDLIST\n",
            "EXT-X-TILES needs RESOLUTION, LAYOUT, DURATION",
        ),
        (
            "#EXTM3U\n#EXT-X-IMAGES-ONLY\n#EXTINF:2,\n"
            "#EXT-X-TILES:RESOLUTION=312x176,LAYOUT=3x3,DURATION=0\nx.jpg\n#EXT-X-ENDLIST\n",
            "zero size, grid or duration",
        ),
        ("#EXTM3U\n#EXT-X-IMAGES-ONLY\n#EXT-X-ENDLIST\n", "lists no tile"),
    ],
)
def test_broken_image_playlists_get_a_verdict(tmp_path: Path, playlist: str, reason: str) -> None:
    master = write_output(tmp_path)
    (tmp_path / "master_Thumbnail.m3u8").write_text(playlist)
    ok, message = run(master)["tiles.playlist"]
    assert not ok and reason in message


def test_hostile_uris_and_bytes_get_a_verdict(tmp_path: Path) -> None:
    master = write_output(tmp_path)
    assert run(master, master_text(uri="../../etc/passwd"))["tiles.playlist"][0] is False
    assert run(master, master_text(uri="/etc/passwd"))["tiles.playlist"][0] is False
    (tmp_path / "master_Thumbnail.m3u8").write_bytes(b"\xff\xfe\x00#EXTM3U")
    assert run(master)["tiles.playlist"][0] is False
    escaping = trickplay.image_playlist("master", TILES, [18.0]).replace(
        "master_Thumbnail_000000001.jpg", "../master.m3u8"
    )
    (tmp_path / "master_Thumbnail.m3u8").write_text(escaping)
    image = run(master)["tiles.image"]
    assert image[0] is False and "not a file beside the playlist" in image[1]
    (tmp_path / "master_Thumbnail_000000001.jpg").write_bytes(b"\xff\xd8" + b"\xff" * 5000)
    (tmp_path / "master_Thumbnail.m3u8").write_text(
        trickplay.image_playlist("master", TILES, [18.0])
    )
    assert run(master)["tiles.image"][0] is False
