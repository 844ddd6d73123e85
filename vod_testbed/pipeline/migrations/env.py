"""Alembic's entry point for the pipeline database's history."""

from vod_testbed.common.migrations import run_env
from vod_testbed.pipeline.db import Base

run_env(Base.metadata)
