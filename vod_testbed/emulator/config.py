"""Settings of the emulator, read from the environment in this one place (docs/ARCHITECTURE.md,
"Configuration")."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic.dataclasses import dataclass

from vod_testbed.common.settings import SETTINGS_CONFIG, CommaList, read_env, variable


def _on_unless_off(value: Any) -> Any:
    return value.strip().lower() != "off" if isinstance(value, str) else value


@dataclass(frozen=True, config=SETTINGS_CONFIG)
class EmulatorSettings:
    """Every knob of the emulator; each field names its environment variable.

    Attributes:
        data_dir: where the SQLite state file lives.
        webhook_urls: comma-separated receivers of job-state events.
        webhook_secret: signs every delivery (empty: unsigned).
        account_id: the 12-digit account in ARNs and events.
        region: the region in ARNs and events.
        queue_concurrency: jobs each queue runs at once unless the queue sets
            ``concurrentJobs``.
        account_concurrent_jobs: the service quota "Concurrent jobs per account": the most
            ``concurrentJobs`` all queues may share.
        queue_concurrent_jobs_quota: the service quota "Concurrent jobs per on-demand
            queue".
        time_compression: divides status-update intervals (and the first update's delay);
            1 is real time, 100 makes SECONDS_10 a 0.1 s tick.
        delivery_base_delay_s: first retry delay of an event delivery.
        delivery_max_delay_s: cap of the backoff.
        delivery_timeout_s: per-attempt HTTP timeout.
        delivery_max_age_s: how long a delivery is retried before it goes to the
            dead-letter list (EventBridge: 24 h).
        idempotency_window_s: how long a ``clientRequestToken`` replays its job (AWS: 60 s).
        access_key_id, secret_access_key: the credentials API calls must be signed with
            (the emulator's own variables, else the AWS ones).
        admin_token: bearer token of the admin API (``/_emulator``); empty: the admin API
            answers only ``/_emulator/health``.
        auth: ``off`` accepts any credentials and no admin token, as moto does (for tests);
            anything else, or unset, checks them.
        http_threads: API requests served at once. They are CPU work under one interpreter
            lock (transcodes, scheduling and deliveries run on threads of their own), so
            more threads only add lock hand-offs: on 2 cores, 2 threads answered 8 clients
            polling GetJob with less CPU and a shorter tail than 4 or 8
            (docs/performance.md, "The emulator"); the second keeps one slow request from
            holding up every poll.
    """

    data_dir: Path = variable(
        "EMULATOR_DATA_DIR",
        default_factory=lambda: Path(tempfile.gettempdir()) / "vod-testbed-emulator",
    )
    webhook_urls: CommaList = variable("EVENTS_WEBHOOK_URL", default=())
    webhook_secret: str = variable("WEBHOOK_SECRET", default="", repr=False)
    account_id: str = variable("EMULATOR_ACCOUNT_ID", default="123456789012")
    region: str = variable("AWS_REGION", "AWS_DEFAULT_REGION", default="us-east-1")
    queue_concurrency: int = variable("EMULATOR_QUEUE_CONCURRENCY", default=1)
    account_concurrent_jobs: int = variable("EMULATOR_ACCOUNT_CONCURRENT_JOBS", default=20)
    queue_concurrent_jobs_quota: int = variable("EMULATOR_QUEUE_CONCURRENT_JOBS", default=20)
    time_compression: float = variable("EMULATOR_TIME_COMPRESSION", default=1.0)
    delivery_base_delay_s: float = variable("EMULATOR_DELIVERY_BASE_DELAY_S", default=0.5)
    delivery_max_delay_s: float = variable("EMULATOR_DELIVERY_MAX_DELAY_S", default=30.0)
    delivery_timeout_s: float = variable("EMULATOR_DELIVERY_TIMEOUT_S", default=5.0)
    delivery_max_age_s: float = variable("EMULATOR_DELIVERY_MAX_AGE_S", default=24 * 3600.0)
    idempotency_window_s: float = 60.0
    access_key_id: str = variable("EMULATOR_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", default="")
    secret_access_key: str = variable(
        "EMULATOR_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", default="", repr=False
    )
    admin_token: str = variable("EMULATOR_ADMIN_TOKEN", default="", repr=False)
    auth: Annotated[bool, BeforeValidator(_on_unless_off)] = variable("EMULATOR_AUTH", default=True)
    http_threads: int = variable("EMULATOR_HTTP_THREADS", default=2)

    def __post_init__(self) -> None:
        if self.queue_concurrency < 1:
            raise ValueError("EMULATOR_QUEUE_CONCURRENCY must be at least 1")
        if self.queue_concurrency > self.queue_concurrent_jobs_quota:
            raise ValueError(
                "EMULATOR_QUEUE_CONCURRENCY must be within EMULATOR_QUEUE_CONCURRENT_JOBS"
            )
        if self.account_concurrent_jobs < self.queue_concurrency:
            raise ValueError(
                "EMULATOR_ACCOUNT_CONCURRENT_JOBS must leave room for the Default queue"
            )
        if self.time_compression <= 0:
            raise ValueError("EMULATOR_TIME_COMPRESSION must be positive")
        if not (self.account_id.isdigit() and len(self.account_id) == 12):
            raise ValueError("EMULATOR_ACCOUNT_ID must be 12 digits")
        if not 1 <= self.http_threads <= 64:
            raise ValueError("EMULATOR_HTTP_THREADS must be between 1 and 64")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> EmulatorSettings:
        """From ``env`` (default ``os.environ``); ValueError naming a refused variable."""
        return read_env(cls, env)

    def arn(self, kind: str, name: str) -> str:
        """``arn:aws:mediaconvert:<region>:<account>:<kind>/<name>`` (kind: jobs, queues...)."""
        return f"arn:aws:mediaconvert:{self.region}:{self.account_id}:{kind}/{name}"
