from __future__ import annotations

import pytest

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest, new_job_id
from vod_testbed.backends.registry import create_transcoder
from vod_testbed.common.errors import UnknownBackendError
from vod_testbed.common.settings import BackendSettings
from vod_testbed.storage.s3 import parse_s3_uri


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


def test_job_ids_look_like_mediaconvert_ids():
    job_id = new_job_id(1_700_000_000.123)
    millis, _, suffix = job_id.partition("-")
    assert millis == "1700000000123"
    assert len(suffix) == 6 and suffix.isalnum() and suffix.islower()


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(UnknownBackendError, match=r"unknown transcoder backend 'gpu'.*ffmpeg"):
        create_transcoder("gpu", BackendSettings())


def test_registry_builds_the_ffmpeg_backend_by_default():
    backend = create_transcoder(settings=BackendSettings.from_env({}))
    try:
        assert backend.name == "ffmpeg"
    finally:
        backend.close()


def test_settings_come_from_the_environment():
    settings = BackendSettings.from_env(
        {"TRANSCODER_BACKEND": "mediaconvert", "S3_BUCKET": "media", "FFMPEG_MAX_JOBS": "3"}
    )
    assert settings.transcoder_backend == "mediaconvert"
    assert settings.s3_bucket == "media"
    assert settings.max_concurrent_jobs == 3
    with pytest.raises(ValueError, match="FFMPEG_MAX_JOBS must be an integer"):
        BackendSettings.from_env({"FFMPEG_MAX_JOBS": "many"})


def test_s3_uris():
    loc = parse_s3_uri("s3://bucket/a/b c.mp4")
    assert (loc.bucket, loc.key) == ("bucket", "a/b c.mp4")
    with pytest.raises(ValueError, match="no bucket"):
        parse_s3_uri("s3:///key")


def test_download_tree_never_writes_outside_its_folder(tmp_path):
    from vod_testbed.storage.s3 import Storage

    class Listing(Storage):
        def list(self, prefix_uri):
            yield f"{prefix_uri}hls/master.m3u8"
            yield f"{prefix_uri}hls/../../escaped.txt"

        def fetch(self, uri, dest):
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(uri)
            return dest

    dest = tmp_path / "inside"
    Listing().download_tree("s3://b/out", dest)
    assert (dest / "hls" / "master.m3u8").is_file()
    assert not (tmp_path / "escaped.txt").exists()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["master.m3u8"]
