"""Alembic's entry point for the emulator store's history."""

from vod_testbed.common.migrations import run_env
from vod_testbed.emulator.tables import metadata

run_env(metadata)
