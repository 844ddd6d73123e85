"""Object names, exactly as MediaConvert writes them, and the default output layout."""

from __future__ import annotations

import pytest

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest


def test_mediaconvert_file_names():
    assert naming.master_playlist_name("master") == "master.m3u8"
    assert naming.media_playlist_name("master", "_1080p") == "master_1080p.m3u8"
    assert naming.segment_name("master", "_1080p", 1) == "master_1080p_00001.ts"
    assert naming.thumbnail_name("master", "_thumb", 0) == "master_thumb.0000000.jpg"
    assert naming.thumbnail_regex("master", "_thumb").fullmatch("master_thumb.0000012.jpg")


def test_default_layout_follows_the_input_key():
    request = JobRequest.for_prefix("s3://media/video/u1/2026/11/abc-1700-clip.mp4")
    assert (
        request.hls_destination == "s3://media/video/u1/2026/11/abc-1700-clip_processed/hls/master"
    )
    assert request.thumbnail_destination == (
        "s3://media/video/u1/2026/11/abc-1700-clip_processed/thumbnails/master"
    )


def test_explicit_output_prefix():
    request = JobRequest.for_prefix("/tmp/in.mov", "s3://b/out/")
    assert request.hls_destination == "s3://b/out/hls/master"


def test_destination_without_base_name_uses_the_input_name():
    assert naming.destination_base("s3://b/p/hls/", "s3://b/in/My Clip.mp4") == (
        "s3://b/p/hls",
        "My Clip",
    )


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("holiday video.mp4", "holiday-video.mp4"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\clip.MOV", "clip.MOV"),
        ("Café déjà vu.mp4", "Cafe-deja-vu.mp4"),
        (".hidden.mp4", "hidden.mp4"),
        ("视频.mp4", "file.mp4"),
        ("a" * 300 + ".mp4", "a" * 116 + ".mp4"),
    ],
)
def test_file_names_are_sanitised_for_keys(raw, safe):
    assert naming.sanitize_filename(raw) == safe
