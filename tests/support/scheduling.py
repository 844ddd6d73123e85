"""How the suite shares two cores (pytest-xdist, ``--dist loadfile``): each file's tests run on
one worker, so a module fixture is made once; the files whose tests share a session fixture
too costly to make twice (a transcoded ladder) run on one worker together.

The scheduler sees only test ids, so the files are listed by hand; a collection check keeps
the list true (a test using such a fixture from a file not listed stops the run)."""

from __future__ import annotations

from typing import Any

import pytest

SHARED_ON_ONE_WORKER: dict[str, tuple[str, ...]] = {
    "landscape_ladder": ("tests/hls/test_validation.py", "tests/report/test_report_e2e.py"),
}


def worker_group(nodeid: str) -> str:
    """The unit of work ``nodeid`` is scheduled in: its file, or a shared fixture's group."""
    path = nodeid.split("::", 1)[0]
    return next((name for name, files in SHARED_ON_ONE_WORKER.items() if path in files), path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling  # type: ignore[import-untyped]

    class SharedFixtureScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return SharedFixtureScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        for name, files in SHARED_ON_ONE_WORKER.items():
            if name in getattr(item, "fixturenames", ()) and path not in files:
                raise pytest.UsageError(
                    f"{item.nodeid} uses {name}: add {path} to SHARED_ON_ONE_WORKER in "
                    "tests/support/scheduling.py, or the fixture is made on two workers"
                )
