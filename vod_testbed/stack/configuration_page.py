"""The variable tables of docs/configuration.md, generated from the settings declarations:
each field's variable, default and description are written once, in its settings type, and
the page is rendered from them (``vod-testbed config-reference``; a test fails when they
differ)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from vod_testbed.common.settings import BackendSettings, ClientSettings
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.playback.settings import PlaybackSettings

# Each generated table, by the name its markers carry in the page.
TABLES: dict[str, tuple[type[Any], ...]] = {
    "backends": (BackendSettings,),
    "pipeline": (PipelineSettings, PlaybackSettings),
    "emulator": (EmulatorSettings,),
    "clients": (ClientSettings,),
}
PAGE = Path("docs/configuration.md")
HEADER = "| variable | default | meaning |\n|---|---|---|\n"
_REGION = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.DOTALL)


def _names(info: FieldInfo) -> str:
    first, *fallbacks = (str(choice) for choice in info.validation_alias.choices)  # type: ignore[union-attr]
    shown = f"`{first}`"
    return shown + (f" (else {', '.join(f'`{name}`' for name in fallbacks)})" if fallbacks else "")


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


def table(*settings_types: type[Any]) -> str:
    """The Markdown table of every variable the settings types read, in field order."""
    rows = [
        f"| {_names(info)} | {_default(info)} | {info.description} |\n"
        for settings_type in settings_types
        for info in settings_type.__pydantic_fields__.values()
        if info.validation_alias is not None
    ]
    return HEADER + "".join(rows)


def render(page: str) -> str:
    """``page`` with each generated region replaced by its table."""
    return _REGION.sub(lambda m: m[1] + table(*TABLES[m[2]]) + m[4], page)
