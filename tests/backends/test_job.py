"""The job model."""

from __future__ import annotations

import re
from pathlib import Path

from vod_testbed.backends.job import new_job_id


def test_job_ids_look_like_mediaconvert_ids():
    job_id = new_job_id(1_700_000_000.123)
    millis, _, suffix = job_id.partition("-")
    assert millis == "1700000000123"
    assert len(suffix) == 6 and suffix.isalnum() and suffix.islower()


STATUS_LITERAL = re.compile(
    r"""["'](SUBMITTED|PROGRESSING|COMPLETE|CANCELED|ERROR|INPUT_INFORMATION|STATUS_UPDATE"""
    r"""|NEW_WARNING|QUEUE_HOP)["']"""
)
# Where the two status vocabularies are spelled: the job's and the event's.
SPELLED_IN = {"vod_testbed/backends/job.py", "vod_testbed/backends/mediaconvert/events.py"}


def test_job_and_event_statuses_are_spelled_only_in_their_enums() -> None:
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted((root / "vod_testbed").rglob("*.py"))
        if path.relative_to(root).as_posix() not in SPELLED_IN
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STATUS_LITERAL.search(line)
    ]
    assert found == []
