"""The FFmpeg backend's caption files, without a transcode: the size limit, segmenting on
the video's boundaries with X-TIMESTAMP-MAP, and the master's SUBTITLES lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from vod_testbed.backends.captions import CaptionTrack
from vod_testbed.backends.ffmpeg import captions
from vod_testbed.backends.ffmpeg.captions import (
    CaptionCues,
    media_lines,
    read_caption_file,
    write_caption_rendition,
)
from vod_testbed.common import errors
from vod_testbed.media.captions import CaptionFormat, Cue

TRACK = CaptionTrack("s3://b/in/talk.srt", CaptionFormat.SRT, "eng", 'Say "hi"')


def test_a_file_far_larger_than_captions_is_refused_unread(tmp_path, monkeypatch):
    big = tmp_path / "talk.srt"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(captions, "MAX_CAPTION_FILE_BYTES", 1024)
    with pytest.raises(errors.TranscodeError) as caught:
        read_caption_file(TRACK, big)
    assert caught.value.code == errors.INPUT_ERROR
    assert caught.value.message.startswith("Caption file talk.srt is 2048 bytes")


def test_segments_follow_the_video_and_map_cue_time_zero_to_its_first_timestamp(
    tmp_path: Path,
):
    cues = (Cue(0.5, 2.5, "spans the boundary"), Cue(4.2, 4.8, "last"))
    files = write_caption_rendition(
        tmp_path, "master", CaptionCues(TRACK, cues), [2.0, 2.0, 1.0], 1.4
    )
    assert [p.name for p in files.segments] == [
        "master_captions_eng_00001.vtt",
        "master_captions_eng_00002.vtt",
        "master_captions_eng_00003.vtt",
    ]
    first, second, third = (p.read_text() for p in files.segments)
    assert first.startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n")
    assert "spans the boundary" in first and "spans the boundary" in second
    assert "last" not in second and "00:00:04.200 --> 00:00:04.800\nlast" in third
    playlist = files.playlist.read_text()
    assert playlist.splitlines()[:5] == [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-TARGETDURATION:2",
        "#EXT-X-MEDIA-SEQUENCE:1",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    assert playlist.endswith("#EXTINF:1.000,\nmaster_captions_eng_00003.vtt\n#EXT-X-ENDLIST\n")
    # A name with a double quote cannot break the quoted-string attribute.
    (line,) = media_lines([files], "subs")
    assert line == (
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Say \'hi\'",DEFAULT=YES,'
        'AUTOSELECT=YES,FORCED=NO,LANGUAGE="eng",URI="master_captions_eng.m3u8"'
    )
