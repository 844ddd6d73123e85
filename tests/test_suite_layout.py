"""How the suite shares code: helpers come from tests/support/ (a plugin of the suite), so no
module imports a conftest or a test module, whose collection pytest owns."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_module_imports_a_conftest_or_a_test_module() -> None:
    sources = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "docs" / "examples").rglob("*.py")]
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources
        for name in imported_modules(path)
        if name.rsplit(".", 1)[-1] == "conftest" or name.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert len(sources) > 100
    assert wrong == []


def test_a_helper_outside_support_serves_only_its_own_directory() -> None:
    """A helper beside its tests (``tests/hls/ladders.py``) is imported from that directory
    only; one that two directories share belongs in tests/support/."""
    sources = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "docs" / "examples").rglob("*.py")]
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources
        for name in imported_modules(path)
        if name.startswith("tests.")
        and not name.startswith("tests.support")
        and (ROOT / Path(*name.split(".")).parent) != path.parent
    ]
    assert wrong == []
