"""A job's input error as MediaConvert reports it with the role staging gives it.

The role MediaConvert assumes in staging may read and write the media bucket's objects but
not list the bucket (``pipeline/deploy/template.py``: least privilege). Without
``s3:ListBucket``, S3 answers a request for a missing object with 403 Access Denied, not
404 (Amazon S3 API reference, GetObject, "Permissions"), so on AWS such a job fails with
1401, a permissions error, where the FFmpeg backend, reading with credentials that may
list, sees 1404. The emulator reports what AWS would.
"""

from __future__ import annotations

from vod_testbed.common import errors
from vod_testbed.storage.s3 import is_s3


def as_aws_reports(code: int, message: str, input_uri: str | None) -> tuple[int, str]:
    """``(code, message)`` of a failed job, as MediaConvert reports it to staging."""
    if code != errors.FILE_NOT_FOUND or not input_uri or not is_s3(input_uri):
        return code, message
    return (
        errors.PERMISSIONS_ERROR,
        f"Unable to read input {input_uri}: HTTP 403 Access Denied. The object is missing, "
        "or the job's role may not read it (without s3:ListBucket, S3 answers 403 for a "
        "missing object).",
    )
