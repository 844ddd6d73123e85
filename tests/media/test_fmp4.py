"""The fragmented-MP4 box reader: real init and media segments, and broken ones refused
with Fmp4Error, never another exception."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.binary import choose_ffmpeg
from vod_testbed.media.fmp4 import Fmp4Error, boxes, read_fragments, read_init


@pytest.fixture(scope="module")
def track(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[bytes]]:
    """A 2 s CMAF video track: 1 s segments of two 0.5 s fragments, 25 fps."""
    folder = tmp_path_factory.mktemp("fmp4")
    argv = [
        choose_ffmpeg(None), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
        "-i", "testsrc2=size=160x90:rate=25:duration=2", "-c:v", "libx264", "-preset",
        "ultrafast", "-g", "12", "-f", "dash", "-seg_duration", "1", "-frag_type", "duration",
        "-frag_duration", "0.5", "-format_options", "movflags=+cmaf:brand=cmfc",
        "-init_seg_name", "vinit.cmfv", "-media_seg_name", "v_$Number%09d$.cmfv",
        str(folder / "scratch.mpd"),
    ]  # fmt: skip
    subprocess.run(argv, check=True, timeout=60)
    segments = sorted(folder.glob("v_*.cmfv"))
    return (folder / "vinit.cmfv").read_bytes(), [s.read_bytes() for s in segments]


def test_an_init_segment_names_its_track(track: tuple[bytes, list[bytes]]) -> None:
    init = read_init(track[0])
    assert (init.brands[0], init.handler, init.sample_entry) == ("cmfc", "vide", "avc1")
    assert (init.width, init.height) == (160, 90)
    assert init.codecs.startswith("avc1.") and len(init.codecs) == 11


def test_fragments_add_up_to_the_track(track: tuple[bytes, list[bytes]]) -> None:
    init = read_init(track[0])
    fragments = [f for data in track[1] for f in read_fragments(data, init)]
    assert sum(f.duration for f in fragments) / init.timescale == pytest.approx(2.0, abs=0.01)
    assert len(fragments) >= 4  # 0.5 s fragments in 1 s segments
    assert [f.sequence for f in fragments] == sorted({f.sequence for f in fragments})
    ends = [f.decode_time + f.duration for f in fragments]
    assert [f.decode_time for f in fragments[1:]] == ends[:-1]
    assert fragments[0].starts_with_sync and fragments[0].first_sample_end < fragments[0].end


def _box(kind: bytes, body: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x00\x00",  # stray bytes
        struct.pack(">I", 4) + b"ftyp",  # a box smaller than its header
        struct.pack(">I", 1 << 30) + b"moov",  # a box larger than the file
        struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", 8),  # a 64-bit size too small
        _box(b"ftyp", b"isom\x00\x00\x00\x00") + _box(b"moov"),  # no track
        _box(b"ftyp") + _box(b"moov", _box(b"trak", _box(b"mdia", _box(b"mdhd", b"\x00")))),
        _box(b"moof") + _box(b"mdat"),  # media where an init segment should be
    ],
)
def test_broken_init_segments_are_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(Fmp4Error):
        read_init(data)


def test_broken_media_segments_are_refused_with_a_reason(
    track: tuple[bytes, list[bytes]],
) -> None:
    init = read_init(track[0])
    good = track[1][0]
    moof = next(b for b in boxes(good) if b.type == "moof")
    no_moof = b"".join(good[b.offset : b.end] for b in boxes(good) if b.type != "moof")
    for data in (
        no_moof,
        good[: moof.end],  # a moof without its mdat
        good[: moof.offset + 40] + b"\x00" * (moof.size - 40) + good[moof.end :],  # zeroed
        b"\xff" * 64,
    ):
        with pytest.raises(Fmp4Error):
            read_fragments(data, init)


def test_a_truncated_trun_is_refused(track: tuple[bytes, list[bytes]], tmp_path: Path) -> None:
    init = read_init(track[0])
    data = bytearray(track[1][0])
    at = data.find(b"trun")
    data[at + 8 : at + 12] = struct.pack(">I", 1_000_000)  # sample count beyond the box
    with pytest.raises(Fmp4Error, match="trun"):
        read_fragments(bytes(data), init)
