"""Sidecar caption files: read (SRT, WebVTT, SCC), shifted by TimeDelta, refused when unusable."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from vod_testbed.media.captions import (
    CaptionFileError,
    CaptionFormat,
    Cue,
    count_cues,
    fit_to_duration,
    read_cues,
    srt,
    webvtt,
)

SRT = b"""1
00:00:00,500 --> 00:00:01,500
Hello & <i>welcome</i>

2
00:00:02,000 --> 00:00:03,250
Second line
two rows
"""

VTT = b"""WEBVTT

00:00.500 --> 00:01.500 align:start
Hello

00:02.000 --> 00:03.000
Again
"""

# "Hello world" in pop-on CEA-608 byte pairs (odd parity), shown at 00:00:00;15 and
# cleared at 00:00:02:00 (SCC timecodes are 29.97 fps frames).
SCC = (
    b"Scenarist_SCC V1.0\n\n"
    b"00:00:00:00\t9420 9420 94ae 94ae 9452 9452 97a2 97a2 "
    b"c8e5 ecec ef20 f7ef f2ec 6480 942c 942c 942f 942f\n\n"
    b"00:00:02:00\t942c 942c\n\n"
)


def test_srt_is_read_with_times_text_and_shared_markup():
    cues = read_cues(SRT, CaptionFormat.SRT)
    assert cues == (
        Cue(0.5, 1.5, "Hello & <i>welcome</i>"),
        Cue(2.0, 3.25, "Second line\ntwo rows"),
    )
    text = webvtt(cues)
    assert text.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nHello &amp; <i>welcome</i>\n")


def test_webvtt_is_read():
    assert [(c.start_s, c.end_s, c.text) for c in read_cues(VTT, CaptionFormat.WEBVTT)] == [
        (0.5, 1.5, "Hello"),
        (2.0, 3.0, "Again"),
    ]


def test_scc_pop_on_caption_is_decoded():
    (cue,) = read_cues(SCC, CaptionFormat.SCC)
    assert cue.text == "Hello world"
    assert 0.0 < cue.start_s < 1.0
    assert cue.end_s == pytest.approx(2.0, abs=0.05)


def test_time_delta_shifts_every_cue_and_drops_those_before_zero():
    later = read_cues(SRT, CaptionFormat.SRT, time_delta_s=1.25)
    assert [(c.start_s, c.end_s) for c in later] == [(1.75, 2.75), (3.25, 4.5)]
    earlier = read_cues(SRT, CaptionFormat.SRT, time_delta_s=-1.75)
    assert [(c.start_s, c.end_s) for c in earlier] == [(0.25, 1.5)]


@pytest.mark.parametrize(
    ("data", "fmt", "reason"),
    [
        (b"\x00\x00\x00\x18ftypmp42" + bytes(64), CaptionFormat.SRT, "is not a text file"),
        ("1\n00:00:00,000 --> 00:00:01,000\nCaf\u00e9\n".encode("latin-1"), CaptionFormat.SRT,
         "is not UTF-8: byte 0xE9 at offset 35"),
        (b"   \n", CaptionFormat.SRT, "is empty"),
        (b"WEBVTT\n\n", CaptionFormat.WEBVTT, "holds no captions"),
        (b"just some notes\n", CaptionFormat.SRT, "does not read as SRT captions"),
        (SRT, CaptionFormat.WEBVTT, "does not read as WEBVTT captions"),
        (VTT, CaptionFormat.SCC, "does not read as SCC captions"),
    ],
)  # fmt: skip
def test_unusable_files_are_refused_with_their_reason(data, fmt, reason):
    with pytest.raises(CaptionFileError, match=reason.replace("(", r"\(")):
        read_cues(data, fmt)


def test_a_cue_past_the_end_of_the_video_is_refused_and_the_last_one_cut():
    cues = read_cues(SRT, CaptionFormat.SRT)
    assert fit_to_duration(cues, 3.0)[-1] == Cue(2.0, 3.0, "Second line\ntwo rows")
    with pytest.raises(CaptionFileError, match=r"1 caption\(s\) past the end.*00:00:02.000"):
        fit_to_duration(cues, 1.2)


def test_format_from_file_name():
    assert CaptionFormat.from_name("a.SRT") is CaptionFormat.SRT
    assert CaptionFormat.from_name("b.webvtt") is CaptionFormat.WEBVTT
    assert CaptionFormat.from_name("c.scc") is CaptionFormat.SCC
    assert CaptionFormat.from_name("d.txt") is None


def test_a_million_cues_are_refused_from_one_scan_of_the_text() -> None:
    data = b"1\n00:00:00,000 --> 00:00:00,001\na\n\n" * 1_000_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(CaptionFileError, match="has 1000000 cues, more than the 20000"):
            read_cues(data, CaptionFormat.SRT, max_cues=20_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    # The decoded text and nothing per cue: pycaption would hold a million objects.
    assert peak < 3 * len(data), peak


def test_scc_events_are_counted_by_their_timecoded_lines() -> None:
    scc = "Scenarist_SCC V1.0\n\n" + "".join(
        f"00:00:{s:02d}:00\t9420 9420 94ae 94ae c8e5 ecec ef80 942c 942c 942f 942f\n\n"
        for s in range(30)
    )
    assert count_cues(scc, CaptionFormat.SCC) == 30
    with pytest.raises(CaptionFileError, match="has 30 cues, more than the 10"):
        read_cues(scc.encode(), CaptionFormat.SCC, max_cues=10)


def test_srt_written_reads_back_as_the_same_cues() -> None:
    cues = (Cue(0.0, 1.5, "Hello <b>there</b>"), Cue(2.0, 3.25, "Two\nlines"))
    text = srt(cues)
    assert text.startswith("1\n00:00:00,000 --> 00:00:01,500\nHello <b>there</b>\n\n2\n")
    assert read_cues(text.encode(), CaptionFormat.SRT) == cues
    # A blank line would end the cue early (and could start a forged one): left out.
    assert srt((Cue(0.0, 1.0, "a\n\n2\n00:00:05,000 --> 00:00:06,000\nb"),)).count("\n\n") == 0


def test_a_track_whose_every_cue_starts_at_the_end_is_refused_not_left_empty() -> None:
    with pytest.raises(CaptionFileError, match="has no caption within the video"):
        fit_to_duration((Cue(2.0, 2.5, "late"),), 2.0)


def test_one_scc_line_of_a_whole_file_of_pairs_is_counted_by_its_pairs() -> None:
    line = "00:00:00:00\t9420 " + " ".join(["c8e5"] * 400_000) + " 942f\n"
    scc = "Scenarist_SCC V1.0\n\n" + line
    assert count_cues(scc, CaptionFormat.SCC) == 25_000
    started = time.monotonic()
    with pytest.raises(CaptionFileError, match="has 25000 cues"):
        read_cues(scc.encode(), CaptionFormat.SCC, max_cues=20_000)
    assert time.monotonic() - started < 5


def test_a_parser_complaint_is_cut_short_in_the_message() -> None:
    scc = "Scenarist_SCC V1.0\n\n00:00:00:00\t9420 " + " ".join(["c8e5"] * 2000) + " 942f\n"
    with pytest.raises(CaptionFileError) as caught:
        read_cues(scc.encode(), CaptionFormat.SCC)
    assert len(str(caught.value)) < 300, len(str(caught.value))
