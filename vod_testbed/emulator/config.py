"""Settings of the emulator, read from the environment in this one place (docs/ARCHITECTURE.md,
"Configuration")."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vod_testbed.common.settings import env_int, env_list, env_number


@dataclass(frozen=True)
class EmulatorSettings:
    """Every knob of the emulator, with its environment variable.

    Attributes:
        data_dir: ``EMULATOR_DATA_DIR`` - where the SQLite state file lives.
        webhook_urls: ``EVENTS_WEBHOOK_URL`` - comma-separated receivers of job-state events.
        webhook_secret: ``WEBHOOK_SECRET`` - signs every delivery (empty: unsigned).
        account_id: ``EMULATOR_ACCOUNT_ID`` - the 12-digit account in ARNs and events.
        region: ``AWS_REGION`` - the region in ARNs and events.
        queue_concurrency: ``EMULATOR_QUEUE_CONCURRENCY`` - jobs each queue runs at once
            unless the queue sets ``concurrentJobs``.
        account_concurrent_jobs: ``EMULATOR_ACCOUNT_CONCURRENT_JOBS`` - the service quota
            "Concurrent jobs per account": the most ``concurrentJobs`` all queues may share.
        queue_concurrent_jobs_quota: ``EMULATOR_QUEUE_CONCURRENT_JOBS`` - the service quota
            "Concurrent jobs per on-demand queue".
        time_compression: ``EMULATOR_TIME_COMPRESSION`` - divides status-update intervals
            (and the first update's delay); 1 is real time, 100 makes SECONDS_10 a 0.1 s tick.
        delivery_base_delay_s: ``EMULATOR_DELIVERY_BASE_DELAY_S`` - first retry delay.
        delivery_max_delay_s: ``EMULATOR_DELIVERY_MAX_DELAY_S`` - cap of the backoff.
        delivery_timeout_s: ``EMULATOR_DELIVERY_TIMEOUT_S`` - per-attempt HTTP timeout.
        delivery_max_age_s: ``EMULATOR_DELIVERY_MAX_AGE_S`` - how long a delivery is retried
            before it goes to the dead-letter list (EventBridge: 24 h).
        idempotency_window_s: how long a ``clientRequestToken`` replays its job (AWS: 60 s).
        access_key_id, secret_access_key: ``EMULATOR_ACCESS_KEY_ID`` /
            ``EMULATOR_SECRET_ACCESS_KEY`` (else ``AWS_ACCESS_KEY_ID`` /
            ``AWS_SECRET_ACCESS_KEY``) - the credentials API calls must be signed with.
        admin_token: ``EMULATOR_ADMIN_TOKEN`` - bearer token of the admin API (``/_emulator``);
            empty: the admin API answers only ``/_emulator/health``.
        auth: ``EMULATOR_AUTH`` - ``off`` accepts any credentials and no admin token, as moto
            does (for tests); anything else, or unset, checks them.
    """

    data_dir: Path = field(
        default_factory=lambda: Path(tempfile.gettempdir()) / "vod-testbed-emulator"
    )
    webhook_urls: tuple[str, ...] = ()
    webhook_secret: str = ""
    account_id: str = "123456789012"
    region: str = "us-east-1"
    queue_concurrency: int = 1
    account_concurrent_jobs: int = 20
    queue_concurrent_jobs_quota: int = 20
    time_compression: float = 1.0
    delivery_base_delay_s: float = 0.5
    delivery_max_delay_s: float = 30.0
    delivery_timeout_s: float = 5.0
    delivery_max_age_s: float = 24 * 3600.0
    idempotency_window_s: float = 60.0
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)
    admin_token: str = field(default="", repr=False)
    auth: bool = True

    def __post_init__(self) -> None:
        if self.queue_concurrency < 1:
            raise ValueError("EMULATOR_QUEUE_CONCURRENCY must be at least 1")
        if not 1 <= self.queue_concurrency <= self.queue_concurrent_jobs_quota:
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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> EmulatorSettings:
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            data_dir=Path(env["EMULATOR_DATA_DIR"])
            if env.get("EMULATOR_DATA_DIR")
            else defaults.data_dir,
            webhook_urls=env_list(env.get("EVENTS_WEBHOOK_URL")),
            webhook_secret=env.get("WEBHOOK_SECRET", ""),
            account_id=env.get("EMULATOR_ACCOUNT_ID") or defaults.account_id,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or defaults.region,
            queue_concurrency=env_int(
                env, "EMULATOR_QUEUE_CONCURRENCY", defaults.queue_concurrency
            ),
            account_concurrent_jobs=env_int(
                env, "EMULATOR_ACCOUNT_CONCURRENT_JOBS", defaults.account_concurrent_jobs
            ),
            queue_concurrent_jobs_quota=env_int(
                env, "EMULATOR_QUEUE_CONCURRENT_JOBS", defaults.queue_concurrent_jobs_quota
            ),
            time_compression=env_number(
                env, "EMULATOR_TIME_COMPRESSION", defaults.time_compression
            ),
            delivery_base_delay_s=env_number(
                env, "EMULATOR_DELIVERY_BASE_DELAY_S", defaults.delivery_base_delay_s
            ),
            delivery_max_delay_s=env_number(
                env, "EMULATOR_DELIVERY_MAX_DELAY_S", defaults.delivery_max_delay_s
            ),
            delivery_timeout_s=env_number(
                env, "EMULATOR_DELIVERY_TIMEOUT_S", defaults.delivery_timeout_s
            ),
            delivery_max_age_s=env_number(
                env, "EMULATOR_DELIVERY_MAX_AGE_S", defaults.delivery_max_age_s
            ),
            access_key_id=env.get("EMULATOR_ACCESS_KEY_ID") or env.get("AWS_ACCESS_KEY_ID", ""),
            secret_access_key=env.get("EMULATOR_SECRET_ACCESS_KEY")
            or env.get("AWS_SECRET_ACCESS_KEY", ""),
            admin_token=env.get("EMULATOR_ADMIN_TOKEN", ""),
            auth=env.get("EMULATOR_AUTH", "on").strip().lower() != "off",
        )

    def arn(self, kind: str, name: str) -> str:
        """``arn:aws:mediaconvert:<region>:<account>:<kind>/<name>`` (kind: jobs, queues...)."""
        return f"arn:aws:mediaconvert:{self.region}:{self.account_id}:{kind}/{name}"
