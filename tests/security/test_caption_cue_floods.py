"""A caption file of hundreds of thousands of cues (a 32 MiB sidecar is allowed to the
emulator) over a long video must not cost cues x segments: before, each segment scanned every
cue (200 000 cues over 1 200 six-second segments: 30 s of one core). The writer now reads the
cues once; what each segment shows is unchanged (a cue over a boundary in both)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

from vod_testbed.backends.captions import CaptionTrack
from vod_testbed.backends.ffmpeg.captions import CaptionCues, write_caption_rendition
from vod_testbed.media.captions import CaptionFormat, Cue, read_cues


class CountedCues(Sequence[Cue]):
    """The cues, counting how many times they are read from the start."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = tuple(cues)
        self.passes = 0

    def __iter__(self) -> Iterator[Cue]:
        self.passes += 1
        return iter(self.cues)

    def __len__(self) -> int:
        return len(self.cues)

    @overload
    def __getitem__(self, index: int) -> Cue: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Cue]: ...
    def __getitem__(self, index: int | slice) -> Cue | Sequence[Cue]:
        return self.cues[index]


def test_the_cues_are_read_once_whatever_the_number_of_segments(tmp_path: Path) -> None:
    cues = CountedCues([Cue(i * 0.5, i * 0.5 + 0.4, f"cue {i}") for i in range(2000)])
    track = CaptionTrack("s3://b/captions.srt", CaptionFormat.SRT)
    files = write_caption_rendition(
        tmp_path,
        "master",
        CaptionCues(track, cues),  # type: ignore[arg-type]  # a counting Sequence
        [2.0] * 500,
        0.0,
    )
    assert len(files.segments) == 500
    assert cues.passes <= 2


def test_each_segment_shows_the_cues_over_it_and_a_long_cue_in_every_one(tmp_path: Path) -> None:
    cues = (Cue(0.0, 5.0, "long"), Cue(1.0, 1.5, "first"), Cue(4.5, 4.8, "third"))
    track = CaptionTrack("s3://b/captions.srt", CaptionFormat.SRT)
    files = write_caption_rendition(tmp_path, "master", CaptionCues(track, cues), [2.0] * 3, 0.0)
    shown = [
        sorted(c.text for c in read_cues(p.read_bytes(), CaptionFormat.WEBVTT))
        for p in files.segments
    ]
    assert shown == [["first", "long"], ["long"], ["long", "third"]]
