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

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from vod_testbed.backends.jobmodel.codecs import H264, H265
from vod_testbed.backends.jobmodel.inputs import AutomatedAbr, Resolution
from vod_testbed.backends.jobmodel.model import HlsGroup, JobSpec, Output, OutputGroup
from vod_testbed.backends.ladder import RateControl

DEFAULT_QUALITY = 7
# The usual streaming heights, largest first.
CANDIDATE_HEIGHTS = (2160, 1440, 1080, 900, 720, 540, 432, 360, 288, 234, 180)


class AbrSettingsError(ValueError):
    """Rules that contradict each other, as the user guide lists the restrictions."""


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


def _at_aspect(height: int, aspect: float) -> Resolution:
    return Resolution(_even(height * aspect), _even(height))


def _largest_first(sizes: set[Resolution]) -> list[Resolution]:
    return sorted(sizes, key=lambda s: (-s.pixels, -s.width))


def _thin(sizes: list[Resolution], count: int, keep: set[Resolution]) -> list[Resolution]:
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
    return _largest_first(chosen)[: max(count, len(keep))]


def check_rules(abr: AutomatedAbr) -> list[str]:
    """The combinations the user guide rules out ("Automated ABR rules")."""
    problems = []
    if abr.min_bitrate > abr.max_bitrate:
        problems.append("minAbrBitrate is above maxAbrBitrate")
    if abr.allowed is not None and abr.force_include:
        problems.append("ALLOWED_RENDITIONS and FORCE_INCLUDE_RENDITIONS cannot be used together")
    listed = abr.allowed if abr.allowed is not None else abr.force_include
    if len(set(listed)) > abr.max_renditions and abr.allowed is None:
        problems.append("more forced renditions than maxRenditions")
    if abr.min_bottom and any(f.pixels < abr.min_bottom.pixels for f in abr.force_include):
        problems.append("a forced rendition is below the minimum bottom rendition size")
    top = abr.min_top
    if top and abr.allowed is not None and not any(a.pixels >= top.pixels for a in abr.allowed):
        problems.append("no allowed rendition is at least the minimum top rendition size")
    return problems


def automated_ladder(
    source: Resolution, max_size: Resolution | None, abr: AutomatedAbr
) -> tuple[Rendition, ...]:
    """The renditions for a source of ``source`` (display) size, largest first.

    Raises:
        AbrSettingsError: rules the user guide says cannot be combined.
    """
    problems = check_rules(abr)
    if problems:
        raise AbrSettingsError("; ".join(problems))
    quality = abr.max_quality or DEFAULT_QUALITY
    aspect = source.width / source.height
    limit = max_size or source
    forced: set[Resolution] = set(abr.force_include)
    if abr.allowed is not None:
        candidates = _largest_first(set(abr.allowed))
        forced = set(abr.required)
    else:
        top = min(source.height, limit.height, round(limit.width / aspect))
        candidates = [_at_aspect(top, aspect)] + [
            _at_aspect(h, aspect) for h in CANDIDATE_HEIGHTS if h < top
        ]
    if abr.min_top and not any(c.pixels >= abr.min_top.pixels for c in candidates):
        candidates.insert(0, abr.min_top)  # the top is raised to it, as the rule says
    if abr.min_bottom:
        floor = abr.min_bottom.pixels
        candidates = [c for c in candidates if c.pixels >= floor] or candidates[:1]
    sizes = _thin(_largest_first(set(candidates) | forced), abr.max_renditions, forced)
    return tuple(
        Rendition(s.width, s.height, _bitrate(s, sizes, abr.max_bitrate, abr.min_bitrate), quality)
        for s in sizes
    )


def _bitrate(size: Resolution, sizes: Sequence[Resolution], top: int, bottom: int) -> int:
    """Geometric from ``bottom`` (the smallest) to ``top`` (the largest), by pixel count,
    rounded to 1 kb/s."""
    largest, smallest = sizes[0].pixels, sizes[-1].pixels
    if largest == smallest:
        return top
    position = math.log(size.pixels / smallest) / math.log(largest / smallest)
    return round(bottom * (top / bottom) ** position, -3)


def expanded(spec: JobSpec, source: Resolution) -> tuple[JobSpec, list[str]]:
    """``spec`` with each automated ABR group's base output (its first video output) replaced
    by the ladder's renditions, and the job warnings that say so.

    Each rendition is the base output with its box, QVBR quality and maximum bitrate set
    and ``_<width>x<height>`` added to its name modifier; the group's other outputs (audio
    or captions only) stay as they are.

    Raises:
        AbrSettingsError: rules the user guide says cannot be combined.
    """
    groups: list[OutputGroup] = []
    warnings = []
    for group in spec.output_groups:
        if not isinstance(group, HlsGroup) or group.automated_abr is None:
            groups.append(group)
            continue
        abr = group.automated_abr
        base = next((o for o in group.outputs if o.video is not None), None)
        if base is None or base.video is None:
            groups.append(group)
            continue
        video = base.video
        limit = Resolution(video.width, video.height) if video.width and video.height else None
        renditions = automated_ladder(source, limit, abr)
        outputs: list[Output] = []
        for output in group.outputs:
            if output is not base:
                outputs.append(output)
                continue
            for rendition in renditions:
                codec = video.codec
                if isinstance(codec, H264 | H265):
                    rate = dataclasses.replace(
                        codec.rate,
                        mode=RateControl.QVBR,
                        peak_bitrate=rendition.max_bitrate,
                        qvbr_quality=rendition.qvbr_quality,
                        bitrate=rendition.max_bitrate,
                    )
                    codec = dataclasses.replace(codec, rate=rate)
                outputs.append(
                    dataclasses.replace(
                        output,
                        name_modifier=rendition.name_modifier(output.name_modifier),
                        video=dataclasses.replace(
                            video, codec=codec, width=rendition.width, height=rendition.height
                        ),
                    )
                )
        groups.append(dataclasses.replace(group, outputs=tuple(outputs), automated_abr=None))
        sizes = ", ".join(f"{r.width}x{r.height}@{r.max_bitrate // 1000}k" for r in renditions)
        warnings.append(
            "Automated ABR is emulated with a deterministic ladder from the source and the "
            f"limits, not AWS's per-job choice: {sizes}."
        )
    return dataclasses.replace(spec, output_groups=tuple(groups)), warnings
