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
    """One job input in the graph: its normalised video, one audio stream per sound track
    of the job (None: silence from this input) and the windows of it the job uses."""

    video: Any
    audio: tuple[Any | None, ...]
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
    remixed (``aeval``, the gains of ``RemixSettings``), then offset (``adelay``, or a trim for a
    negative offset).
    """
    if source.silent:
        return None
    streams = [nodes[t.source][f"a:{t.stream_index}"] for t in source.tracks]
    audio = (
        streams[0] if len(streams) == 1 else ffmpeg.filter(streams, "amerge", inputs=len(streams))
    )
    if source.remix is not None:
        audio = remixed(audio, source.remix.gains)
    if source.offset_ms > 0:
        audio = audio.filter("adelay", f"{source.offset_ms}", all="1")
    elif source.offset_ms < 0:
        audio = audio.filter("atrim", start=_seconds(-source.offset_ms / 1000)).filter(
            "asetpts", "PTS-STARTPTS"
        )
    return audio.filter("aresample", sample_rate)


CHANNEL_LAYOUTS = {1: "mono", 2: "stereo", 6: "5.1", 8: "7.1"}


def remixed(audio: Any, gains: Sequence[Sequence[float]]) -> Any:
    """``audio`` remixed by a gain matrix (``gains[out][in]``), with ``aeval``.

    (``pan`` would say the same, but its ``c0=...`` syntax cannot pass through
    ffmpeg-python, which escapes every ``=`` of a filter's arguments.)"""
    return audio.filter(
        "aeval",
        exprs=remix_expressions(gains),
        c=CHANNEL_LAYOUTS.get(len(gains), f"{len(gains)}c"),
    )


def remix_expressions(gains: Sequence[Sequence[float]]) -> str:
    """``aeval``'s expressions for a gain matrix: ``1*val(0)+0.5*val(1)|...``."""
    rows = []
    for row in gains:
        terms = [f"{gain:.6g}*val({i})" for i, gain in enumerate(row) if gain > 0]
        rows.append("+".join(terms) if terms else "0")
    return "|".join(rows)


def stitched(
    parts: Sequence[InputPart],
    *,
    layouts: Sequence[str],
    sample_rate: int,
) -> tuple[Any, tuple[Any, ...]]:
    """The job's picture and its sound tracks: every window of every input, in order.

    Each part carries one audio stream per track (None: silence for that input); track
    ``k`` of every part is brought to ``sample_rate`` and ``layouts[k]`` so that ``concat``
    can join them. A single untrimmed window is passed through untouched.
    """
    count = len(layouts)
    only = parts[0].windows if len(parts) == 1 else ()
    if len(only) == 1 and only[0].whole and all(a is not None for a in parts[0].audio):
        return parts[0].video, tuple(parts[0].audio)
    segments: list[Any] = []
    for part in parts:
        windows = part.windows
        # One input stream feeds each of its windows: split it as many times.
        videos = _split(part.video, "split", len(windows))
        audios = [_split(a, "asplit", len(windows)) if a is not None else None for a in part.audio]
        for index, window in enumerate(windows):
            start, end = _seconds(window.start_s), _seconds(window.end_s)
            segments.append(
                videos[index].filter("trim", start=start, end=end).filter("setpts", "PTS-STARTPTS")
            )
            for track, layout in enumerate(layouts):
                split = audios[track]
                if split is not None:
                    audio = (
                        split[index]
                        .filter("atrim", start=start, end=end)
                        .filter("asetpts", "PTS-STARTPTS")
                    )
                else:
                    audio = ffmpeg.input(f"anullsrc=r={sample_rate}:cl={layout}", f="lavfi").filter(
                        "atrim", end=_seconds(window.duration_s)
                    )
                segments.append(
                    audio.filter("aresample", sample_rate).filter(
                        "aformat", sample_rates=str(sample_rate), channel_layouts=layout
                    )
                )
    joined = ffmpeg.concat(*segments, n=len(segments) // (1 + count), v=1, a=count).node
    return joined[0], tuple(joined[1 + k] for k in range(count))


def _split(stream: Any, name: str, count: int) -> list[Any]:
    if count == 1:
        return [stream]
    node = stream.filter_multi_output(name, count)
    return [node[i] for i in range(count)]
