"""docs/ARCHITECTURE.md's table of the parts matches the tree, and is the only such table."""

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


ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
PARTS = "## The parts"


def test_every_folder_the_parts_table_names_exists() -> None:
    folders = table_folders(ARCHITECTURE, PARTS)
    assert len(folders) >= 10
    assert [f for f in folders if not (ROOT / f).is_dir()] == []


def test_every_package_of_the_tree_is_in_the_parts_table() -> None:
    named = set(table_folders(ARCHITECTURE, PARTS))
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


@pytest.mark.parametrize(
    "document",
    [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))],
    ids=lambda path: path.name,
)
def test_no_other_page_repeats_the_parts_table(document: Path) -> None:
    """The parts are listed once; a second table would drift from the tree unchecked."""
    if document == ARCHITECTURE:
        return
    rows = re.findall(r"^\| `vod_testbed/[^`]*/` \|", document.read_text(encoding="utf-8"), re.M)
    assert rows == []
