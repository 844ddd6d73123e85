"""The variable tables of docs/configuration.md, generated from the settings declarations:
each field's variable, default and description are written once, in its settings type, and
the page is rendered from them (``vod-testbed config-reference``; a test fails when they
differ)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from vod_testbed.common.settings import (
    BackendSettings,
    ClientSettings,
    ServerSettings,
    Settings,
    deprecated_names,
    variable_names,
)
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.fixtures.settings import FixtureSettings
from vod_testbed.pipeline.config import PipelineSettings, PlaybackSettings
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.stack.settings import StackSettings

# Each generated table, by the name its markers carry in the page; every settings type of
# the project is in one (a test checks it).
TABLES: dict[str, tuple[type[Settings], ...]] = {
    "stack": (StackSettings,),
    "backends": (BackendSettings,),
    "fixtures": (FixtureSettings,),
    "pipeline": (PipelineSettings, PlaybackSettings),
    "emulator": (EmulatorSettings,),
    "servers": (ServerSettings,),
    "clients": (ClientSettings,),
    "deploy": (DeployConfig,),
}
PAGE = Path("docs/configuration.md")
HEADER = "| variable | default | meaning |\n|---|---|---|\n"
_REGION = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.DOTALL)


def _names(info: FieldInfo) -> str:
    first, *others = variable_names(info)
    old = set(deprecated_names(info))
    fallbacks = [f"`{name}`" for name in others if name not in old]
    shown = f"`{first}`" + (f" (else {', '.join(fallbacks)})" if fallbacks else "")
    if old:
        shown += f" (formerly {', '.join(f'`{name}`' for name in sorted(old))}, deprecated)"
    return shown


def _default(info: FieldInfo) -> str:
    extra = info.json_schema_extra
    if isinstance(extra, dict) and extra.get("shown_default"):
        return str(extra["shown_default"])
    value = info.default
    if value is PydanticUndefined or value is None or value in ("", ()):
        return "—"
    if isinstance(value, bool):
        return "`on`" if value else "`off`"
    if isinstance(value, tuple):
        return f"`{','.join(value)}`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def table(*settings_types: type[Settings], shown: set[str] | None = None) -> str:
    """The Markdown table of every variable the settings types read, in field order. A
    variable in ``shown`` (an earlier table's; a shared declaration) is named after the
    table instead of described again; ``shown`` gains this table's variables."""
    shown = set() if shown is None else shown
    rows, again = [], []
    for settings_type in settings_types:
        for info in settings_type.model_fields.values():
            if info.validation_alias is None:
                continue
            first = variable_names(info)[0]
            if first in shown:
                again.append(f"`{first}`")
                continue
            shown.add(first)
            rows.append(f"| {_names(info)} | {_default(info)} | {info.description} |\n")
    also = f"\nAlso read here, as described above: {', '.join(again)}.\n" if again else ""
    return HEADER + "".join(rows) + also


def render(page: str) -> str:
    """``page`` with each generated region replaced by its table."""
    shown: set[str] = set()
    return _REGION.sub(lambda m: m[1] + table(*TABLES[m[2]], shown=shown) + m[4], page)
