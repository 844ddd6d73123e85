"""The upload trigger's Lambda zip: the sources it runs and the wheels the runtime lacks.

The zip ships ``pipeline/trigger/`` and the parts of vod_testbed it imports (the
pipeline's configuration and upload-key contract, ``backends``, ``common``, ``media``,
``storage``), never the pipeline's HTTP layer, database, deployment code, the emulator or
the CLI; a test checks that every module the handler imports is in the zip.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# The folder that holds the vod_testbed package.
SOURCE_ROOT = Path(__file__).resolve().parents[3]
PACKAGED = (
    "vod_testbed/__init__.py",
    "vod_testbed/pipeline/__init__.py",
    "vod_testbed/pipeline/trigger",
    "vod_testbed/pipeline/config.py",
    "vod_testbed/pipeline/upload_keys.py",
    "vod_testbed/backends",
    "vod_testbed/common",
    "vod_testbed/media",
    "vod_testbed/storage",
)
HANDLER = "vod_testbed.pipeline.trigger.handler.handler"
LAMBDA_RUNTIME = "python3.12"
# Imported on the trigger's path and missing from the Lambda runtime (which has boto3);
# pip brings what they need (pydantic-core is compiled: Linux x86-64 wheels).
LAMBDA_REQUIREMENTS = ("av", "m3u8", "pydantic", "tenacity")


def _source_files(root: Path) -> list[Path]:
    files = []
    for package in PACKAGED:
        top = root / package
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.append(path)
    return files


def install_requirements(target: Path, python_version: str = "3.12") -> None:
    """pip-install :data:`LAMBDA_REQUIREMENTS` as Linux x86-64 wheels into ``target``."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--target",
        str(target),
        "--platform",
        "manylinux2014_x86_64",
        "--implementation",
        "cp",
        "--python-version",
        python_version,
        "--only-binary=:all:",
        *LAMBDA_REQUIREMENTS,
    ]
    subprocess.run(command, check=True)


def build_package(out: Path, root: Path = SOURCE_ROOT, with_deps: bool = True) -> list[str]:
    """Write the Lambda zip to ``out``; returns the archive's member names."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lambda-deps-") as scratch:
        deps = Path(scratch)
        if with_deps:
            install_requirements(deps)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in _source_files(root):
                archive.write(path, path.relative_to(root).as_posix())
            for path in sorted(deps.rglob("*")):
                relative = path.relative_to(deps)
                # bin/ holds console scripts whose shebang names this machine's python.
                if relative.parts[0] == "bin" or "__pycache__" in relative.parts:
                    continue
                if path.is_file():
                    archive.write(path, relative.as_posix())
            return archive.namelist()
