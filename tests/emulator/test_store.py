"""The emulator's store: a job's kept rendered form follows every write of the job."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.emulator import job_record
from vod_testbed.backends.job import JobStatus
from vod_testbed.emulator.records import JobRecord
from vod_testbed.emulator.store import Store

JOB_ID = job_record().id


class CountingRender:
    """Renders a job's status and progress, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, record: JobRecord) -> str:
        self.calls += 1
        return f"{record.status}:{record.job_percent_complete}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "emulator")
    opened.insert_job(job_record(), client_token=None)
    yield opened
    opened.close()


def progress(percent: int) -> Callable[[JobRecord], None]:
    def mutate(record: JobRecord) -> None:
        record.status = JobStatus.PROGRESSING
        record.job_percent_complete = percent

    return mutate


def test_a_job_is_rendered_once_while_it_does_not_change(store: Store) -> None:
    render = CountingRender()
    assert [store.job_view(JOB_ID, render) for _ in range(3)] == ["SUBMITTED:None"] * 3
    assert render.calls == 1


def test_every_write_of_a_job_shows_in_the_very_next_view(store: Store) -> None:
    render = CountingRender()
    store.job_view(JOB_ID, render)
    for percent in (10, 50, 90):
        store.update_job(JOB_ID, progress(percent))
        assert store.job_view(JOB_ID, render) == f"PROGRESSING:{percent}"
    assert render.calls == 4


def test_a_mutation_that_declines_to_write_keeps_the_view(store: Store) -> None:
    render = CountingRender()
    store.job_view(JOB_ID, render)
    store.update_job(JOB_ID, lambda record: False)
    assert store.job_view(JOB_ID, render) == "SUBMITTED:None"
    assert render.calls == 1


def test_a_failed_write_keeps_the_stored_job_and_its_view_consistent(store: Store) -> None:
    render = CountingRender()
    store.job_view(JOB_ID, render)

    def half_done(record: JobRecord) -> None:
        record.status = JobStatus.PROGRESSING
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        store.update_job(JOB_ID, half_done)
    assert store.job_view(JOB_ID, render) == "SUBMITTED:None"


def test_a_reset_forgets_the_kept_views(store: Store) -> None:
    render = CountingRender()
    store.job_view(JOB_ID, render)
    store.reset()
    assert store.job_view(JOB_ID, render) is None


def test_an_unknown_job_has_no_view(store: Store) -> None:
    render = CountingRender()
    assert store.job_view("1700000000000-nosuch", render) is None
    assert render.calls == 0


def test_another_render_is_not_served_the_kept_one(store: Store) -> None:
    store.job_view(JOB_ID, CountingRender())
    assert store.job_view(JOB_ID, lambda record: record.id) == JOB_ID
