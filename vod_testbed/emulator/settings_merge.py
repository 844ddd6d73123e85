"""How a job's settings combine with its job template and its outputs' presets.

MediaConvert starts from the template and lets the job override it: objects merge key by
key, lists merge element by element (a job's ``inputs[0]`` completes the template's
``inputs[0]``, which has no ``fileInput``), and a value the job gives replaces the
template's. An output naming a ``preset`` takes the preset's ``containerSettings``,
``videoDescription``, ``audioDescriptions`` and ``captionDescriptions`` under its own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

PRESET_MEMBERS = (
    "containerSettings",
    "videoDescription",
    "audioDescriptions",
    "captionDescriptions",
)


def deep_merge(base: Any, override: Any) -> Any:
    """``override`` layered over ``base`` (neither is modified)."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = copy.deepcopy(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(override, list):
        merged_list = [
            deep_merge(base[i], override[i]) if i < len(base) else copy.deepcopy(override[i])
            for i in range(len(override))
        ]
        # Template elements beyond the job's list still apply (e.g. extra output groups).
        merged_list.extend(copy.deepcopy(base[len(override) :]))
        return merged_list
    return copy.deepcopy(override)


def apply_presets(
    settings: dict[str, Any], load_preset: Callable[[str], dict[str, Any]]
) -> dict[str, Any]:
    """Settings with each ``outputs[].preset`` expanded; the output's own members win.

    ``load_preset(name)`` returns the preset's settings (raising if there is none).
    """
    result = copy.deepcopy(settings)
    for group in result.get("outputGroups", []):
        outputs = group.get("outputs", [])
        for index, output in enumerate(outputs):
            name = output.get("preset")
            if not name:
                continue
            preset = load_preset(name)
            base = {key: preset[key] for key in PRESET_MEMBERS if key in preset}
            outputs[index] = deep_merge(base, output)
    return result


def without_preset_names(settings: dict[str, Any]) -> dict[str, Any]:
    """Expanded settings minus the ``preset`` names (kept on the job, as AWS echoes them)."""
    result = copy.deepcopy(settings)
    for group in result.get("outputGroups", []):
        for output in group.get("outputs", []):
            output.pop("preset", None)
    return result
