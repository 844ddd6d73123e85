"""Object storage: ``s3://bucket/key`` on any S3 (AWS, MinIO, the embedded server) or a
local path, behind the same few functions. Transfers stream through files; no object is
ever held whole in memory, and large ones go multipart.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import secrets
import shutil
from collections.abc import Iterator, MutableSequence, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from vod_testbed.common import errors
from vod_testbed.common.settings import BackendSettings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)

# 16 MiB parts above 64 MiB: few requests for big masters, streaming for all.
TRANSFER = TransferConfig(multipart_threshold=64 * 2**20, multipart_chunksize=16 * 2**20)
COPY_CHUNK = 2**20

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".jpg": "image/jpeg",
    ".mp4": "video/mp4",
}


@dataclass(frozen=True)
class S3Uri:
    bucket: str
    key: str

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def is_s3(uri: str) -> bool:
    return uri.startswith("s3://")


def parse_s3_uri(uri: str) -> S3Uri:
    """``s3://bucket/some/key`` -> S3Uri. Raises InvalidRequestError if malformed."""
    if not is_s3(uri):
        raise errors.InvalidRequestError("uri", f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise errors.InvalidRequestError("uri", f"no bucket in {uri!r}")
    return S3Uri(bucket, key)


def s3_client(settings: BackendSettings | None = None) -> S3Client:
    settings = settings or BackendSettings.from_env()
    return boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.aws_region,
        aws_access_key_id=settings.aws_access_key_id,
        aws_secret_access_key=settings.aws_secret_access_key,
        config=Config(
            # SigV4 everywhere: presigned PUTs then sign Content-Type and Content-Length.
            signature_version="s3v4",
            s3={"addressing_style": "path"} if settings.s3_endpoint_url else {},
            retries={"max_attempts": 5, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
        ),
    )


def content_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def storage_error(exc: Exception, uri: str, action: str) -> errors.TranscodeError:
    """Map a boto/OS error onto MediaConvert's codes with a message naming the object."""
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in ("NoSuchKey", "NoSuchBucket", "404", "NotFound") or status == 404:
            return errors.TranscodeError(
                errors.FILE_NOT_FOUND, f"Failed to {action} {uri}: the object does not exist"
            )
        if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return errors.TranscodeError(
                errors.PERMISSIONS_ERROR, f"Failed to {action} {uri}: access denied ({code})"
            )
        return errors.TranscodeError(errors.FILE_OPEN_ERROR, f"Failed to {action} {uri}: {code}")
    if isinstance(exc, FileNotFoundError):
        return errors.TranscodeError(
            errors.FILE_NOT_FOUND, f"Failed to {action} {uri}: no such file"
        )
    if isinstance(exc, BotoCoreError | OSError):
        return errors.TranscodeError(
            errors.FILE_OPEN_ERROR, f"Failed to {action} {uri}: storage unreachable ({exc})"
        )
    return errors.TranscodeError(errors.UNKNOWN_ERROR, f"Failed to {action} {uri}: {exc}")


class MissingBucketError(RuntimeError):
    """The media bucket does not exist (or cannot be seen) where it is not created."""


class Storage:
    """Reads and writes ``s3://`` URIs and local paths alike."""

    def __init__(self, settings: BackendSettings | None = None, client: Any = None) -> None:
        self._settings = settings or BackendSettings.from_env()
        self._client = client

    @property
    def client(self) -> S3Client:
        if self._client is None:
            self._client = s3_client(self._settings)
        return self._client

    def fetch(self, uri: str, dest: Path) -> Path:
        """Copy ``uri`` to the local file ``dest`` (streamed). Raises TranscodeError."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            if is_s3(uri):
                self._fetch_object(parse_s3_uri(uri), dest)
            else:
                shutil.copyfile(uri, dest)
        except errors.InvalidRequestError:
            raise
        except Exception as exc:
            raise storage_error(exc, uri, "read") from exc
        return dest

    def _fetch_object(self, loc: S3Uri, dest: Path) -> None:
        # One GET streamed to a file beside ``dest``, renamed when whole. s3transfer's ranged
        # GETs in parallel only pay off for large objects; for a segment its thread pool and
        # HEAD cost more than the transfer.
        response = self.client.get_object(Bucket=loc.bucket, Key=loc.key)
        body = response["Body"]
        if response["ContentLength"] >= TRANSFER.multipart_threshold:
            body.close()
            self.client.download_file(loc.bucket, loc.key, str(dest), Config=TRANSFER)
            return
        partial = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
        try:
            with body, partial.open("wb") as out:
                shutil.copyfileobj(body, out, COPY_CHUNK)
            partial.replace(dest)
        finally:
            partial.unlink(missing_ok=True)

    def put(self, src: Path, uri: str) -> None:
        """Write the local file ``src`` to ``uri`` (multipart when large)."""
        try:
            if is_s3(uri):
                loc = parse_s3_uri(uri)
                kind = content_type(loc.key)
                if src.stat().st_size >= TRANSFER.multipart_threshold:
                    self.client.upload_file(
                        str(src),
                        loc.bucket,
                        loc.key,
                        ExtraArgs={"ContentType": kind},
                        Config=TRANSFER,
                    )
                else:  # one PUT, without s3transfer's thread pool (see _fetch_object)
                    with src.open("rb") as body:
                        self.client.put_object(
                            Bucket=loc.bucket, Key=loc.key, Body=body, ContentType=kind
                        )
            else:
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, uri)
        except Exception as exc:
            raise storage_error(exc, uri, "write") from exc

    def put_many(
        self,
        pairs: list[tuple[Path, str]],
        workers: int = 8,
        written: MutableSequence[str] | None = None,
    ) -> None:
        """Upload many small files concurrently; raises the first failure. Each URI whose
        write succeeded is appended to ``written`` (so a caller can withdraw exactly those)."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(self.put, src, uri): uri for src, uri in pairs}
            failure: BaseException | None = None
            for future, uri in futures.items():
                try:
                    future.result()
                except BaseException as exc:
                    failure = failure or exc
                else:
                    if written is not None:
                        written.append(uri)
            if failure is not None:
                raise failure

    def delete_many(self, uris: Sequence[str]) -> None:
        """Remove objects (missing ones are fine), S3 keys 1000 per request; failures are
        logged, not raised, since this runs while another error is already being reported."""
        by_bucket: dict[str, list[str]] = {}
        for uri in uris:
            if is_s3(uri):
                loc = parse_s3_uri(uri)
                by_bucket.setdefault(loc.bucket, []).append(loc.key)
            else:
                with contextlib.suppress(OSError):
                    Path(uri).unlink(missing_ok=True)
        for bucket, keys in by_bucket.items():
            for start in range(0, len(keys), 1000):
                chunk = keys[start : start + 1000]
                try:
                    self.client.delete_objects(
                        Bucket=bucket,
                        Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True},
                    )
                except Exception as exc:
                    log.warning(
                        "could not remove %d object(s) from %s: %s", len(chunk), bucket, exc
                    )

    def exists(self, uri: str) -> bool:
        """Whether the object (or local file) ``uri`` exists; other storage errors raise."""
        if not is_s3(uri):
            return Path(uri).is_file()
        loc = parse_s3_uri(uri)
        try:
            self.client.head_object(Bucket=loc.bucket, Key=loc.key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def list(self, prefix_uri: str) -> Iterator[str]:
        """URIs of every object under a folder URI (recursive)."""
        if is_s3(prefix_uri):
            loc = parse_s3_uri(prefix_uri)
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=loc.bucket, Prefix=loc.key):
                for obj in page.get("Contents", []):
                    yield f"s3://{loc.bucket}/{obj['Key']}"
        else:
            root = Path(prefix_uri)
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        yield str(path)

    def download_tree(self, prefix_uri: str, dest: Path) -> Path:
        """Mirror every object under ``prefix_uri`` into ``dest``; returns ``dest``."""
        base = prefix_uri.rstrip("/") + "/"
        root = dest.resolve()
        pairs = []
        for uri in self.list(base):
            target = (dest / uri[len(base) :]).resolve()
            # A key such as "hls/../../x" must not write outside dest: skip it.
            if not target.is_relative_to(root) or target == root:
                log.warning("skipping %s: its key leaves the download folder", uri)
                continue
            pairs.append((uri, target))
        with ThreadPoolExecutor(max_workers=8) as pool:
            for future in [pool.submit(self.fetch, uri, path) for uri, path in pairs]:
                future.result()
        return dest

    def ensure_bucket(self, bucket: str, *, create: bool = True) -> None:
        """Check that ``bucket`` answers HeadBucket; create it when missing and ``create``.

        Raises:
            MissingBucketError: the bucket cannot be reached and is not to be created.
        """
        try:
            self.client.head_bucket(Bucket=bucket)
        except ClientError as exc:
            if not create:
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                raise MissingBucketError(
                    f"S3 bucket {bucket!r} is not reachable (HeadBucket answered {status}): "
                    "create it, or grant s3:ListBucket on it; the pipeline creates buckets "
                    "only on a local S3 (S3_ENDPOINT_URL)"
                ) from exc
            kwargs: dict[str, Any] = {"Bucket": bucket}
            region = self._settings.aws_region
            if region != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
            self.client.create_bucket(**kwargs)
