"""The Lambda zip, built with its dependencies, holds wheels its runtime loads and a handler
that imports from the unpacked zip alone.

What this proves, exactly. The runtime is CPython 3.12 on Amazon Linux 2023 (glibc 2.34);
this machine has CPython 3.11 only. So:

* the zip for the runtime is built as `make lambda-package` builds it, and every compiled
  module in it is checked to be built for CPython 3.12 (or the stable ABI) and to need no
  glibc symbol newer than 2.34;
* the same zip built for this machine's Python (the same pinned versions and platform tags:
  PyAV's abi3 wheel is the same file, pydantic-core is its 3.11 build) is unpacked and the
  handler is imported and called in an isolated interpreter that sees only the unpacked zip,
  the standard library and a stand-in for the runtime's own boto3.

Loading the 3.12 build of pydantic-core under a real 3.12 interpreter is not done here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from vod_testbed.pipeline.deploy.lambda_package import (
    HANDLER,
    LAMBDA_GLIBC,
    LAMBDA_PYTHON,
    build_package,
)

pytestmark = pytest.mark.packaging

RUNTIME_ABI = f"cpython-{LAMBDA_PYTHON.replace('.', '')}-x86_64-linux-gnu"
# What the Lambda runtime itself provides (boto3 and what it needs), by top-level module.
RUNTIME_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")


def _unpacked(tmp: Path, python_version: str) -> Path:
    out = tmp / f"lambda-{python_version}.zip"
    build_package(out, python_version=python_version)
    target = tmp / f"unpacked-{python_version}"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(target)
    return target


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("lambda")


def _glibc_needed(library: Path) -> tuple[int, int]:
    """The newest GLIBC_x.y symbol version ``library`` needs."""
    dump = subprocess.run(
        ["objdump", "-T", str(library)], capture_output=True, text=True, check=True
    ).stdout
    versions = [(int(a), int(b)) for a, b in re.findall(r"GLIBC_(\d+)\.(\d+)", dump)]
    return max(versions, default=(0, 0))


@pytest.mark.skipif(shutil.which("objdump") is None, reason="needs binutils' objdump")
def test_every_compiled_module_of_the_runtime_zip_suits_python_312_and_glibc_234(
    scratch: Path,
) -> None:
    unpacked = _unpacked(scratch, LAMBDA_PYTHON)
    extensions = sorted(unpacked.rglob("*.so"))
    assert any(p.name.startswith("_pydantic_core") for p in extensions)
    assert any(p.parts[-2] == "av" for p in extensions)
    wrong_abi = [
        p.name for p in extensions if not p.name.endswith((".abi3.so", f".{RUNTIME_ABI}.so"))
    ]
    assert wrong_abi == []
    libraries = [p for p in unpacked.rglob("*.so*") if p.is_file()]
    too_new = {
        str(p.relative_to(unpacked)): needed
        for p in libraries
        if (needed := _glibc_needed(p)) > LAMBDA_GLIBC
    }
    assert too_new == {}


def test_the_handler_imports_and_runs_from_the_unpacked_zip_alone(scratch: Path) -> None:
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    unpacked = _unpacked(scratch, here)
    runtime = scratch / "runtime"  # stands in for the runtime's boto3
    runtime.mkdir(exist_ok=True)
    for name in RUNTIME_MODULES:
        spec = __import__(name)
        source = Path(spec.__file__ or "")
        source = source.parent if source.name == "__init__.py" else source
        link = runtime / source.name
        if not link.exists():
            link.symlink_to(source, target_is_directory=source.is_dir())
    module, function = HANDLER.rsplit(".", 1)
    code = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(unpacked)!r}, {str(runtime)!r}]\n"
        f"from {module} import {function}\n"
        f"result = {function}({{'Records': []}}, None)\n"
        "files = [getattr(m, '__file__', None) for m in list(sys.modules.values())]\n"
        "print(json.dumps({'result': result, 'files': [f for f in files if f]}))\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "TRANSCODER_BACKEND": "mediaconvert",
        "AWS_REGION": "us-east-1",
        "PIPELINE_WEBHOOK_URL": "https://pipeline.example.com",
        "WEBHOOK_SECRET": "s" * 32,
        "VOD_WORK_DIR": str(scratch / "work"),
    }
    # -I: no environment, no user site; -S: not even this venv's site-packages.
    run = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    assert isinstance(answer["result"], dict)
    stdlib = Path(os.__file__).parent
    outside = [
        f
        for f in answer["files"]
        if not Path(f).is_relative_to(unpacked)
        and not Path(f).is_relative_to(runtime)
        and not Path(f).is_relative_to(stdlib)
    ]
    assert outside == []
    assert any(Path(f).is_relative_to(unpacked / "av") for f in answer["files"])
