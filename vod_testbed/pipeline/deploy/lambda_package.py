"""The upload trigger's Lambda zip: the sources it runs and the wheels the runtime lacks.

The zip ships ``pipeline/trigger/`` and the parts of vod_testbed it imports (the
pipeline's configuration, upload-key contract and key derivation, ``backends``,
``common``, ``media``, ``storage``), never the pipeline's HTTP layer, database, deployment
code, the emulator or the CLI; a test checks that every module the handler imports is in the zip.

The runtime is ``python3.12`` on Amazon Linux 2023 (glibc 2.34): PyAV ships Linux wheels
for glibc 2.28 and later only (``manylinux_2_28``), which Amazon Linux 2 (glibc 2.26, the
``python3.11`` runtime) cannot load. pip is asked for CPython 3.12 wheels of any manylinux
tag up to 2.34, at the versions installed here, which the suite ran with (PyAV's is an abi3
wheel: the very file the suite loads). The template declares the same runtime.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

# The folder that holds the vod_testbed package.
SOURCE_ROOT = Path(__file__).resolve().parents[3]
PACKAGED = (
    "vod_testbed/__init__.py",
    "vod_testbed/pipeline/__init__.py",
    "vod_testbed/pipeline/trigger",
    "vod_testbed/pipeline/config.py",
    "vod_testbed/pipeline/hls_keys.py",
    "vod_testbed/backends",
    "vod_testbed/common",
    "vod_testbed/media",
    "vod_testbed/storage",
)
HANDLER = "vod_testbed.pipeline.trigger.handler.handler"
# The function's runtime and what it can load: CPython 3.12, x86-64, glibc 2.34.
LAMBDA_PYTHON = "3.12"
LAMBDA_RUNTIME = f"python{LAMBDA_PYTHON}"
LAMBDA_GLIBC = (2, 34)
# Every manylinux tag a wheel loadable there may carry (pip takes only the tags it is given).
LAMBDA_PLATFORMS = (
    *(f"manylinux_2_{minor}_x86_64" for minor in range(LAMBDA_GLIBC[1], 16, -1)),
    "manylinux2014_x86_64",
)
# Imported on the trigger's path and missing from the Lambda runtime (which has boto3);
# pip brings what they need (pydantic pins its compiled pydantic-core exactly).
LAMBDA_REQUIREMENTS = ("av", "m3u8", "pydantic", "pydantic-settings", "tenacity")


def pinned_requirements() -> list[str]:
    """:data:`LAMBDA_REQUIREMENTS` at the versions installed here, which the tests ran."""
    return [f"{name}=={metadata.version(name)}" for name in LAMBDA_REQUIREMENTS]


def _source_files(root: Path) -> list[Path]:
    files = []
    for package in PACKAGED:
        top = root / package
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.append(path)
    return files


def install_command(target: Path, python_version: str = LAMBDA_PYTHON) -> list[str]:
    """The pip command that installs :func:`pinned_requirements` as wheels the runtime (or,
    with ``python_version``, another CPython on the same platform) loads."""
    platforms = [arg for platform in LAMBDA_PLATFORMS for arg in ("--platform", platform)]
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--target",
        str(target),
        *platforms,
        "--implementation",
        "cp",
        "--python-version",
        python_version,
        "--only-binary=:all:",
        *pinned_requirements(),
    ]


def install_requirements(target: Path, python_version: str = LAMBDA_PYTHON) -> None:
    """pip-install the pinned requirements into ``target``."""
    subprocess.run(install_command(target, python_version), check=True)


def build_package(
    out: Path,
    root: Path = SOURCE_ROOT,
    with_deps: bool = True,
    python_version: str = LAMBDA_PYTHON,
) -> list[str]:
    """Write the Lambda zip to ``out`` (its wheels for ``python_version``, the runtime's
    unless a test asks for this machine's); returns the archive's member names."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lambda-deps-") as scratch:
        deps = Path(scratch)
        if with_deps:
            install_requirements(deps, python_version)
        # Level 1: a third of the default's CPU for 8% more bytes (40 against 37 MiB). The zip
        # reaches Lambda through S3 (the template's Code), whose limit is 250 MB unzipped.
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
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
