"""AWS's system presets (``System-...``) that the emulator knows, with their published settings.

The catalogue is a data file, ``system_presets.json``, whose ``source`` names where its
settings come from. Settings are kept as AWS's API documentation and boto3 write them
(PascalCase) and handed out in the wire's camelCase, as the emulator stores everything.
Only presets whose settings are published are listed: a preset with invented settings
would make a test pass against a name whose real output differs.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

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


def system_presets() -> tuple[SystemPreset, ...]:
    """Every system preset of the catalogue, in its order."""
    return tuple(
        SystemPreset(
            name=entry["Name"],
            description=entry["Description"],
            category=entry["Category"],
            settings=to_wire_case(entry["Settings"], "PresetSettings"),
        )
        for entry in _catalogue()["presets"]
    )
