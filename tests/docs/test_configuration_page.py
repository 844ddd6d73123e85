"""The configuration page's variable tables are the settings declarations, rendered."""

from __future__ import annotations

import ast
from pathlib import Path

from vod_testbed.cli.main import main
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.stack.configuration_page import PAGE, TABLES, render, table

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
    description = EmulatorSettings.model_fields["auth"].description
    assert auth == f"| `EMULATOR_AUTH` | `on` | {description} |"


def test_every_settings_type_has_a_table_on_the_page() -> None:
    declared = {
        node.name
        for path in (ROOT / "vod_testbed").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id == "Settings" for base in node.bases)
    }
    tabled = {settings_type.__name__ for types in TABLES.values() for settings_type in types}
    assert declared == tabled
