"""What a local stack is started from: the root of the settings tree, built from explicit
values or from an environment mapping that is read once, never written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

import platformdirs
from pydantic import Field

from vod_testbed.common.settings import ServerSettings, Settings, variable
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.pipeline.config import PipelineSettings

APP_NAME = "vod-testbed"


def default_data_dir() -> Path:
    """The per-user state folder (``~/.local/state/vod-testbed`` on Linux)."""
    return Path(platformdirs.user_state_dir(APP_NAME))


class StackSettings(Settings):
    """How to start storage, the MediaConvert emulator and the pipeline together: the root
    of the settings tree, holding each part's settings as a branch (docs/configuration.md).

    The parts' own settings carry every knob they have; the stack adds what ties them
    together (endpoints, the shared webhook secret, where state lives) and leaves the rest as
    given. :meth:`from_env` reads the environment once, for every branch.

    Attributes:
        host: address every server binds (127.0.0.1; 0.0.0.0 only inside a container).
        emulator_port, api_port: the emulator's ``EMULATOR_PORT`` and the pipeline's
            ``PIPELINE_PORT``, as their parts declare them; 0 picks a free port.
        watch: poll the bucket for uploads (storage that cannot notify, like the embedded S3).
        database_url: the pipeline's ``DATABASE_URL`` when it is set; None: a SQLite file in
            the data dir.
        webhook_secret: the shared ``WEBHOOK_SECRET`` (the emulator signs, the pipeline
            checks); None: a random one per start.
        pipeline: the pipeline's settings, its ``backend`` (storage, transcoder) included. An
            S3 endpoint of None starts the embedded S3; a MediaConvert endpoint of None
            points the pipeline at the emulator.
        emulator: the emulator's settings; its ``webhook_urls`` are extra receivers of job
            events, beside the pipeline's own webhook which always gets them.
        servers: what every server of the stack shares (the host names it answers to).
    """

    data_dir: Path = variable(
        "VOD_DATA_DIR",
        description=(
            "`vod-testbed dev`'s data dir (database, emulator state, work files); one stack at"
            " a time may use it"
        ),
        shown_default="the per-user state folder (`~/.local/state/vod-testbed` on Linux)",
        default_factory=default_data_dir,
    )
    s3_port: int = variable(
        "DEV_S3_PORT",
        description="where a stack's embedded S3 listens (0: a free port)",
        default=9000,
        ge=0,
        le=65535,
    )
    access_key_id: str | None = variable(
        "VOD_ACCESS_KEY_ID",
        description=(
            "the only access key a stack's embedded S3 and emulator accept (printed, and in"
            " the ready file)"
        ),
        shown_default="random per start",
        default=None,
    )
    secret_access_key: str | None = variable(
        "VOD_SECRET_ACCESS_KEY",
        description="the secret of `VOD_ACCESS_KEY_ID`",
        shown_default="random per start",
        default=None,
        repr=False,
    )
    host: str = "127.0.0.1"
    # The parts declare these variables and their defaults (docs/configuration.md).
    emulator_port: int = Field(default_factory=lambda: EmulatorSettings().port, ge=0, le=65535)
    api_port: int = Field(default_factory=lambda: PipelineSettings().port, ge=0, le=65535)
    watch: bool = True
    database_url: str | None = None
    webhook_secret: str | None = Field(default=None, repr=False)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    emulator: EmulatorSettings = Field(default_factory=EmulatorSettings)
    servers: ServerSettings = Field(default_factory=ServerSettings)

    @property
    def pipeline_database_url(self) -> str:
        """``database_url``, else the SQLite file in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'pipeline.sqlite3'}"

    @property
    def emulator_data_dir(self) -> Path:
        return self.data_dir / "emulator"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **fixed: Any) -> Self:
        """The whole tree from ``env`` (default: the process's environment), each branch
        reading its own variables; the stack's own fields follow the branches'."""
        tree = super().from_env(env, **fixed)
        pipeline, emulator = tree.pipeline, tree.emulator
        ties: dict[str, Any] = {
            "emulator_port": emulator.port,
            "api_port": pipeline.port,
            "webhook_secret": pipeline.webhook_secret or None,
            # Set: the pipeline's; unset: the stack's own file in its data dir.
            "database_url": (
                pipeline.database_url if "database_url" in pipeline.model_fields_set else None
            ),
        }
        return tree.replace(**{name: value for name, value in ties.items() if name not in fixed})
