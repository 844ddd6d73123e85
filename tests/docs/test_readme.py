"""The README says why each runtime dependency is there: a dependency added without a
reason in its table fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dependency_table() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("### Why each dependency is there")
    return readme[start : readme.index("\n#", start + 1)]


def test_every_runtime_dependency_has_its_reason_in_the_readme() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0] for spec in project["dependencies"]]
    table = dependency_table()
    missing = [name for name in names if f"`{name}" not in table]
    assert not missing, f"README's dependency table does not name {missing}"


def test_the_readme_stays_an_introduction() -> None:
    """What it is, set-up, quick starts, what it does not do, links: the rest lives in docs/."""
    assert len((ROOT / "README.md").read_text().splitlines()) <= 200
