"""Code and docs cite pages of the documentation by section (``docs/ARCHITECTURE.md, "The
event contract"``): every cited page and section exists, and nothing cites a section of the
README, which only introduces and links."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITING = [
    *(ROOT / "vod_testbed").rglob("*.py"),
    *(ROOT / "vod_testbed").rglob("*.md"),
    *(ROOT / "tests").rglob("*.py"),
    *(ROOT / "docs").rglob("*.md"),
    ROOT / "pyproject.toml",
    ROOT / "Makefile",
]
# A page, then one or more quoted section titles: `docs/<page>.md, "A"` or `...md: "A", "B"`.
CITATION = re.compile(r'(docs/[\w.-]+\.md|README)[,:]\s*((?:"[^"]+"(?:,\s*)?)+)')


def citations() -> list[tuple[str, str, str]]:
    found = []
    for path in CITING:
        text = " ".join(path.read_text(encoding="utf-8").split())
        for page, titles in CITATION.findall(text):
            where = path.relative_to(ROOT).as_posix()
            found += [(where, page, title) for title in re.findall(r'"([^"]+)"', titles)]
    return found


def headings(page: Path) -> set[str]:
    return {
        " ".join(line.lstrip("#").split())
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }


def test_the_code_cites_pages_by_section() -> None:
    assert len(citations()) >= 20


def test_every_cited_section_exists() -> None:
    missing = [
        (where, page, title)
        for where, page, title in citations()
        if page == "README"
        or not (ROOT / page).is_file()
        or title.replace("`", "") not in {h.replace("`", "") for h in headings(ROOT / page)}
    ]
    assert missing == []
