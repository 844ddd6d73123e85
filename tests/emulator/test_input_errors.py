"""A missing input as MediaConvert reports it with staging's role, which may not list the
bucket: S3 answers 403 for a missing object without s3:ListBucket (Amazon S3 API reference,
GetObject, "Permissions":
https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html), so the job fails with
1401 (MediaConvert user guide, "Error codes",
https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_error_codes.html)."""

from __future__ import annotations

from vod_testbed.common import errors
from vod_testbed.emulator.input_errors import as_aws_reports


def test_a_missing_s3_input_is_a_permissions_error_with_s3s_403() -> None:
    code, message = as_aws_reports(
        errors.FILE_NOT_FOUND,
        "Failed to read s3://b/k.mp4: the object does not exist",
        "s3://b/k.mp4",
    )
    assert code == errors.PERMISSIONS_ERROR == 1401
    assert "s3://b/k.mp4" in message
    assert "403" in message


def test_other_errors_and_local_inputs_are_reported_as_they_are() -> None:
    assert as_aws_reports(errors.INPUT_ERROR, "bad", "s3://b/k.mp4") == (errors.INPUT_ERROR, "bad")
    assert as_aws_reports(errors.FILE_NOT_FOUND, "gone", "/tmp/k.mp4") == (
        errors.FILE_NOT_FOUND,
        "gone",
    )
