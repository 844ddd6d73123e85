"""S3 URIs, transfers and downloads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from boto3.s3.transfer import TransferConfig

from vod_testbed.common import errors
from vod_testbed.storage import s3
from vod_testbed.storage.s3 import MissingBucketError, Storage, parse_s3_uri

MIB = 2**20


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


@pytest.mark.parametrize(("size", "parts"), [(1000, None), (11 * MIB, 3)])
def test_a_file_goes_up_and_comes_back_whole_in_one_request_or_in_parts(
    storage: Storage,
    s3_prefix: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
    parts: int | None,
) -> None:
    # The smallest parts S3 takes (5 MiB), so a test-sized file crosses the threshold.
    config = TransferConfig(multipart_threshold=6 * MIB, multipart_chunksize=5 * MIB)
    monkeypatch.setattr(s3, "TRANSFER", config)
    data = os.urandom(size)
    (tmp_path / "up.ts").write_bytes(data)
    uri = f"{s3_prefix}/hls/up.ts"
    storage.put(tmp_path / "up.ts", uri)
    loc = parse_s3_uri(uri)
    head = storage.client.head_object(Bucket=loc.bucket, Key=loc.key)
    assert head["ContentType"] == "video/mp2t"
    # A multipart object's ETag ends with its part count.
    assert head["ETag"].strip('"').partition("-")[2] == (str(parts) if parts else "")
    back = storage.fetch(uri, tmp_path / "down" / "back.ts")
    assert back.read_bytes() == data
    assert [p.name for p in back.parent.iterdir()] == ["back.ts"]


def test_a_missing_object_is_file_not_found_and_leaves_no_file(
    storage: Storage, s3_prefix: str, tmp_path: Path
) -> None:
    with pytest.raises(errors.TranscodeError) as raised:
        storage.fetch(f"{s3_prefix}/nothing.ts", tmp_path / "got.ts")
    assert raised.value.code == errors.FILE_NOT_FOUND
    assert list(tmp_path.iterdir()) == []
