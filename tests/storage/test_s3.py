"""S3 URIs and downloads."""

from __future__ import annotations

import pytest

from vod_testbed.storage.s3 import MissingBucketError, Storage, parse_s3_uri


def test_s3_uris():
    loc = parse_s3_uri("s3://bucket/a/b c.mp4")
    assert (loc.bucket, loc.key) == ("bucket", "a/b c.mp4")
    with pytest.raises(ValueError, match="no bucket"):
        parse_s3_uri("s3:///key")


def test_download_tree_never_writes_outside_its_folder(tmp_path):
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


def test_a_missing_bucket_is_not_created_where_creating_is_not_allowed(storage):
    name = "missing-bucket-not-created"
    with pytest.raises(MissingBucketError, match="missing-bucket-not-created"):
        storage.ensure_bucket(name, create=False)
    with pytest.raises(storage.client.exceptions.ClientError):
        storage.client.head_bucket(Bucket=name)


def test_a_missing_bucket_is_created_on_a_local_s3(storage):
    storage.ensure_bucket("created-on-local-s3")
    storage.client.head_bucket(Bucket="created-on-local-s3")
