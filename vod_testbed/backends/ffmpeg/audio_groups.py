"""Audio rendition groups of an HLS group on ffmpeg (docs/audio-groups.md).

The video outputs run as the group's ladder (:func:`.compile.hls_group_plan`); the
audio-only outputs beside them run as one more ffmpeg process over the same input: each
output's AAC from its own selector's track (an alternate language is another track), at its
own bit rate, sample rate and channels, cut by the hls muxer on the group's segment length
into MediaConvert's names. The multivariant playlist the ladder wrote is then completed as
MediaConvert writes it: an ``EXT-X-MEDIA:TYPE=AUDIO`` per alternate rendition, each video
variant once per audio group it names (``AUDIO=``, with the group's largest rendition in its
BANDWIDTH and CODECS), and audio-only variants as variants of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from vod_testbed.backends import naming
from vod_testbed.backends.captions import language_name
from vod_testbed.backends.ffmpeg.command import GLOBAL_ARGS, EncodePlan, kbps
from vod_testbed.backends.ffmpeg.compile import Source
from vod_testbed.backends.ffmpeg.outputs import RenditionFiles, read_rendition
from vod_testbed.backends.ffmpeg.playlist_text import quoted_string
from vod_testbed.backends.jobmodel.audio_groups import audio_outputs, rendition_sets
from vod_testbed.backends.jobmodel.codecs import Aac
from vod_testbed.backends.jobmodel.model import HlsGroup, Output
from vod_testbed.backends.ladder import AudioRendition
from vod_testbed.common import errors
from vod_testbed.media import containers
from vod_testbed.media.segments import codecs_attribute, inspect_segment


@dataclass(frozen=True)
class AudioGroupPlan:
    """The audio-only outputs of one HLS group and the command that writes them."""

    outputs: tuple[Output, ...]
    argv: list[str]

    @property
    def renditions(self) -> tuple[AudioRendition, ...]:
        return tuple(
            AudioRendition(_aac(o).bitrate, o.name_modifier.removeprefix("_")) for o in self.outputs
        )


def _aac(output: Output) -> Aac:
    codec = output.audio[0].codec
    assert isinstance(codec, Aac)  # the parser admits AAC alone in HLS
    return codec


def audio_group_plan(
    group: HlsGroup, source: Source, video: EncodePlan, ffmpeg_binary: str
) -> AudioGroupPlan | None:
    """The command of a group's audio-only outputs, beside its video ladder ``video``;
    None for a group without any.

    Raises:
        TranscodeError: 1021 when the input has no audio.
    """
    outputs = audio_outputs(group)
    if not outputs:
        return None
    if source.media.audio is None:
        raise errors.TranscodeError(
            errors.AUDIO_ERROR,
            "Audio Error: the audio-only outputs take audio from the input, and the input "
            "has no audio stream.",
        )
    stream = ffmpeg.input(
        containers.file_url(source.path),
        **containers.ffmpeg_input_options(source.media.format_name),
    )
    streams: list[Any] = []
    options: dict[str, str] = {"c:a": "aac"}
    for index, output in enumerate(outputs):
        description = output.audio[0]
        codec = _aac(output)
        streams.append(stream[f"a:{source.audio_stream(description.selector)}"])
        options[f"b:a:{index}"] = kbps(codec.bitrate)
        options[f"ar:a:{index}"] = str(codec.sample_rate)
        options[f"ac:a:{index}"] = str(codec.channels)
        if description.language:
            options[f"metadata:s:a:{index}"] = f"language={description.language.lower()}"
    hls_flags = ["independent_segments"]
    if video.ladder.integer_durations:
        hls_flags.append("round_durations")
    stream_map = [f"a:{i},name:{o.name_modifier}" for i, o in enumerate(outputs)]
    hls = ffmpeg.output(
        *streams,
        str(video.hls_dir / naming.media_playlist_name(video.hls_base, "%v")),
        f="hls",
        hls_time=str(video.ladder.segment_seconds),
        hls_playlist_type="vod",
        hls_flags="+".join(hls_flags),
        hls_segment_type="mpegts",
        start_number="1",
        hls_segment_filename=str(video.hls_dir / naming.segment_pattern(video.hls_base, "%v")),
        var_stream_map=" ".join(stream_map),
        max_muxing_queue_size="4096",
        **options,
    )
    argv: list[str] = hls.global_args(*GLOBAL_ARGS).compile(
        cmd=ffmpeg_binary, overwrite_output=True
    )
    return AudioGroupPlan(outputs, argv)


def read_audio_renditions(video: EncodePlan, plan: AudioGroupPlan) -> list[RenditionFiles]:
    round_up = video.ladder.round_target_duration_up
    return [
        read_rendition(video.hls_dir, video.hls_base, r, round_up=round_up) for r in plan.renditions
    ]


def in_settings_order(
    group: HlsGroup, renditions: Sequence[RenditionFiles]
) -> list[RenditionFiles]:
    """The group's renditions in the order of its outputs (the COMPLETE event's order)."""
    order = {o.name_modifier: i for i, o in enumerate(group.outputs)}
    return sorted(renditions, key=lambda r: order.get(f"_{r.name}", len(order)))


_STREAM_INF = re.compile(r"BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=(\d+),CODECS=\"([^\"]*)\"")


def _media_line(output: Output, rendition: RenditionFiles) -> str:
    settings = output.audio_rendition
    assert settings is not None
    description = output.audio[0]
    language = (description.language or "").lower()
    name = description.stream_name or (language_name(language) if language else rendition.name)
    attributes = [f'TYPE=AUDIO,GROUP-ID="{quoted_string(settings.group_id)}"']
    if language:
        attributes.append(f'LANGUAGE="{language}"')
    attributes += [
        f'NAME="{quoted_string(name)}"',
        f"AUTOSELECT={'YES' if settings.autoselect else 'NO'}",
        f"DEFAULT={'YES' if settings.default else 'NO'}",
        f'CHANNELS="{_aac(output).channels}"',
        f'URI="{rendition.playlist.name}"',
    ]
    return "#EXT-X-MEDIA:" + ",".join(attributes)


def _codecs(rendition: RenditionFiles) -> str:
    try:
        return codecs_attribute(inspect_segment(rendition.segments[0]))
    except ValueError as exc:
        raise errors.TranscodeError(
            errors.AUDIO_ERROR, f"The encoder output is unusable: {exc}."
        ) from exc


def write_audio_groups(
    master: Path,
    group: HlsGroup,
    plan: AudioGroupPlan,
    audio: Sequence[RenditionFiles],
) -> None:
    """Complete the multivariant playlist ``master`` (written for the video variants) with
    the group's audio renditions and audio-only variants."""
    by_name = {f"_{r.name}": r for r in audio}
    alternates: dict[str, list[tuple[Output, RenditionFiles]]] = {}
    variants: list[RenditionFiles] = []
    for output in plan.outputs:
        rendition = by_name[output.name_modifier]
        if output.audio_rendition is None:
            variants.append(rendition)
        else:
            alternates.setdefault(output.audio_rendition.group_id, []).append((output, rendition))
    videos = {o.name_modifier: o for o in group.outputs if o.video is not None}
    lines = master.read_text(encoding="utf-8").splitlines()
    head, body = lines[:3], lines[3:]  # EXTM3U, VERSION, INDEPENDENT-SEGMENTS
    media = [_media_line(o, r) for members in alternates.values() for o, r in members]
    out: list[str] = [*head, *media]
    index = 0
    while index < len(body):
        line = body[index]
        found = _STREAM_INF.search(line) if line.startswith("#EXT-X-STREAM-INF:") else None
        if found is None or not alternates:
            out.append(line)
            index += 1
            continue
        uri = body[index + 1]
        modifier = uri.removeprefix(master.stem).removesuffix(".m3u8")
        video = videos.get(modifier)
        for group_id in rendition_sets(video) if video is not None else ():
            members = [r for _, r in alternates[group_id]]
            bandwidth = int(found.group(1)) + max(r.peak_bandwidth for r in members)
            average = int(found.group(2)) + max(r.average_bandwidth for r in members)
            audio_codecs = sorted({_codecs(r) for r in members})
            attributes = (
                f'BANDWIDTH={bandwidth},AVERAGE-BANDWIDTH={average},CODECS="'
                + ",".join([found.group(3), *audio_codecs])
                + '"'
            )
            rest = line[found.end() :]
            named_group = quoted_string(group_id)
            out.append(f'#EXT-X-STREAM-INF:{attributes}{rest},AUDIO="{named_group}"')
            out.append(uri)
        index += 2
    for rendition in variants:
        out.append(
            "#EXT-X-STREAM-INF:"
            f"BANDWIDTH={rendition.peak_bandwidth},"
            f"AVERAGE-BANDWIDTH={rendition.average_bandwidth},"
            f'CODECS="{_codecs(rendition)}"'
        )
        out.append(rendition.playlist.name)
    tmp = master.with_suffix(".m3u8.tmp")
    tmp.write_text("\n".join(out) + "\n", encoding="utf-8")
    tmp.replace(master)
