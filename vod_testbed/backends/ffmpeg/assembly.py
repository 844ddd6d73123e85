"""Assembly: a job's inputs, clipped, stitched, watermarked, with its audio selected,
remixed and normalised, made into one intermediate file that the rest of the job encodes as
if it were the only input (docs/ARCHITECTURE.md, "The job model").

MediaConvert builds every output of a job from one output timeline assembled from its
inputs and input clips (user guide, "How MediaConvert uses timelines to assemble jobs");
this is that timeline, written once. Only jobs that need it pay for it
(:func:`~vod_testbed.backends.jobmodel.timeline.needs_assembly`): the plain one-input job,
the pipeline's ladder included, runs as before.

The intermediate (``assembled.mkv``) holds:

- the picture: every input scaled into the first input's display size (padded, square
  pixels), at the first input's output frame rate, each input's inserted images laid over
  on its own clock, trimmed to its clips, joined in order, then the outputs' inserted
  images on the job's clock; H.264 lossless (``-qp 0``), so outputs lose nothing to it;
- one PCM track per distinct audio of the outputs (source name, remix, loudness, channel
  count): what each input's selectors give for that name (silence where it gives nothing),
  remixed, joined, then loudness-corrected over the whole timeline (a second pass: the
  track measured, then its gain applied, the picture copied).

The job then runs on a model rewritten for the intermediate: one input whose selector
``Audio Selector k`` is track ``k``, the outputs' audio descriptions pointing at their
track with nothing left to remix or normalise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from vod_testbed.backends.ffmpeg.input_graph import (
    CHANNEL_LAYOUTS,
    InputPart,
    remixed,
    selected_audio,
    stitched,
)
from vod_testbed.backends.ffmpeg.loudness import (
    approximations,
    corrected,
    measure,
)
from vod_testbed.backends.ffmpeg.watermark import check_image, overlaid
from vod_testbed.backends.jobmodel.audio_selection import AudioSelectionError, resolve_audio_source
from vod_testbed.backends.jobmodel.inputs import InsertedImage, LoudnessSettings, Remix
from vod_testbed.backends.jobmodel.model import (
    AudioDescription,
    AudioSelector,
    Input,
    JobSpec,
    Output,
)
from vod_testbed.backends.jobmodel.timecodes import ClippingError, clip_windows, origin_frame
from vod_testbed.backends.ladder import RotatePolicy
from vod_testbed.common import errors
from vod_testbed.media import containers
from vod_testbed.media.probe import MediaInfo, output_frame_rate, probe
from vod_testbed.media.tracks import InputTracks, read_tracks

SAMPLE_RATE = 48_000
ASSEMBLED = "assembled.mkv"
Fetch = Callable[[str, str], Path]  # (uri, local name) -> path in the work folder


@dataclass(frozen=True)
class TrackKey:
    """One distinct sound of the outputs: what the assembled track ``k`` holds."""

    source_name: str
    remix: Remix | None
    loudness: LoudnessSettings | None
    channels: int


@dataclass(frozen=True)
class Assembly:
    """The assembled input and the job rewritten to read it."""

    path: Path
    spec: JobSpec
    media: MediaInfo  # the first input's, for the job's input details
    loudness: dict[int, LoudnessSettings]  # track index -> settings to measure and log
    warnings: tuple[str, ...] = ()


def _outputs(spec: JobSpec) -> list[Output]:
    return [o for g in spec.output_groups for o in g.outputs]


def track_keys(spec: JobSpec) -> list[TrackKey]:
    keys: list[TrackKey] = []
    for output in _outputs(spec):
        for audio in output.audio:
            key = _key(audio)
            if key not in keys:
                keys.append(key)
    return keys


def _key(audio: AudioDescription) -> TrackKey:
    return TrackKey(audio.selector, audio.remix, audio.loudness, audio.codec.channels)


def _layout(channels: int) -> str:
    return CHANNEL_LAYOUTS.get(channels, f"{channels}c")


def _output_images(spec: JobSpec) -> tuple[InsertedImage, ...]:
    """The outputs' inserted images: one set for every video output (the assembled picture
    is shared), else refused by name."""
    sets = {o.video.preprocessors.images for o in _outputs(spec) if o.video is not None}
    if len(sets) > 1:
        raise errors.TranscodeError(
            errors.SETTINGS_ERROR,
            "Outputs with different image inserters are not supported by the emulator: every "
            "video output of the job must insert the same images, or none.",
        )
    return next(iter(sets), ())


@dataclass
class _Source:
    index: int
    spec: Input
    path: Path
    media: MediaInfo
    tracks: InputTracks
    node: Any = None


def assemble(
    spec: JobSpec,
    fetch: Fetch,
    work: Path,
    run: Callable[[list[str]], None],
    ffmpeg_binary: str,
) -> Assembly:
    """Fetch and read every input, write the assembled file, return the rewritten job.

    ``run(argv)`` runs the ffmpeg command (the backend's, with cancellation and errors).

    Raises:
        TranscodeError: an input, clip, selection or image the job cannot use (1010, 1021,
            1040), with MediaConvert's kind of sentence.
    """
    sources = []
    for index, job_input in enumerate(spec.inputs):
        if job_input.rotate not in (RotatePolicy.NONE, RotatePolicy.AUTO):
            raise errors.TranscodeError(
                errors.SETTINGS_ERROR,
                f"Input {index + 1}: fixed rotation with clipped or stitched inputs is not "
                "supported by the emulator.",
            )
        path = fetch(job_input.uri, f"input{index + 1}{Path(job_input.uri).suffix[:16]}")
        media = probe(path)
        sources.append(_Source(index, job_input, path, media, read_tracks(path)))
    first = sources[0].media
    assert first.video is not None  # probe() refuses inputs without video
    rate = output_frame_rate(first.video)
    canvas = first.video.display_size if _turned(sources[0]) else first.video.picture_size
    keys = track_keys(spec)
    warnings: list[str] = []
    externals: dict[str, tuple[Any, InputTracks]] = {}
    parts = []
    for source in sources:
        options: dict[str, Any] = dict(containers.ffmpeg_input_options(source.media.format_name))
        if not _turned(source):
            # DEGREE_0 (the default) never turns, whatever the metadata (service model).
            options["noautorotate"] = None
        source.node = ffmpeg.input(containers.file_url(source.path), **options)
        video = _normalised(source, canvas, rate)
        video = _input_images(source, video, fetch, rate)
        windows = _windows(source)
        audio = tuple(_audio(source, key, fetch, externals, warnings) for key in keys)
        parts.append(InputPart(video=video, audio=audio, windows=windows))
    picture, sounds = stitched(
        parts, layouts=[_layout(k.channels) for k in keys], sample_rate=SAMPLE_RATE
    )
    picture = _job_images(spec, picture, fetch, rate, sources[0])
    path = work / ASSEMBLED
    run(_write(ffmpeg.output(picture, *sounds, str(path), **LOSSLESS), ffmpeg_binary))
    loudness = {k: key.loudness for k, key in enumerate(keys) if key.loudness is not None}
    for settings in loudness.values():
        warnings += approximations(settings)
    if any(s.correct for s in loudness.values()):
        path = _normalise(path, loudness, run, ffmpeg_binary)
    rewritten = _rewritten(spec, keys, path)
    return Assembly(path, rewritten, first, loudness, tuple(dict.fromkeys(warnings)))


LOSSLESS: dict[str, Any] = {
    "c:v": "libx264", "preset": "ultrafast", "qp": "0", "pix_fmt": "yuv420p",
    "c:a": "pcm_s16le", "ar": str(SAMPLE_RATE), "f": "matroska",
}  # fmt: skip


def _write(output: Any, ffmpeg_binary: str) -> list[str]:
    argv: list[str] = output.global_args("-hide_banner", "-nostdin", "-loglevel", "error").compile(
        cmd=ffmpeg_binary, overwrite_output=True
    )
    return argv


def _normalise(
    path: Path,
    loudness: dict[int, LoudnessSettings],
    run: Callable[[list[str]], None],
    ffmpeg_binary: str,
) -> Path:
    """The second pass of loudness correction: each track to correct, measured over the
    whole timeline, gets its gain (the picture is copied)."""
    source = ffmpeg.input(containers.file_url(path), f="matroska")
    tracks = read_tracks(path).audio
    sounds = []
    for track in tracks:
        audio = source[f"a:{track.stream_index}"]
        settings = loudness.get(track.stream_index)
        if settings is not None and settings.correct:
            measured = measure(ffmpeg_binary, path, track.stream_index)
            audio = corrected(audio, measured, settings)
        sounds.append(audio)
    target = path.with_name(f"normalised-{path.name}")
    options = {**LOSSLESS, "c:v": "copy"}
    run(_write(ffmpeg.output(source["v:0"], *sounds, str(target), **options), ffmpeg_binary))
    return target


def _turned(source: _Source) -> bool:
    """Whether the input's picture is turned by its rotation metadata (``AUTO``)."""
    return source.spec.rotate is RotatePolicy.AUTO


def _normalised(source: _Source, canvas: tuple[int, int], rate: Fraction) -> Any:
    """The input's picture in the canvas: fitted, padded, square pixels, constant rate."""
    width, height = canvas
    return (
        source.node["v:0"]
        .filter("scale", width, height, force_original_aspect_ratio="decrease")
        .filter("pad", width, height, "(ow-iw)/2", "(oh-ih)/2")
        .filter("setsar", "1")
        .filter("fps", fps=str(rate))
        .filter("format", "yuv420p")
    )


def _rate_of(source: _Source) -> Fraction:
    assert source.media.video is not None
    return output_frame_rate(source.media.video)


def _origin(source: _Source) -> int:
    try:
        return origin_frame(
            source.spec.timecode_source,
            _rate_of(source),
            embedded=source.tracks.timecode,
            specified=source.spec.timecode_start,
        )
    except ClippingError as exc:
        raise errors.TranscodeError(
            errors.SETTINGS_ERROR, f"Input {source.index + 1}: {exc}"
        ) from None


def _windows(source: _Source) -> Any:
    try:
        return clip_windows(
            source.spec.clippings,
            rate=_rate_of(source),
            duration_s=source.media.video_duration_s or source.media.duration_s,
            origin=_origin(source),
        )
    except ClippingError as exc:
        raise errors.TranscodeError(exc.code, f"Input {source.index + 1}: {exc}") from None


def _fetched_images(
    images: Sequence[InsertedImage], fetch: Fetch, prefix: str
) -> list[tuple[InsertedImage, Path]]:
    found = []
    for number, image in enumerate(images, start=1):
        path = fetch(image.uri, f"{prefix}-image{number}{Path(image.uri).suffix[:8]}")
        check_image(path, image.uri)
        found.append((image, path))
    return found


def _input_images(source: _Source, video: Any, fetch: Fetch, rate: Fraction) -> Any:
    if not source.spec.images:
        return video
    images = _fetched_images(source.spec.images, fetch, f"input{source.index + 1}")
    try:
        return overlaid(video, images, rate=rate, origin=_origin(source))
    except ClippingError as exc:
        raise errors.TranscodeError(exc.code, f"Input {source.index + 1}: {exc}") from None


def _job_images(spec: JobSpec, video: Any, fetch: Fetch, rate: Fraction, first: _Source) -> Any:
    """The outputs' images, on the output timeline: by default the first input's embedded
    timecodes (user guide, "Output timeline"), else TimecodeConfig's."""
    images = _output_images(spec)
    if not images:
        return video
    try:
        origin = origin_frame(
            spec.timecode_source,
            rate,
            embedded=first.tracks.timecode,
            specified=spec.timecode_start,
        )
        return overlaid(video, _fetched_images(images, fetch, "output"), rate=rate, origin=origin)
    except ClippingError as exc:
        raise errors.TranscodeError(exc.code, f"Output image inserter: {exc}") from None


def _audio(
    source: _Source,
    key: TrackKey,
    fetch: Fetch,
    externals: dict[str, tuple[Any, InputTracks]],
    warnings: list[str],
) -> Any | None:
    """One input's contribution to one assembled track (None: silence)."""
    external_tracks = {}
    for selector in source.spec.audio_selectors:
        uri = selector.external_file
        if uri and uri not in externals:
            path = fetch(uri, f"audio{len(externals) + 1}{Path(uri).suffix[:16]}")
            node = ffmpeg.input(containers.file_url(path))
            externals[uri] = (node, read_tracks(path))
        if uri:
            external_tracks[uri] = externals[uri][1].audio
    try:
        selection = resolve_audio_source(
            key.source_name, source.spec, source.index, source.tracks.audio, external_tracks
        )
    except AudioSelectionError as exc:
        raise errors.TranscodeError(exc.code, str(exc)) from None
    if selection.silent:
        warnings.append(
            f"Input {source.index + 1} has no audio for {key.source_name}: its part of the "
            "output is silent."
        )
        return None
    nodes: dict[int | None, Any] = {source.index: source.node}
    if selection.external_uri:
        nodes[None] = externals[selection.external_uri][0]
    audio = selected_audio(selection, nodes, sample_rate=SAMPLE_RATE)
    if audio is not None and key.remix is not None:
        audio = remixed(audio, key.remix.gains)
    return audio


def _rewritten(spec: JobSpec, keys: list[TrackKey], path: Path) -> JobSpec:
    """The job as it runs on the assembled file."""
    selectors = tuple(
        AudioSelector(name=f"Audio Selector {k + 1}", tracks=(k + 1,)) for k in range(len(keys))
    )
    first = spec.inputs[0]
    assembled = Input(
        uri=first.uri, audio_selectors=selectors, caption_selectors=first.caption_selectors
    )

    def output(o: Output) -> Output:
        audio = tuple(
            dataclasses.replace(
                a, selector=f"Audio Selector {keys.index(_key(a)) + 1}", remix=None, loudness=None
            )
            for a in o.audio
        )
        video = o.video
        if video is not None:
            plain = dataclasses.replace(video.preprocessors, images=())
            video = dataclasses.replace(video, preprocessors=plain)
        return dataclasses.replace(o, audio=audio, video=video)

    groups = tuple(
        dataclasses.replace(g, outputs=tuple(output(o) for o in g.outputs))
        for g in spec.output_groups
    )
    return dataclasses.replace(spec, inputs=(assembled,), output_groups=groups)
