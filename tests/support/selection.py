"""Modules left uncollected when ``-m`` leaves their tests out. Collecting the pipeline API's
fuzzer costs each worker 2 s (schemathesis builds a Hypothesis strategy for every operation
as it collects), so ``make test-fast``, which deselects fuzzers, does not import it at all.

The modules are listed by path, as the scheduler lists its groups; a collection check keeps
the list true (a listed module with a test the marker does not cover stops the run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

ROOT = Path(__file__).resolve().parents[2]

# Module -> the marker every one of its tests carries.
WHOLLY_MARKED: dict[str, str] = {"tests/security/test_pipeline_api_fuzz.py": "fuzz"}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    marker = WHOLLY_MARKED.get(_relative(collection_path))
    expression = config.option.markexpr
    if marker is None or not expression:
        return None

    def carries(name: str, /, **_: str | int | bool | None) -> bool:
        return name == marker

    # What -m says of a test that carries this marker alone.
    return None if Expression.compile(expression).evaluate(carries) else True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = WHOLLY_MARKED.get(item.nodeid.split("::", 1)[0])
        if marker is not None and item.get_closest_marker(marker) is None:
            raise pytest.UsageError(
                f"{item.nodeid} is not marked {marker}: mark it, or take its module out of "
                "WHOLLY_MARKED in tests/support/selection.py"
            )


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return ""
