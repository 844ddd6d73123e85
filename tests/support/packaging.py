"""The checkout as a build sees it: the wheel test and the stack benchmark copy it without
what a build must not see."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# What a checkout holds that a build must not see.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", ".cache", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)
