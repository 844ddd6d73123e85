"""What a local stack is started from: one settings object, built from explicit values or
from an environment mapping that is read, never written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from vod_testbed.common.settings import env_int
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.pipeline.config import PipelineSettings

APP_NAME = "vod-testbed"


def default_data_dir() -> Path:
    """The per-user state folder (``~/.local/state/vod-testbed`` on Linux)."""
    return Path(platformdirs.user_state_dir(APP_NAME))


@dataclass(frozen=True)
class StackSettings:
    """How to start storage, the MediaConvert emulator and the pipeline together.

    The parts' own settings objects carry every knob they have; the stack fills in what
    ties them together (endpoints, the shared webhook secret, where state lives) and leaves
    the rest as given.

    Attributes:
        data_dir: ``VOD_DATA_DIR`` - holds the pipeline's database, the emulator's state and
            the work files; one stack at a time may use it. Default: the per-user state
            folder.
        host: address every server binds (127.0.0.1; 0.0.0.0 only inside a container).
        s3_port, emulator_port, api_port: ``DEV_S3_PORT`` (9000), ``EMULATOR_PORT`` (8888),
            ``PIPELINE_PORT`` (8000); 0 picks a free port.
        watch: poll the bucket for uploads (storage that cannot notify, like the embedded S3).
        database_url: ``DATABASE_URL``; None: a SQLite file in the data dir.
        webhook_secret: ``WEBHOOK_SECRET``, shared by the emulator (signs) and the pipeline
            (checks); None: a random one per start.
        access_key_id, secret_access_key: ``VOD_ACCESS_KEY_ID`` / ``VOD_SECRET_ACCESS_KEY``,
            the only credentials the embedded S3 and the emulator accept (with the embedded
            S3); None: a random pair per start, printed and in the ready file.
        pipeline: the pipeline's settings, its ``backend`` (storage, transcoder) included. An
            S3 endpoint of None starts the embedded S3; a MediaConvert endpoint of None
            points the pipeline at the emulator.
        emulator: the emulator's settings; its ``webhook_urls`` are extra receivers of job
            events, beside the pipeline's own webhook which always gets them.
    """

    data_dir: Path = field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    s3_port: int = 9000
    # The parts declare these variables and their defaults (docs/configuration.md).
    emulator_port: int = field(default_factory=lambda: EmulatorSettings().port)
    api_port: int = field(default_factory=lambda: PipelineSettings().port)
    watch: bool = True
    database_url: str | None = None
    webhook_secret: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    emulator: EmulatorSettings = field(default_factory=EmulatorSettings)

    @property
    def pipeline_database_url(self) -> str:
        """``database_url``, else the SQLite file in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'pipeline.sqlite3'}"

    @property
    def emulator_data_dir(self) -> Path:
        return self.data_dir / "emulator"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StackSettings:
        """Every setting from ``env`` (default ``os.environ``), each part reading its own
        variables."""
        env = os.environ if env is None else env
        defaults = cls(data_dir=Path())
        pipeline, emulator = PipelineSettings.from_env(env), EmulatorSettings.from_env(env)
        return cls(
            data_dir=Path(env["VOD_DATA_DIR"]) if env.get("VOD_DATA_DIR") else default_data_dir(),
            s3_port=env_int(env, "DEV_S3_PORT", defaults.s3_port),
            emulator_port=emulator.port,
            api_port=pipeline.port,
            database_url=env.get("DATABASE_URL") or None,
            webhook_secret=pipeline.webhook_secret or None,
            access_key_id=env.get("VOD_ACCESS_KEY_ID") or None,
            secret_access_key=env.get("VOD_SECRET_ACCESS_KEY") or None,
            pipeline=pipeline,
            emulator=emulator,
        )
