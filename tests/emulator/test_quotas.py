"""Queue concurrency quotas: ServiceQuotaExceededException (402), as AWS refuses them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.emulator import AppFactory, boto_client
from vod_testbed.emulator.server import EmulatorServer


@pytest.fixture
def quota_mc(make_app: AppFactory, serve: Any) -> Any:
    """An emulator whose account allows 5 concurrent jobs, at most 3 per queue."""
    app = make_app(account_concurrent_jobs=5, queue_concurrent_jobs_quota=3)
    server: EmulatorServer = serve(app)
    return boto_client(server.url, retries={"max_attempts": 1})


def test_a_queue_above_the_per_queue_quota_is_refused_with_402(quota_mc: Any) -> None:
    """ "With any individual queue, you can set Concurrent jobs up to your service quota for
    Concurrent jobs per on-demand queue" (MediaConvert user guide, "Working with on-demand
    queues"); ServiceQuotaExceededException is the service model's 402 for "more resources
    than the service allows based on service quotas"."""
    with pytest.raises(quota_mc.exceptions.ServiceQuotaExceededException) as caught:
        quota_mc.create_queue(Name="big", ConcurrentJobs=4)
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert error["Error"]["Message"] == (
        "/concurrentJobs: 4 exceeds the service quota Concurrent jobs per on-demand queue (3)."
    )
    assert [q["Name"] for q in quota_mc.list_queues()["Queues"]] == ["Default"]


def test_queues_may_not_share_more_than_the_account_quota(quota_mc: Any) -> None:
    """ "With multiple on-demand queues, the total number of concurrent jobs combined must
    also be less than or equal to your service quota for Concurrent jobs per account" (user
    guide, "Working with on-demand queues"). Default holds 1 of the 5."""
    quota_mc.create_queue(Name="a", ConcurrentJobs=3)
    with pytest.raises(quota_mc.exceptions.ServiceQuotaExceededException) as caught:
        quota_mc.create_queue(Name="b", ConcurrentJobs=2)
    assert caught.value.response["Error"]["Message"] == (
        "/concurrentJobs: 2 exceeds the 1 concurrent jobs left unallocated by the service "
        "quota Concurrent jobs per account (5)."
    )


def test_raising_a_queue_past_the_account_quota_is_refused_and_changes_nothing(
    quota_mc: Any,
) -> None:
    """UpdateQueue's concurrentJobs "is constrained by your service quotas for Maximum
    concurrent jobs, per on-demand queue and Maximum concurrent jobs, per account" (service
    model, UpdateQueueRequest)."""
    quota_mc.create_queue(Name="a", ConcurrentJobs=3)
    quota_mc.create_queue(Name="b", ConcurrentJobs=1)
    with pytest.raises(quota_mc.exceptions.ServiceQuotaExceededException):
        quota_mc.update_queue(Name="b", ConcurrentJobs=2)
    assert quota_mc.get_queue(Name="b")["Queue"]["ConcurrentJobs"] == 1
    listed = quota_mc.list_queues()
    assert (listed["TotalConcurrentJobs"], listed["UnallocatedConcurrentJobs"]) == (5, 0)


def test_a_queue_within_both_quotas_is_created(quota_mc: Any) -> None:
    """The quotas refuse only what exceeds them (user guide, "Working with on-demand
    queues")."""
    created = quota_mc.create_queue(Name="a", ConcurrentJobs=3)["Queue"]
    assert created["ConcurrentJobs"] == 3
    assert quota_mc.list_queues()["UnallocatedConcurrentJobs"] == 1
