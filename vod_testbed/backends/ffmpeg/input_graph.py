"""The front of a job's ffmpeg graph: its inputs, clipped and stitched into one picture and
one sound, as MediaConvert strings inputs and input clips together.

Pure: builds ffmpeg-python nodes, starts nothing. Each input's video arrives already
normalised to the job's canvas, frame rate and pixel format (so that ``concat`` can join
them); each window of each input is trimmed (``trim``/``atrim``) and the parts are joined in
order with one ``concat``. An input whose selection is silent contributes silence of its
window's length, as MediaConvert inserts silence for an input without the named audio.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ffmpeg

from vod_testbed.backends.jobmodel.audio_selection import AudioSource
from vod_testbed.backends.jobmodel.timecodes import ClipWindow


@dataclass(frozen=True)
class InputPart:
    """One job input in the graph: its normalised video, its audio (None: silent) and the
    windows of it the job uses."""

    video: Any
    audio: Any | None
    windows: tuple[ClipWindow, ...]


def _seconds(value: Any) -> str:
    return f"{float(value):.6f}"


def selected_audio(
    source: AudioSource,
    nodes: Mapping[int | None, Any],
    *,
    sample_rate: int,
) -> Any | None:
    """One input's audio as an output's description selects it (None: silence).

    ``nodes`` maps a job input index (and ``None``, the selector's external file) to its
    ``ffmpeg.input``. Several tracks are combined channel after channel (``amerge``), then
    remixed (``pan``, the gains of ``RemixSettings``), then offset (``adelay``, or a trim for a
    negative offset).
    """
    if source.silent:
        return None
    streams = [nodes[t.source][f"a:{t.stream_index}"] for t in source.tracks]
    audio = (
        streams[0] if len(streams) == 1 else ffmpeg.filter(streams, "amerge", inputs=len(streams))
    )
    if source.remix is not None:
        audio = audio.filter("pan", pan_expression(source.remix.gains))
    if source.offset_ms > 0:
        audio = audio.filter("adelay", f"{source.offset_ms}", all="1")
    elif source.offset_ms < 0:
        audio = audio.filter("atrim", start=_seconds(-source.offset_ms / 1000)).filter(
            "asetpts", "PTS-STARTPTS"
        )
    return audio.filter("aresample", sample_rate)


def pan_expression(gains: Sequence[Sequence[float]]) -> str:
    """``pan``'s argument for a gain matrix: ``<n>c|c0=1.0*c0+0.5*c1|...``."""
    rows = []
    for out, row in enumerate(gains):
        terms = [f"{gain:.6g}*c{i}" for i, gain in enumerate(row) if gain > 0]
        rows.append(f"c{out}=" + ("+".join(terms) if terms else "0*c0"))
    return f"{len(gains)}c|" + "|".join(rows)


def stitched(
    parts: Sequence[InputPart],
    *,
    with_audio: bool,
    sample_rate: int,
    channel_layout: str = "stereo",
) -> tuple[Any, Any | None]:
    """The job's picture and sound: every window of every input, in order.

    A single untrimmed window is passed through untouched (the common job pays nothing).
    Audio parts are brought to one sample rate and layout so that ``concat`` can join them.
    """
    only = parts[0].windows if len(parts) == 1 else ()
    whole = len(only) == 1 and only[0].whole
    if whole and (parts[0].audio is not None or not with_audio):
        return parts[0].video, (parts[0].audio if with_audio else None)
    segments: list[Any] = []
    for part in parts:
        windows = part.windows
        # One input stream feeds each of its windows: split it as many times.
        videos = _split(part.video, "split", len(windows))
        audios = _split(part.audio, "asplit", len(windows)) if with_audio and part.audio else None
        for index, window in enumerate(windows):
            start, end = _seconds(window.start_s), _seconds(window.end_s)
            segments.append(
                videos[index].filter("trim", start=start, end=end).filter("setpts", "PTS-STARTPTS")
            )
            if not with_audio:
                continue
            if audios is not None:
                audio = (
                    audios[index]
                    .filter("atrim", start=start, end=end)
                    .filter("asetpts", "PTS-STARTPTS")
                )
            else:
                audio = ffmpeg.input(
                    f"anullsrc=r={sample_rate}:cl={channel_layout}", f="lavfi"
                ).filter("atrim", end=_seconds(window.duration_s))
            segments.append(
                audio.filter("aresample", sample_rate).filter(
                    "aformat", sample_rates=str(sample_rate), channel_layouts=channel_layout
                )
            )
    count = len(segments) // (2 if with_audio else 1)
    joined = ffmpeg.concat(*segments, n=count, v=1, a=1 if with_audio else 0)
    if with_audio:
        node = joined.node
        return node[0], node[1]
    return joined, None


def _split(stream: Any, name: str, count: int) -> list[Any]:
    if count == 1:
        return [stream]
    node = stream.filter_multi_output(name, count)
    return [node[i] for i in range(count)]
