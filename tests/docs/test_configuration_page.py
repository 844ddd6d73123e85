"""The configuration page's variable tables are the settings declarations, rendered."""

from __future__ import annotations

from pathlib import Path

from vod_testbed.cli.main import main
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.stack.configuration_page import PAGE, render, table

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_matches_the_declarations() -> None:
    page = (ROOT / PAGE).read_text()
    assert render(page) == page, "run `vod-testbed config-reference` to regenerate the page"


def test_a_changed_declaration_makes_the_check_fail(tmp_path: Path) -> None:
    stale = tmp_path / "configuration.md"
    text = (ROOT / PAGE).read_text()
    stale.write_text(text.replace("| `EMULATOR_AUTH` | `on` |", "| `EMULATOR_AUTH` | `off` |"))
    assert main(["config-reference", "--page", str(stale), "--check"]) == 1
    assert main(["config-reference", "--page", str(stale)]) == 0
    assert stale.read_text() == text


def test_each_row_carries_the_fields_description_and_default() -> None:
    rows = table(EmulatorSettings).splitlines()
    auth = next(row for row in rows if row.startswith("| `EMULATOR_AUTH` "))
    description = EmulatorSettings.__pydantic_fields__["auth"].description  # type: ignore[attr-defined]
    assert auth == f"| `EMULATOR_AUTH` | `on` | {description} |"
