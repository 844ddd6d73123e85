"""MediaConvert's concurrency quotas on on-demand queues.

"With any individual queue, you can set Concurrent jobs up to your service quota for
Concurrent jobs per on-demand queue. With multiple on-demand queues, the total number of
concurrent jobs combined must also be less than or equal to your service quota for
Concurrent jobs per account" (user guide, "Working with on-demand queues"). A queue that
would break either quota is refused with ServiceQuotaExceededException (402), the service
model's error for "more resources than the service allows based on service quotas".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.exceptions import ServiceQuotaExceededException
from vod_testbed.emulator.records import QueueRecord

Concurrency = Callable[[QueueRecord], int]


def check_queue_concurrency(
    name: str,
    requested: int,
    queues: Iterable[QueueRecord],
    concurrency: Concurrency,
    settings: EmulatorSettings,
) -> None:
    """Refuse giving queue ``name`` ``requested`` concurrent jobs beyond either quota.

    Raises:
        ServiceQuotaExceededException: the per-queue or the per-account quota is exceeded.
    """
    per_queue = settings.queue_concurrent_jobs_quota
    if requested > per_queue:
        raise ServiceQuotaExceededException(
            f"/concurrentJobs: {requested} exceeds the service quota Concurrent jobs per "
            f"on-demand queue ({per_queue})."
        )
    others = sum(concurrency(q) for q in queues if q.name != name)
    account = settings.account_concurrent_jobs
    if others + requested > account:
        raise ServiceQuotaExceededException(
            f"/concurrentJobs: {requested} exceeds the {account - others} concurrent jobs "
            f"left unallocated by the service quota Concurrent jobs per account ({account})."
        )


def queue_totals(
    queues: Iterable[QueueRecord], concurrency: Concurrency, settings: EmulatorSettings
) -> dict[str, int]:
    """ListQueues' ``totalConcurrentJobs`` (the account quota) and what no queue holds."""
    allocated = sum(concurrency(q) for q in queues)
    return {
        "totalConcurrentJobs": settings.account_concurrent_jobs,
        "unallocatedConcurrentJobs": max(0, settings.account_concurrent_jobs - allocated),
    }
