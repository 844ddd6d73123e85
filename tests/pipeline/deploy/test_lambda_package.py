"""The upload trigger's Lambda zip: everything the handler imports, nothing else of ours."""

from __future__ import annotations

import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.lambda_imports import modules_the_handler_loads
from vod_testbed.cli.main import main
from vod_testbed.pipeline.deploy.lambda_package import (
    LAMBDA_PYTHON,
    LAMBDA_REQUIREMENTS,
    LAMBDA_RUNTIME,
    SOURCE_ROOT,
    install_command,
)


def _lambda_zip(tmp_path: Path) -> list[str]:
    out = tmp_path / "lambda.zip"
    assert main(["deploy", "package", "--out", str(out), "--no-deps"]) == 0
    return zipfile.ZipFile(out).namelist()


def test_the_lambda_zip_holds_every_module_the_handler_imports(tmp_path: Path) -> None:
    names = _lambda_zip(tmp_path)
    imported = [
        Path(path).relative_to(SOURCE_ROOT).as_posix()
        for name, path in modules_the_handler_loads().items()
        if name.split(".")[0] == "vod_testbed" and path
    ]
    assert "vod_testbed/pipeline/trigger/handler.py" in imported
    assert [m for m in imported if m not in names] == []


def test_the_lambda_zip_holds_no_http_database_deployment_emulator_or_cli(
    tmp_path: Path,
) -> None:
    names = _lambda_zip(tmp_path)
    assert [
        n
        for n in names
        if n.startswith(
            (
                "vod_testbed/pipeline/http/",
                "vod_testbed/pipeline/deploy/",
                "vod_testbed/pipeline/assets/content_service.py",
                "vod_testbed/pipeline/db.py",
                "vod_testbed/emulator/",
                "vod_testbed/cli/",
                "vod_testbed/hls/",
                "tests/",
            )
        )
        or "__pycache__" in n
    ] == []


def test_the_zip_gets_the_compiled_wheels_the_suite_ran_with(tmp_path: Path) -> None:
    command = install_command(tmp_path)
    for name in LAMBDA_REQUIREMENTS:
        assert f"{name}=={metadata.version(name)}" in command
    # The runtime's Python, on Amazon Linux 2023 (glibc 2.34): PyAV's Linux wheels need
    # glibc 2.28, which the python3.11 runtime (Amazon Linux 2, glibc 2.26) lacks.
    assert command[command.index("--python-version") + 1] == "3.12" == LAMBDA_PYTHON
    assert LAMBDA_RUNTIME == "python3.12"
    platforms = [command[i + 1] for i, arg in enumerate(command) if arg == "--platform"]
    assert "manylinux_2_28_x86_64" in platforms
    assert "manylinux_2_34_x86_64" in platforms
    assert not [p for p in platforms if p.startswith("manylinux_2_") and int(p.split("_")[2]) > 34]


# The Lambda runtime's own packages: boto3 and what it needs.
LAMBDA_RUNTIME_DISTRIBUTIONS = {"boto3", "botocore", "s3transfer", "jmespath", "urllib3"}
LAMBDA_RUNTIME_DISTRIBUTIONS |= {"python-dateutil", "six"}
# Loaded here but not needed there: botocore takes certifi only if present; setuptools' hook
# runs at every interpreter start.
NOT_NEEDED_MODULES = {"certifi", "_distutils_hack", "vod_testbed"}


def _with_dependencies(names: set[str]) -> set[str]:
    """``names`` and every distribution they require, installed here (extras left out)."""
    found: set[str] = set()
    todo = [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        for requirement in metadata.requires(name) or []:
            parsed = Requirement(requirement)
            if parsed.marker is None or parsed.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(parsed.name))
    return found


def test_every_third_party_module_the_handler_imports_ships_or_is_in_the_runtime() -> None:
    shipped = _with_dependencies(set(LAMBDA_REQUIREMENTS) | LAMBDA_RUNTIME_DISTRIBUTIONS)
    owners = metadata.packages_distributions()
    top_levels = {name.split(".")[0] for name in modules_the_handler_loads()}
    needed = {
        canonicalize_name(distribution)
        for module in top_levels
        for distribution in owners.get(module, [])
        if module not in NOT_NEEDED_MODULES
    }
    assert sorted(needed - shipped) == []
