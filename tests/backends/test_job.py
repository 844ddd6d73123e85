"""The job model."""

from __future__ import annotations

from vod_testbed.backends.job import new_job_id


def test_job_ids_look_like_mediaconvert_ids():
    job_id = new_job_id(1_700_000_000.123)
    millis, _, suffix = job_id.partition("-")
    assert millis == "1700000000123"
    assert len(suffix) == 6 and suffix.isalnum() and suffix.islower()
