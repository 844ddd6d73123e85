"""Only the settings module reads or writes the process's environment: every other module
gets its settings from a settings tree (docs/ARCHITECTURE.md, "Configuration")."""

from __future__ import annotations

import ast
from pathlib import Path

import vod_testbed

PACKAGE = Path(vod_testbed.__file__).resolve().parent
ALLOWED = {PACKAGE / "common" / "settings.py"}
# What reaches the environment: os.environ, os.environb, os.getenv, os.putenv, os.unsetenv.
ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_uses(source: str) -> list[int]:
    """The lines of ``source`` that reach the environment through ``os``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT:
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "posix"):
            lines.extend(node.lineno for alias in node.names if alias.name in ENVIRONMENT)
    return sorted(lines)


def test_no_module_but_the_settings_module_touches_the_environment() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in ALLOWED
        for line in environment_uses(path.read_text())
    ]
    assert offenders == [], "read settings through a Settings type instead"


def test_the_scan_sees_each_way_of_reaching_the_environment() -> None:
    source = (
        "import os\nfrom os import getenv\n"
        "a = os.environ['X']\nb = os.getenv('Y')\nos.putenv('Z', '1')\n"
        "c = os.path.join('environ')\n"
    )
    assert environment_uses(source) == [2, 3, 4, 5]


def test_the_settings_module_is_where_the_environment_is_read() -> None:
    (allowed,) = ALLOWED
    assert environment_uses(allowed.read_text()), "the allowed module moved: update ALLOWED"
