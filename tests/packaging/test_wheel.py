"""The wheel, installed into a fresh virtualenv outside the repository, next to a platform
project that has packages of its own named ``pipeline`` and ``fixtures``: the project's
tests pass with the plugin, ``vod-testbed dev`` serves a curl-only upload, and the emulator
answers boto3.

Slow (a build, a virtualenv and an install): uv's cache makes them a matter of seconds.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import boto3
import pytest
import requests

from tests.support.dev_process import clean_env, run_smoke
from tests.support.net import free_port, wait_for_port
from tests.support.packaging import REPO, build_wheel, fresh_venv, run

pytestmark = [pytest.mark.packaging, pytest.mark.e2e]

# What the emulator started from the wheel expects MediaConvert calls to be signed with.
CREDENTIALS = {"EMULATOR_ACCESS_KEY_ID": "AKIAWHEELTEST", "EMULATOR_SECRET_ACCESS_KEY": "wheel"}

EXAMPLES = REPO / "docs" / "examples"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv holding the freshly built wheel and pytest; its bin folder."""
    root = tmp_path_factory.mktemp("packaging")
    wheel = build_wheel(root)
    started = time.monotonic()
    # With the `ffmpeg` extra: the tests transcode, and a machine may have no ffmpeg.
    bin_folder = fresh_venv(root / "venv", f"{wheel}[ffmpeg]", "pytest")
    print(f"install: {time.monotonic() - started:.1f} s")
    return bin_folder


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    # Run from the venv's folder: ``python -c`` puts the working directory on sys.path.
    where = run(
        [str(installed / "python"), "-c", "import vod_testbed; print(vod_testbed.__file__)"],
        cwd=installed.parent,
    )
    assert Path(where.strip()).is_relative_to(installed.parent)
    assert run([str(installed / "vod-testbed"), "--version"]).strip().startswith("vod-testbed ")


def test_the_installed_package_caches_generated_media_in_the_user_cache(installed, tmp_path):
    code = (
        "from pathlib import Path; import platformdirs; "
        "from vod_testbed.fixtures.media import cache_dir; "
        "print(cache_dir() == Path(platformdirs.user_cache_dir('vod-testbed')) / 'fixtures')"
    )
    env = {key: value for key, value in clean_env().items() if key != "VOD_FIXTURES_DIR"}
    result = subprocess.run(
        [str(installed / "python"), "-c", code],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert result.stdout.strip() == "True", result.stderr


def test_a_platform_project_passes_its_own_tests_with_the_plugin(installed, tmp_path):
    project = tmp_path / "platform"
    shutil.copytree(EXAMPLES, project, ignore=shutil.ignore_patterns("__pycache__"))

    output = run([str(installed / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q"],
                 cwd=project)  # fmt: skip

    # Every test passed: nothing failed, errored or was skipped.
    assert re.fullmatch(r"\d+ passed in [\d.]+s( \([\d:]+\))?", output.splitlines()[-1]), output


def test_vod_testbed_dev_from_the_wheel_serves_a_curl_only_upload(installed, tmp_path):
    result = run_smoke(str(installed / "vod-testbed"), tmp_path)
    assert result.returncode == 0, result.stderr + (tmp_path / "dev.log").read_text()
    assert result.stdout.splitlines()[-1] == "stack stopped"


def test_the_emulator_from_the_wheel_answers_boto3_and_stops_on_sigterm(installed, tmp_path):
    port = free_port()
    log = (tmp_path / "emulator.log").open("w")
    emulator = subprocess.Popen(
        [str(installed / "vod-testbed"), "emulator", "--port", str(port),
         "--data-dir", str(tmp_path / "state")],
        stdout=log, stderr=log, env={**clean_env(), **CREDENTIALS},
    )  # fmt: skip
    try:
        wait_for_port(port, timeout_s=60)
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json() == {
            "status": "ok"
        }
        client = boto3.client(
            "mediaconvert",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id=CREDENTIALS["EMULATOR_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["EMULATOR_SECRET_ACCESS_KEY"],
        )
        queues = client.list_queues()["Queues"]
        emulator.send_signal(signal.SIGTERM)
        code = emulator.wait(timeout=10)
    finally:
        if emulator.poll() is None:
            emulator.kill()
        log.close()
    assert [queue["Name"] for queue in queues] == ["Default"]
    assert code == 0, (tmp_path / "emulator.log").read_text()
