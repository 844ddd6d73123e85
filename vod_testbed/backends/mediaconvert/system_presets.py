"""AWS's system presets (``System-...``) that the emulator knows, with their published settings.

The catalogue is a data file, ``system_presets.json``, whose ``source`` names where its
settings come from. Settings are kept as AWS's API documentation and boto3 write them
(PascalCase) and handed out in the wire's camelCase, as the emulator stores everything.
Only presets whose settings are published are catalogued: a preset with invented settings
would make a test pass against a name whose real output differs. The one exception is the
``System-Generic_...`` MP4 family, whose names spell their settings out and which public
jobs name most: ``generic_presets`` reads them, and says so in each one's description.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from vod_testbed.backends.mediaconvert import generic_presets
from vod_testbed.backends.mediaconvert.model import to_wire_case

CATALOGUE = "system_presets.json"
PREFIX = "System-"


@dataclass(frozen=True)
class SystemPreset:
    name: str
    description: str
    category: str
    settings: dict[str, Any]  # wire (camelCase) PresetSettings


@functools.cache
def _catalogue() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(CATALOGUE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def source() -> str:
    """Where the catalogue's settings come from."""
    return str(_catalogue()["source"])


@functools.cache
def system_presets() -> tuple[SystemPreset, ...]:
    """Every system preset listed by ``ListPresets(ListBy=SYSTEM)``: the catalogue's, in its
    order, then the Generic family's names that AWS's documentation and samples use. Made
    once per process (every emulator start stores them): callers must not change them."""
    published = tuple(
        SystemPreset(
            name=entry["Name"],
            description=entry["Description"],
            category=entry["Category"],
            settings=to_wire_case(entry["Settings"], "PresetSettings"),
        )
        for entry in _catalogue()["presets"]
    )
    generic = (generic_preset(name) for name in generic_presets.KNOWN)
    return published + tuple(preset for preset in generic if preset is not None)


def generic_preset(name: str) -> SystemPreset | None:
    """A ``System-Generic_...`` MP4 preset read from its name, or None if it is not one."""
    settings = generic_presets.settings_for(name)
    description = generic_presets.describe(name)
    if settings is None or description is None:
        return None
    return SystemPreset(
        name=name,
        description=description,
        category="GENERIC",
        settings=to_wire_case(settings, "PresetSettings"),
    )
