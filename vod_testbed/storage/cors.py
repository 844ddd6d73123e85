"""The bucket's CORS rules for a web page that uploads and plays from it.

A browser page on another origin (the console, a site's player) PUTs uploads to presigned
URLs and hls.js GETs presigned segments with XHR: both need the bucket to answer CORS for
that origin. Only what those two need is allowed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

log = logging.getLogger(__name__)

MAX_AGE_S = 3600


def console_origins(url: str) -> list[str]:
    """The origins a page served from ``url`` may have (``127.0.0.1`` is also reached as
    ``localhost``)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    origins = [origin]
    if parts.hostname in ("127.0.0.1", "localhost"):
        other = "localhost" if parts.hostname == "127.0.0.1" else "127.0.0.1"
        origins.append(f"{parts.scheme}://{other}" + (f":{parts.port}" if parts.port else ""))
    return origins


def cors_rules(origins: Sequence[str]) -> dict[str, Any]:
    """The ``CORSConfiguration`` letting ``origins`` PUT uploads and GET media."""
    return {
        "CORSRules": [
            {
                "AllowedOrigins": list(origins),
                "AllowedMethods": ["GET", "HEAD", "PUT"],
                # The presigned PUT signs Content-Type; hls.js may send Range.
                "AllowedHeaders": ["Content-Type", "Range"],
                "ExposeHeaders": ["ETag", "Content-Length", "Content-Range"],
                "MaxAgeSeconds": MAX_AGE_S,
            }
        ]
    }


def allow_origins(client: Any, bucket: str, origins: Sequence[str]) -> bool:
    """Set the bucket's CORS for ``origins``. Returns False (and says why in the log) when
    the storage has no bucket CORS API: MinIO takes ``MINIO_API_CORS_ALLOW_ORIGIN``
    instead."""
    try:
        client.put_bucket_cors(Bucket=bucket, CORSConfiguration=cors_rules(origins))
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NotImplemented", "NotImplementedError"):
            log.warning(
                "storage has no bucket CORS API (%s); allow %s on the server "
                "(MinIO: MINIO_API_CORS_ALLOW_ORIGIN)",
                code,
                ", ".join(origins),
            )
            return False
        raise
    log.info("bucket %s answers CORS for %s", bucket, ", ".join(origins))
    return True
