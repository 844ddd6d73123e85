"""The object names of CMAF and DASH ISO groups, as MediaConvert writes them
(docs/jobs.md, "CMAF and DASH", which lists the sources and what is inferred).

For a group whose destination base is ``master`` and an output whose modifier is ``_720p``:

* segments ``master_720p_000000001.cmfv`` (nine digits from 1; ``.cmfa`` for audio;
  ``.mp4`` in DASH ISO groups), behind the init segment ``master_720pinit.cmfv``;
* the DASH manifest ``master.mpd``; in CMAF groups the HLS multivariant playlist
  ``master.m3u8``, each output's media playlist ``master_720p.m3u8`` and, with
  ``IFrameOnlyManifest: INCLUDE``, ``master_720p_I-Frame.m3u8``.
"""

from __future__ import annotations

from vod_testbed.backends.jobmodel.model import CmafGroup, Output, StreamingGroup


def extension(group: StreamingGroup, output: Output) -> str:
    """``cmfv``/``cmfa`` in CMAF groups (by the track's kind), ``mp4`` in DASH ISO groups."""
    if not isinstance(group, CmafGroup):
        return "mp4"
    return "cmfv" if output.video is not None else "cmfa"


def init_name(base: str, group: StreamingGroup, output: Output) -> str:
    return f"{base}{output.name_modifier}init.{extension(group, output)}"


def numbered(stem: str, number: int, ext: str) -> str:
    """``<stem>_<nine digits>.<ext>``: segment ``number`` (from 1) of ``<base><modifier>``."""
    return f"{stem}_{number:09d}.{ext}"


def segment_name(base: str, group: StreamingGroup, output: Output, number: int) -> str:
    return numbered(f"{base}{output.name_modifier}", number, extension(group, output))


def segment_template(base: str, group: StreamingGroup, output: Output) -> str:
    """The DASH ``SegmentTemplate@media`` of an output (ffmpeg's dash muxer reads it too)."""
    return f"{base}{output.name_modifier}_$Number%09d$.{extension(group, output)}"


def mpd_name(base: str) -> str:
    return f"{base}.mpd"


def top_manifests(base: str, group: StreamingGroup) -> tuple[str, ...]:
    """The group's top-level manifests as its COMPLETE event lists them: a CMAF group's HLS
    multivariant playlist first, then the MPD."""
    names = []
    if isinstance(group, CmafGroup) and group.write_hls:
        names.append(f"{base}.m3u8")
    if not isinstance(group, CmafGroup) or group.write_dash:
        names.append(mpd_name(base))
    return tuple(names)
