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

REPO = Path(__file__).resolve().parents[2]
# What a checkout holds that a build must not see.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", ".cache", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


def _uv(*argv: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        [find_uv_bin(), *argv], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, f"uv {argv[:2]}: {result.stdout[-3000:]}{result.stderr[-3000:]}"


def build_wheel(root: Path, env: dict[str, str] | None = None) -> Path:
    """The checkout, copied into ``root`` without what a build must not see, built into a
    wheel; the wheel's path."""
    source = root / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCES)
    _uv("build", "--quiet", "--wheel", "--out-dir", str(root / "dist"), str(source), env=env)
    (wheel,) = (root / "dist").glob("vod_testbed-*.whl")
    return wheel


def fresh_venv(venv: Path, *requirements: str, env: dict[str, str] | None = None) -> Path:
    """A new virtualenv at ``venv`` holding ``requirements`` and what they depend on; its bin
    folder."""
    _uv("venv", "--quiet", str(venv), env=env)
    _uv("pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), *requirements,
        env=env)  # fmt: skip
    return venv / "bin"
