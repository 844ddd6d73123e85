"""The manifests of a CMAF or DASH ISO group, written from the segments as read back
(:mod:`.cmaf`): durations from the fragments' sample durations, CODECS from the init
segments, bandwidths measured from the segment sizes (docs/jobs.md, "CMAF and DASH").

* HLS (CMAF groups with ``WriteHlsManifest``): each output's media playlist with
  ``EXT-X-MAP`` naming its init segment; audio outputs are ``EXT-X-MEDIA`` renditions of
  one group that every video variant names in ``AUDIO``; I-frame playlists where asked for.
* DASH (CMAF with ``WriteDashManifest``, and every DASH ISO group): one static, main-profile
  MPD in which video and audio are separate adaptation sets (dash.js plays no muxed
  audio and video), each representation with its own ``SegmentTemplate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.cmaf import StreamGroupPlan, WrittenTrack
from vod_testbed.backends.jobmodel import stream_names
from vod_testbed.backends.jobmodel.model import CmafGroup, Cmfc
from vod_testbed.media.iframes import IFrame, iframe_bandwidth, iframe_playlist
from vod_testbed.media.measure import SegmentSize, average_bitrate, peak_bitrate

DASH_NS = "urn:mpeg:dash:schema:mpd:2011"
AUDIO_CHANNELS_SCHEME = "urn:mpeg:dash:23003:3:audio_channel_configuration:2011"


@dataclass(frozen=True)
class Manifests:
    """What was written: media and I-frame playlists, then the top-level manifests (the
    HLS multivariant playlist first, when there is one)."""

    playlists: tuple[Path, ...]
    top: tuple[Path, ...]


def _sizes(track: WrittenTrack) -> list[SegmentSize]:
    return [SegmentSize(d, s) for d, s in zip(track.durations_s, track.sizes(), strict=True)]


def bandwidths(track: WrittenTrack, segment_seconds: int) -> tuple[int, int]:
    """(peak, average) bits per second of a track's segments (RFC 8216's peak)."""
    sizes = _sizes(track)
    return peak_bitrate(sizes, segment_seconds), average_bitrate(sizes)


def write_manifests(plan: StreamGroupPlan, tracks: list[WrittenTrack]) -> Manifests:
    group = plan.group
    playlists: list[Path] = []
    top: list[Path] = []
    if isinstance(group, CmafGroup) and group.write_hls:
        lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"]
        audio = [t for t in tracks if t.track.output.video is None]
        audio_peak = max((bandwidths(t, group.segment_seconds)[0] for t in audio), default=0)
        audio_average = max((bandwidths(t, group.segment_seconds)[1] for t in audio), default=0)
        for number, track in enumerate(audio):
            playlists.append(_media_playlist(plan, track))
            output = track.track.output
            assert isinstance(output.container, Cmfc)
            language = output.audio[0].language
            lines.append(
                f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="{output.container.audio_group}",'
                f'NAME="{output.name_modifier.lstrip("_") or "audio"}",'
                + (f'LANGUAGE="{language}",' if language else "")
                + f"DEFAULT={'YES' if number == 0 else 'NO'},AUTOSELECT=YES,"
                f'CHANNELS="{track.init.channels}",URI="{playlists[-1].name}"'
            )
        iframe_lines = []
        for track in (t for t in tracks if t.track.output.video is not None):
            playlists.append(_media_playlist(plan, track))
            peak, average = bandwidths(track, group.segment_seconds)
            codecs = ",".join([track.init.codecs] + ([audio[0].init.codecs] if audio else []))
            rate = track.track.frame_rate
            lines.append(
                f"#EXT-X-STREAM-INF:BANDWIDTH={peak + audio_peak},"
                f"AVERAGE-BANDWIDTH={average + audio_average},"
                f'CODECS="{codecs}",RESOLUTION={track.init.width}x{track.init.height},'
                f"FRAME-RATE={float(rate):.3f}"
                + (f',AUDIO="{audio[0].track.output.container.audio_group}"' if audio else "")  # type: ignore[union-attr]
            )
            lines.append(playlists[-1].name)
            container = track.track.output.container
            if isinstance(container, Cmfc) and container.iframe_only:
                iframes, peak, average = _iframe_playlist(plan, track)
                playlists.append(iframes)
                iframe_lines.append(
                    f"#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH={peak},AVERAGE-BANDWIDTH={average},"
                    f'CODECS="{track.init.codecs}",'
                    f'RESOLUTION={track.init.width}x{track.init.height},URI="{iframes.name}"'
                )
        master = plan.work / naming.master_playlist_name(plan.base)
        master.write_text("\n".join(lines + iframe_lines) + "\n", encoding="utf-8")
        top.append(master)
    if not isinstance(group, CmafGroup) or group.write_dash:
        top.append(_write_mpd(plan, tracks))
    return Manifests(tuple(playlists), tuple(top))


def _media_playlist(plan: StreamGroupPlan, track: WrittenTrack) -> Path:
    group = plan.group
    assert isinstance(group, CmafGroup)
    durations = track.durations_s
    longest = max(durations)
    target = math.ceil(round(longest, 6)) if group.round_target_duration_up else round(longest)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:6",
        f"#EXT-X-TARGETDURATION:{max(target, 1)}",
        "#EXT-X-MEDIA-SEQUENCE:1",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        f'#EXT-X-MAP:URI="{track.init_path.name}"',
    ]
    for duration, segment in zip(durations, track.segments, strict=True):
        shown = f"{round(duration)}" if group.integer_durations else f"{duration:.5f}"
        lines += [f"#EXTINF:{shown},", segment.name]
    lines.append("#EXT-X-ENDLIST")
    path = plan.work / naming.media_playlist_name(plan.base, track.track.output.name_modifier)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _iframe_playlist(plan: StreamGroupPlan, track: WrittenTrack) -> tuple[Path, int, int]:
    """Byte ranges from each fragment that starts with a sync sample (its moof) to the end
    of that sample's data: an I-frame a player can decode with the init segment alone."""
    scale = track.init.timescale
    frames = [
        IFrame(segment, f.offset, f.first_sample_end - f.offset, f.decode_time / scale)
        for segment, fragments in zip(track.segments, track.fragments, strict=True)
        for f in fragments
        if f.starts_with_sync
    ]
    end_s = frames[0].time_s + track.duration_s if frames else track.duration_s
    name = naming.iframe_playlist_name(plan.base, track.track.output.name_modifier)
    text = iframe_playlist(frames, end_s, 6, plan.work, map_uri=track.init_path.name)
    path = plan.work / name
    path.write_text(text, encoding="utf-8")
    return (path, *iframe_bandwidth(frames, end_s))


def _seconds(value: float) -> str:
    return f"PT{value:.3f}S"


def _write_mpd(plan: StreamGroupPlan, tracks: list[WrittenTrack]) -> Path:
    group = plan.group
    options = group.mpd
    # The picture's length: AAC frames run a few ms past it, and a longer presentation
    # would make SegmentTemplate@duration name a video segment that does not exist.
    duration = max(t.duration_s for t in tracks if t.track.output.video is not None)
    mpd = ET.Element(
        "MPD",
        {
            "xmlns": DASH_NS,
            "type": "static",
            "profiles": "urn:mpeg:dash:profile:isoff-main:2011",
            "minBufferTime": _seconds(options.min_buffer_ms / 1000),
            "mediaPresentationDuration": _seconds(duration),
        },
    )
    period = ET.SubElement(mpd, "Period", {"id": "1", "start": "PT0S"})
    number = 0
    for kind in ("video", "audio"):
        members = [t for t in tracks if (t.track.output.video is not None) == (kind == "video")]
        if not members:
            continue
        adaptation = ET.SubElement(
            period,
            "AdaptationSet",
            {
                "id": str(len(period)),
                "contentType": kind,
                "mimeType": f"{kind}/mp4",
                "segmentAlignment": "true",
                "startWithSAP": "1",
            },
        )
        for track in members:
            number += 1
            peak, average = bandwidths(track, group.segment_seconds)
            attributes = {
                "id": str(number),
                "bandwidth": str(peak if options.peak_bandwidth else average),
                "codecs": track.init.codecs,
            }
            if kind == "video":
                attributes |= {
                    "width": str(track.init.width),
                    "height": str(track.init.height),
                    "frameRate": str(track.track.frame_rate),
                    "sar": "1:1",
                }
            else:
                attributes["audioSamplingRate"] = str(track.init.sample_rate)
            representation = ET.SubElement(adaptation, "Representation", attributes)
            if kind == "audio":
                ET.SubElement(
                    representation,
                    "AudioChannelConfiguration",
                    {"schemeIdUri": AUDIO_CHANNELS_SCHEME, "value": str(track.init.channels)},
                )
            _segment_template(representation, plan, track)
    path = plan.work / stream_names.mpd_name(plan.base)
    ET.ElementTree(mpd).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _segment_template(parent: ET.Element, plan: StreamGroupPlan, track: WrittenTrack) -> None:
    scale = track.init.timescale
    output = track.track.output
    template = ET.SubElement(
        parent,
        "SegmentTemplate",
        {
            "timescale": str(scale),
            "initialization": track.init_path.name,
            "media": stream_names.segment_template(plan.base, plan.group, output),
            "startNumber": "1",
        },
    )
    if not plan.group.mpd.segment_timeline:
        template.set("duration", str(plan.group.segment_seconds * scale))
        return
    timeline = ET.SubElement(template, "SegmentTimeline")
    for index, fragments in enumerate(track.fragments):
        entry = {"d": str(sum(f.duration for f in fragments))}
        if index == 0:
            entry["t"] = str(fragments[0].decode_time)
        ET.SubElement(timeline, "S", entry)
