"""Automated ABR (``AutomatedEncodingSettings``): the emulator's deterministic stand-in for the
ladder MediaConvert chooses per job.

AWS decides the renditions while it transcodes, from the content's complexity ("there's no
way to know before running the job what those decisions will be", user guide, "Automated
ABR frequently asked questions"). The emulator cannot reproduce that choice; it builds a
ladder from the source and the limits alone, the same for the same inputs, and says so in
a job warning. What it honours exactly are the documented limits (service model,
``AutomatedAbrSettings``, ``AutomatedAbrRule``; user guide, "Automated ABR rules"):

- at most ``MaxRenditions`` renditions (3..15, default 15);
- the top rendition's average bitrate at most ``MaxAbrBitrate`` (default 8,000,000), the
  bottom one's near ``MinAbrBitrate`` (default 600,000);
- no rendition larger than the base output's ``Width`` x ``Height`` (its maximum
  resolution);
- the rules: ``MIN_TOP_RENDITION_SIZE``, ``MIN_BOTTOM_RENDITION_SIZE``,
  ``FORCE_INCLUDE_RENDITIONS``, ``ALLOWED_RENDITIONS`` (those marked ``Required`` kept).

The approximation (emulator/COVERAGE.md): candidate heights are the usual streaming
rungs at the source's aspect ratio (or the allowed sizes), thinned evenly to the maximum
count keeping the top and the bottom; bitrates run geometrically from the minimum to the
maximum by pixel count; every rendition is QVBR with ``MaxQualityLevel`` (default 7) and
its bitrate as the cap. Outputs are named ``<NameModifier>_<width>x<height>`` (AWS does not
document its names).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_RENDITIONS = 15
DEFAULT_MAX_BITRATE = 8_000_000
DEFAULT_MIN_BITRATE = 600_000
DEFAULT_QUALITY = 7
# The usual streaming heights, largest first.
CANDIDATE_HEIGHTS = (2160, 1440, 1080, 900, 720, 540, 432, 360, 288, 234, 180)


class AbrSettingsError(ValueError):
    """Rules that contradict each other, as the user guide lists the restrictions."""


@dataclass(frozen=True, order=True)
class Size:
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @classmethod
    def from_settings(cls, value: Mapping[str, Any]) -> Size:
        return cls(int(value["width"]), int(value["height"]))


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    max_bitrate: int
    qvbr_quality: int

    def name_modifier(self, base: str) -> str:
        return f"{base}_{self.width}x{self.height}"


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _at_aspect(height: int, aspect: float) -> Size:
    return Size(_even(height * aspect), _even(height))


def _thin(sizes: list[Size], count: int, keep: set[Size]) -> list[Size]:
    """At most ``count`` of ``sizes`` (largest first), evenly spread, keeping the top, the
    bottom and ``keep``."""
    if len(sizes) <= count:
        return sizes
    chosen = {sizes[0], sizes[-1], *keep}
    rest = [s for s in sizes if s not in chosen]
    free = count - len(chosen)
    if free > 0:
        step = len(rest) / free
        chosen |= {rest[int(i * step + step / 2)] for i in range(free)}
    return sorted(chosen, key=lambda s: -s.pixels)[: max(count, len(keep))]


def automated_ladder(
    source: Size,
    max_size: Size | None,
    abr: Mapping[str, Any],
) -> tuple[Rendition, ...]:
    """The renditions for a source of ``source`` (display) size under ``abrSettings``
    (wire form), largest first.

    Raises:
        AbrSettingsError: rules the user guide says cannot be combined.
    """
    max_renditions = int(abr.get("maxRenditions", DEFAULT_MAX_RENDITIONS))
    top_rate = int(abr.get("maxAbrBitrate", DEFAULT_MAX_BITRATE))
    bottom_rate = int(abr.get("minAbrBitrate", DEFAULT_MIN_BITRATE))
    quality = int(abr.get("maxQualityLevel", DEFAULT_QUALITY))
    if bottom_rate > top_rate:
        raise AbrSettingsError("minAbrBitrate is above maxAbrBitrate")
    aspect = source.width / source.height
    limit = max_size or source
    rules = {rule.get("type"): rule for rule in abr.get("rules") or []}
    forced: set[Size] = set()
    if "ALLOWED_RENDITIONS" in rules and "FORCE_INCLUDE_RENDITIONS" in rules:
        raise AbrSettingsError(
            "ALLOWED_RENDITIONS and FORCE_INCLUDE_RENDITIONS cannot be used together"
        )
    if "ALLOWED_RENDITIONS" in rules:
        allowed = rules["ALLOWED_RENDITIONS"].get("allowedRenditions") or []
        candidates = sorted({Size.from_settings(a) for a in allowed}, key=lambda s: -s.pixels)
        forced = {Size.from_settings(a) for a in allowed if a.get("required") == "ENABLED"}
    else:
        top = min(source.height, limit.height, round(limit.width / aspect))
        candidates = [_at_aspect(top, aspect)] + [
            _at_aspect(h, aspect) for h in CANDIDATE_HEIGHTS if h < top
        ]
        if "FORCE_INCLUDE_RENDITIONS" in rules:
            forced = {
                Size.from_settings(f)
                for f in rules["FORCE_INCLUDE_RENDITIONS"].get("forceIncludeRenditions") or []
            }
    if "MIN_TOP_RENDITION_SIZE" in rules:
        floor = Size.from_settings(rules["MIN_TOP_RENDITION_SIZE"]["minTopRenditionSize"])
        if not any(c.pixels >= floor.pixels for c in candidates):
            if "ALLOWED_RENDITIONS" in rules:
                raise AbrSettingsError(
                    "no allowed rendition is at least the minimum top rendition size"
                )
            candidates.insert(0, floor)  # the top is raised to it, as the rule says
    if "MIN_BOTTOM_RENDITION_SIZE" in rules:
        floor = Size.from_settings(rules["MIN_BOTTOM_RENDITION_SIZE"]["minBottomRenditionSize"])
        if any(f.pixels < floor.pixels for f in forced):
            raise AbrSettingsError("a forced rendition is below the minimum bottom rendition size")
        candidates = [c for c in candidates if c.pixels >= floor.pixels] or [candidates[0]]
    if len(forced) > max_renditions:
        raise AbrSettingsError("more forced renditions than maxRenditions")
    sizes = sorted(set(candidates) | forced, key=lambda s: -s.pixels)
    sizes = _thin(sizes, max_renditions, forced)
    return tuple(
        Rendition(s.width, s.height, _bitrate(s, sizes, top_rate, bottom_rate), quality)
        for s in sizes
    )


def _bitrate(size: Size, sizes: Sequence[Size], top: int, bottom: int) -> int:
    """Geometric from ``bottom`` (the smallest) to ``top`` (the largest), by pixel count,
    rounded to 1 kb/s."""
    largest, smallest = sizes[0].pixels, sizes[-1].pixels
    if largest == smallest:
        return top
    position = math.log(size.pixels / smallest) / math.log(largest / smallest)
    return round(bottom * (top / bottom) ** position, -3)
