"""Settings of the emulator, declared here once: its branch of the settings tree
(docs/ARCHITECTURE.md, "Configuration")."""

from __future__ import annotations

import tempfile
from pathlib import Path

from vod_testbed.common.settings import (
    DEFAULT_REGION,
    AwsRegion,
    CommaList,
    Settings,
    Switch,
    WebhookSecret,
    variable,
)


class EmulatorSettings(Settings):
    """Every knob of the emulator: each field names its environment variable once, and its
    description is the variable's meaning (the configuration page is generated from them).

    Attributes:
        idempotency_window_s: how long a ``clientRequestToken`` replays its job (AWS: 60 s);
            set by code, not by a variable.
    """

    data_dir: Path = variable(
        "EMULATOR_DATA_DIR",
        description="where the emulator's state (SQLite) lives",
        shown_default=(
            "`$TMPDIR/vod-testbed-emulator` (`vod-testbed dev`: in its data dir, this "
            "variable unread)"
        ),
        default_factory=lambda: Path(tempfile.gettempdir()) / "vod-testbed-emulator",
    )
    webhook_urls: CommaList = variable(
        "EVENTS_WEBHOOK_URL",
        description="where the emulator delivers job-state events (comma-separated)",
        shown_default="— (`vod-testbed dev`: the pipeline's webhook, besides these)",
        default=(),
    )
    webhook_secret: WebhookSecret = ""
    account_id: str = variable(
        "EMULATOR_ACCOUNT_ID",
        description="the 12-digit account in ARNs and events (`AWS_REGION` gives their region)",
        default="123456789012",
    )
    region: AwsRegion = DEFAULT_REGION
    queue_concurrency: int = variable(
        "EMULATOR_QUEUE_CONCURRENCY",
        description="jobs each queue runs at once unless the queue sets `concurrentJobs`",
        default=1,
    )
    account_concurrent_jobs: int = variable(
        "EMULATOR_ACCOUNT_CONCURRENT_JOBS",
        description=(
            "the service quota per account that queues' `concurrentJobs` must respect together"
        ),
        default=20,
    )
    queue_concurrent_jobs_quota: int = variable(
        "EMULATOR_QUEUE_CONCURRENT_JOBS",
        description=(
            "the service quota per on-demand queue that a queue's `concurrentJobs` must respect"
        ),
        default=20,
    )
    time_compression: float = variable(
        "EMULATOR_TIME_COMPRESSION",
        description="divides status-update intervals (for tests)",
        default=1.0,
    )
    delivery_base_delay_s: float = variable(
        "EMULATOR_DELIVERY_BASE_DELAY_S",
        description=("an event delivery's first retry delay"),
        default=0.5,
    )
    delivery_max_delay_s: float = variable(
        "EMULATOR_DELIVERY_MAX_DELAY_S",
        description=("the cap of an event delivery's backoff"),
        default=30.0,
    )
    delivery_timeout_s: float = variable(
        "EMULATOR_DELIVERY_TIMEOUT_S",
        description=("each delivery attempt's HTTP timeout"),
        default=5.0,
    )
    delivery_max_age_s: float = variable(
        "EMULATOR_DELIVERY_MAX_AGE_S",
        description="how long a delivery is retried before it is dead-lettered",
        default=24 * 3600.0,
    )
    idempotency_window_s: float = 60.0
    access_key_id: str = variable(
        "EMULATOR_ACCESS_KEY_ID",
        "AWS_ACCESS_KEY_ID",
        description=("the access key MediaConvert API calls must be signed with"),
        default="",
    )
    secret_access_key: str = variable(
        "EMULATOR_SECRET_ACCESS_KEY",
        "AWS_SECRET_ACCESS_KEY",
        description=("the secret key MediaConvert API calls must be signed with"),
        default="",
        repr=False,
    )
    admin_token: str = variable(
        "EMULATOR_ADMIN_TOKEN",
        description="bearer token of `/_emulator/...`; unset: the admin API is closed",
        shown_default="— (`vod-testbed dev`: random per run, printed in the banner's exports)",
        default="",
        repr=False,
    )
    auth: Switch = variable(
        "EMULATOR_AUTH",
        description=(
            "a switch: off accepts any credentials and no admin token, as moto does "
            "(for tests only); in a stack, its S3 too"
        ),
        default=True,
    )
    port: int = variable(
        "EMULATOR_PORT",
        description="where `vod-testbed emulator` and a stack's emulator listen (0: a free port)",
        default=8888,
        ge=0,
        le=65535,
    )
    http_threads: int = variable(
        "EMULATOR_HTTP_THREADS",
        description=(
            "API requests served at once; their work is CPU under one interpreter "
            "lock, so more threads only add lock hand-offs (see "
            "[Performance](performance.md#the-emulator)); transcodes, scheduling "
            "and deliveries have threads of their own"
        ),
        shown_default="`2` (1 to 64)",
        default=2,
    )

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

    def arn(self, kind: str, name: str) -> str:
        """``arn:aws:mediaconvert:<region>:<account>:<kind>/<name>`` (kind: jobs, queues...)."""
        return f"arn:aws:mediaconvert:{self.region}:{self.account_id}:{kind}/{name}"
