"""docs/ARCHITECTURE.md and the README's architecture table match the tree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "vod_testbed"


def table_folders(document: Path, heading: str) -> list[str]:
    """The backticked folder in the first cell of each row of the table under ``heading``."""
    text = document.read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+/)` \|", section, flags=re.MULTILINE)


DOCUMENTS = {
    "architecture": (ROOT / "docs" / "ARCHITECTURE.md", "## The parts"),
    "readme": (ROOT / "README.md", "## Architecture"),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_folder_a_parts_table_names_exists(name: str) -> None:
    document, heading = DOCUMENTS[name]
    folders = table_folders(document, heading)
    assert len(folders) >= 10
    assert [f for f in folders if not (ROOT / f).is_dir()] == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_package_of_the_tree_is_in_the_parts_table(name: str) -> None:
    document, heading = DOCUMENTS[name]
    named = set(table_folders(document, heading))
    packages = {
        f"{init.parent.relative_to(ROOT).as_posix()}/"
        for init in PACKAGE.rglob("__init__.py")
        if init.parent != PACKAGE
    }
    top_parts = {f"vod_testbed/{p.split('/')[1]}/" for p in packages}
    assert sorted(top_parts - named) == []
    # The folders of hls/ and emulator/ are those parts' own business; backends/ and
    # pipeline/ are rooms of the map.
    rooms = [
        p for p in packages if p.startswith(("vod_testbed/backends/", "vod_testbed/pipeline/"))
    ]
    assert sorted(set(rooms) - named) == []


def test_no_docstring_cites_a_document_outside_the_repository() -> None:
    cited = [
        path.relative_to(ROOT).as_posix()
        for path in [*PACKAGE.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
        if re.search(r"DESIGN contracts? \d", path.read_text(encoding="utf-8"))
    ]
    assert cited == []
