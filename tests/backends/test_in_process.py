"""The job table of an in-process transcoder: snapshots, listing, and final states kept."""

from __future__ import annotations

import pytest

from vod_testbed.backends.in_process import InProcessTranscoder
from vod_testbed.backends.job import Job, JobRequest, JobStatus, new_job_id
from vod_testbed.common import errors

REQUEST = JobRequest.for_prefix("s3://media/video/u1/clip.mp4")


class Table(InProcessTranscoder):
    """Starts nothing: tests move jobs on themselves."""

    name = "table"

    def submit(self, request: JobRequest) -> Job:
        raise NotImplementedError

    def cancel(self, job_id: str) -> Job:
        raise NotImplementedError


@pytest.fixture
def table() -> Table:
    return Table()


def add(table: Table, created_at: float) -> Job:
    job = Job(id=new_job_id(), request=REQUEST, created_at=created_at)
    table._add(job)
    return job


def test_listeners_hear_of_a_new_job_and_of_each_change(table: Table) -> None:
    heard: list[Job] = []
    table.subscribe(heard.append)
    job = add(table, 1.0)
    now = table._update(job.id, status=JobStatus.PROGRESSING)
    assert heard == [job, now]
    assert table.get(job.id) == now


def test_a_final_job_is_left_as_it_is(table: Table) -> None:
    job = add(table, 1.0)
    canceled = table._update(job.id, status=JobStatus.CANCELED)
    heard: list[Job] = []
    table.subscribe(heard.append)
    assert table._update(job.id, status=JobStatus.COMPLETE) == canceled
    assert table.get(job.id).status is JobStatus.CANCELED
    assert heard == []


def test_list_is_newest_first_and_filters_by_status(table: Table) -> None:
    old, new = add(table, 1.0), add(table, 2.0)
    table._update(old.id, status=JobStatus.PROGRESSING)
    assert [j.id for j in table.list()] == [new.id, old.id]
    assert [j.id for j in table.list(JobStatus.PROGRESSING)] == [old.id]


def test_an_unknown_job_id_is_job_not_found(table: Table) -> None:
    with pytest.raises(errors.JobNotFoundError) as caught:
        table.get("nope")
    assert str(caught.value) == "no job with id 'nope'"
