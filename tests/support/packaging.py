"""The checkout as a build sees it, and a fresh virtualenv holding its wheel: the wheel test
and the stack benchmark copy the checkout without what a build must not see.

uv builds and installs: it reuses its cached build backend and unpacked packages, so a
fresh virtualenv with the wheel and its dependencies takes about 2 s where ``venv`` and pip
take 25.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from uv import find_uv_bin

from tests.support.dev_process import clean_env

REPO = Path(__file__).resolve().parents[2]
# What a checkout holds that a build must not see.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", ".cache", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


def run(argv: list[str], cwd: Path | None = None, timeout: float = 300) -> str:
    """Run ``argv`` in an environment without this checkout's virtualenv; its output, once
    it has exited 0."""
    result = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=clean_env()
    )
    assert result.returncode == 0, f"{argv[:3]}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result.stdout


def build_wheel(root: Path) -> Path:
    """The checkout, copied into ``root`` without what a build must not see, built into a
    wheel; the wheel's path."""
    source = root / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCES)
    run([find_uv_bin(), "build", "--quiet", "--wheel", "--out-dir", str(root / "dist"),
         str(source)])  # fmt: skip
    (wheel,) = (root / "dist").glob("vod_testbed-*.whl")
    return wheel


def fresh_venv(venv: Path, *requirements: str) -> Path:
    """A new virtualenv at ``venv`` holding ``requirements`` and what they depend on; its bin
    folder."""
    run([find_uv_bin(), "venv", "--quiet", str(venv)])
    run([find_uv_bin(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
         *requirements])  # fmt: skip
    return venv / "bin"
