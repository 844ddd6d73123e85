"""HLS segment modifiers after the fact: segments renamed with the modifier, and their media
playlist rewritten to match.

MediaConvert puts a segment modifier "between the name modifier and segment index number"
(service model, ``HlsSettings.SegmentModifier``), and in an HLS segment modifier the date
and time identifiers "resolve to the completion time of each segment, rather than to the
start time of the job" (user guide, "Using settings variables with streaming outputs"). ffmpeg
names segments as it writes them, so the modifier is applied once the media playlist is
complete: each segment takes its file's modification time, the moment the muxer finished it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.command import EncodePlan
from vod_testbed.backends.jobmodel.format_identifiers import OutputFacts, resolve
from vod_testbed.backends.jobmodel.model import HlsGroup, JobSpec

# ``<base><name modifier>_00001.ts``: the part before the index, the index and extension.
_SEGMENT = re.compile(r"^(?P<stem>.*)(?P<index>_\d{5}\.(?:ts|aac|mp4|m4s|vtt))$")

Resolver = Callable[[datetime], str]


def apply_segment_modifier(playlist: Path, modifier: Resolver) -> list[str]:
    """Rename the segments ``playlist`` lists and rewrite it; returns the new names.

    ``modifier(completed)`` is the resolved modifier for a segment completed at ``completed``
    (UTC). Segment URIs are names in the playlist's own folder, as the ladder writes them.
    """
    lines = playlist.read_text().splitlines()
    renamed: list[str] = []
    out = []
    for line in lines:
        match = _SEGMENT.match(line) if line and not line.startswith("#") else None
        if match is None:
            out.append(line)
            continue
        segment = playlist.parent / line
        completed = datetime.fromtimestamp(segment.stat().st_mtime, tz=UTC)
        name = f"{match['stem']}{modifier(completed)}{match['index']}"
        if "/" in name or name in (".", ".."):
            raise ValueError(f"segment modifier makes {name!r}, not a file name")
        segment.rename(playlist.parent / name)
        renamed.append(name)
        out.append(name)
    playlist.write_text("\n".join(out) + "\n")
    return renamed


def apply_group_segment_modifiers(
    group: HlsGroup, plan: EncodePlan, model: JobSpec, started: datetime
) -> None:
    """Each output's segment modifier applied to its variant in ``plan``'s folder; the
    format identifiers resolve as :func:`~vod_testbed.backends.jobmodel.format_identifiers.
    resolve` says (``$dt$``, ``$d$``, ``$t$`` at each segment's completion)."""
    # Each rendition is the output of its name modifier: the group's captions-only outputs
    # (WebVTT renditions, written after the modifiers) have no rendition in the ladder.
    outputs = {o.name_modifier: o for o in group.outputs}
    for rendition in plan.renditions:
        output = outputs[rendition.rung.name_modifier]
        if not output.segment_modifier:
            continue
        audio = tuple(getattr(a.codec, "bitrate", None) or 0 for a in output.audio)
        facts = OutputFacts(
            video_bitrate=rendition.rung.max_bitrate,
            audio_bitrates=audio,
            width=rendition.geometry.box_width,
            height=rendition.geometry.box_height,
            frame_rate=float(plan.frame_rate),
            extension="m3u8",
        )
        name = naming.media_playlist_name(plan.hls_base, rendition.rung.name_modifier)
        resolver = functools.partial(
            _resolved, output.segment_modifier, started, model.inputs[0].uri, facts
        )
        apply_segment_modifier(plan.hls_dir / name, resolver)


def _resolved(
    text: str, started: datetime, input_uri: str, facts: OutputFacts, completed: datetime
) -> str:
    return resolve(
        text, started=started, input_uri=input_uri, facts=facts, segment_completed=completed
    )
