"""Presigned S3 GET URLs at playlist speed, and CloudFront signed URLs for a CDN.

:class:`S3UrlSigner` computes AWS Signature V4 query-string signatures itself: botocore's
client costs about 0.4 ms per URL (60 us through ``botocore.auth``), and the media playlist
of a one-hour lecture names 600 segments. The SigV4 signing key is derived once per day and
reused, so a URL costs two SHA-256 operations. Its output is identical to botocore's for the
same time and credentials (the tests compare them).

:class:`CloudFrontUrlSigner` signs one custom policy with a wildcard resource per playlist
(an RSA signature each, via botocore's ``CloudFrontSigner``) and appends it to every URL.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlsplit

from botocore.credentials import ReadOnlyCredentials

MAX_PRESIGN_S = 7 * 24 * 3600  # SigV4's limit
_ALGORITHM = "AWS4-HMAC-SHA256"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlSigner(Protocol):
    """Turns object keys into URLs a player can GET until ``expires_at``."""

    def batch(self, expires_at: int, prefix: str) -> Callable[[str], str]:
        """A function signing many keys under ``prefix`` with one expiry (what a playlist
        needs)."""
        ...

    def attachment(self, expires_at: int, key: str, filename: str) -> str:
        """A URL of ``key`` that a browser saves as ``filename`` (a download link)."""
        ...


def content_disposition(filename: str) -> str:
    """``attachment; filename="..."``: ``filename`` is a sanitised name (ASCII, no quotes)."""
    return f'attachment; filename="{filename}"'


@lru_cache(maxsize=16)
def _signing_key(secret_key: str, datestamp: str, region: str) -> bytes:
    key = ("AWS4" + secret_key).encode()
    for part in (datestamp, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _encode(value: str, safe: str = "-_.~") -> str:
    return quote(value, safe=safe)


class S3UrlSigner:
    """Presigned GETs for the objects of one bucket.

    Args:
        endpoint_url: the S3 endpoint as players reach it (path-style addressing, as
            :func:`vod_testbed.storage.s3.s3_client` uses); ``None``: AWS, virtual-hosted.
        region: the bucket's region.
        bucket: the bucket.
        credentials: returns current credentials (refreshed ones for an IAM role).
        clock: epoch seconds.
    """

    def __init__(
        self,
        endpoint_url: str | None,
        region: str,
        bucket: str,
        credentials: Callable[[], ReadOnlyCredentials],
        clock: Callable[[], float] = time.time,
    ) -> None:
        if endpoint_url:
            parts = urlsplit(endpoint_url.rstrip("/"))
            host = parts.hostname or ""
            if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
                host = f"{host}:{parts.port}"
            self._origin = f"{parts.scheme}://{host}"
            self._path_prefix = f"{parts.path}/{bucket}/"
        else:
            host = f"{bucket}.s3.{region}.amazonaws.com"
            self._origin = f"https://{host}"
            self._path_prefix = "/"
        self._host = host
        self._region = region
        self._credentials = credentials
        self._clock = clock

    def attachment(self, expires_at: int, key: str, filename: str) -> str:
        """S3 answers this URL with ``Content-Disposition: attachment`` (the signed
        ``response-content-disposition`` parameter, botocore's ResponseContentDisposition)."""
        extra = {"response-content-disposition": content_disposition(filename)}
        return self.batch(expires_at, extra=extra)(key)

    def batch(
        self, expires_at: int, prefix: str = "", extra: dict[str, str] | None = None
    ) -> Callable[[str], str]:
        """Sign keys until ``expires_at`` (``prefix`` is not needed: each URL is signed);
        ``extra`` query parameters are signed with them."""
        now = int(self._clock())
        expires_s = min(max(1, expires_at - now), MAX_PRESIGN_S)
        creds = self._credentials()
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
        scope = f"{amz_date[:8]}/{self._region}/s3/aws4_request"
        params = {
            "X-Amz-Algorithm": _ALGORITHM,
            "X-Amz-Credential": f"{creds.access_key}/{scope}",
            "X-Amz-Date": amz_date,
            "X-Amz-Expires": str(expires_s),
            "X-Amz-SignedHeaders": "host",
        }
        if creds.token:
            params["X-Amz-Security-Token"] = creds.token
        params.update(extra or {})
        canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
        # The URL keeps botocore's parameter order; the signature covers them sorted.
        query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in params.items())
        key = _signing_key(creds.secret_key, amz_date[:8], self._region)
        head = "GET\n"
        tail = f"\n{canonical_query}\nhost:{self._host}\n\nhost\nUNSIGNED-PAYLOAD"
        prefix = f"{_ALGORITHM}\n{amz_date}\n{scope}\n"

        folders: dict[str, str] = {}  # a playlist's keys share their folder: encode it once

        def sign(object_key: str) -> str:
            folder, _, name = (self._path_prefix + object_key).rpartition("/")
            encoded = folders.get(folder)
            if encoded is None:
                encoded = folders[folder] = _encode(folder, safe="/-_.~")
            path = f"{encoded}/{_encode(name)}"
            digest = hashlib.sha256((head + path + tail).encode()).hexdigest()
            signature = hmac.digest(key, (prefix + digest).encode(), "sha256").hex()
            return f"{self._origin}{path}?{query}&X-Amz-Signature={signature}"

        return sign


class CloudFrontUrlSigner:
    """Signed URLs of a CloudFront distribution in front of the bucket (``PLAYBACK_BASE_URL``).

    Args:
        base_url: the distribution's URL; object keys are appended to it.
        key_pair_id: the public key's id in the distribution's key group.
        private_key_pem: the matching RSA private key (PEM).
    """

    def __init__(self, base_url: str, key_pair_id: str, private_key_pem: bytes) -> None:
        from botocore.signers import CloudFrontSigner
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        private_key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError("the CloudFront private key must be an RSA key")

        def rsa_sign(message: bytes) -> bytes:
            # CloudFront verifies SHA-1 RSA signatures (PKCS#1 v1.5).
            return private_key.sign(message, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303

        self.base_url = base_url.rstrip("/")
        self._signer = CloudFrontSigner(key_pair_id, rsa_sign)

    @classmethod
    def from_file(cls, base_url: str, key_pair_id: str, path: Path) -> CloudFrontUrlSigner:
        return cls(base_url, key_pair_id, path.read_bytes())

    def attachment(self, expires_at: int, key: str, filename: str) -> str:
        """A signed URL of ``key``: a distribution serves the object's own headers, so the
        download's name comes from the link's ``download`` attribute."""
        return self.batch(expires_at, key)(key)

    def batch(self, expires_at: int, prefix: str = "") -> Callable[[str], str]:
        """Sign keys under ``prefix`` until ``expires_at`` with one wildcard policy."""
        resource = f"{self.base_url}/{_encode(prefix, safe='/-_.~')}*"
        policy = self._signer.build_policy(resource, datetime.fromtimestamp(expires_at, UTC))
        signed = self._signer.generate_presigned_url(resource, policy=policy)
        query = signed.partition("?")[2]

        def sign(object_key: str) -> str:
            return f"{self.base_url}/{_encode(object_key, safe='/-_.~')}?{query}"

        return sign


class PlainUrls:
    """URLs of a CDN that needs no signature in the URL (public, or authorised by signed
    cookies the platform sets on its own domain)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def attachment(self, expires_at: int, key: str, filename: str) -> str:
        """The object's URL (its name comes from the link's ``download`` attribute)."""
        return self.batch(expires_at)(key)

    def batch(self, expires_at: int, prefix: str = "") -> Callable[[str], str]:
        """Join keys to the base URL (the expiry is the cookies' business)."""
        return lambda key: f"{self.base_url}/{_encode(key, safe='/-_.~')}"
