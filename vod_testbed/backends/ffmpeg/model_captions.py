"""Captions of a job-model job (docs/captions.md, "Through the emulator"): every caption
file its outputs name (or the input's embedded captions, :mod:`.embedded_captions`),
fetched and checked before any encoding, then written as
MediaConvert writes them: WebVTT renditions of an HLS group, cut as the ladder job cuts
them (:mod:`.captions`), sidecar files of a file group, ``<base><NameModifier>.srt`` (or
``.vtt``), checked again once written, and the text ffmpeg's ``subtitles`` filter burns in.

Captions of a stitched or clipped timeline are refused when the job is read
(``backends/mediaconvert/parse.py``), so every track here is on the first input's clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from vod_testbed.backends.captions import CaptionDestination, CaptionTrack
from vod_testbed.backends.ffmpeg.captions import (
    CaptionCues,
    CaptionFiles,
    check_captions,
    read_caption_file,
)
from vod_testbed.backends.ffmpeg.command import EncodePlan
from vod_testbed.backends.ffmpeg.compile import FileGroupPlan, FileTarget
from vod_testbed.backends.ffmpeg.ladder_job import write_captions
from vod_testbed.backends.ffmpeg.outputs import RenditionFiles
from vod_testbed.backends.jobmodel.ladder import is_caption_output
from vod_testbed.backends.jobmodel.model import (
    CaptionDescription,
    CaptionSelector,
    JobSpec,
    Output,
)
from vod_testbed.common import errors
from vod_testbed.media.captions import (
    CaptionFileError,
    CaptionFormat,
    fit_to_duration,
    read_cues,
    srt,
    webvtt,
)

# (group index, output index) -> the cues of that captions-only output.
ModelCues = dict[tuple[int, int], CaptionCues]
Fetch = Callable[[str, Path], Path]

_MODIFIER = re.compile(r"_[A-Za-z0-9_-]+")
# The key of the input's embedded captions among the fetched files (never an s3:// URI).
_EMBEDDED = "embedded:"
_WRITERS = {"SRT": (srt, CaptionFormat.SRT), "WEBVTT": (webvtt, CaptionFormat.WEBVTT)}


def _track(
    selector: CaptionSelector, description: CaptionDescription, modifier: str, source: str
) -> CaptionTrack:
    """The track an output makes of a selector: its file, or (embedded captions, read as
    WebVTT from the input ``source``) the input itself."""
    try:
        return CaptionTrack(
            source_uri=selector.file or source,
            source_format=CaptionFormat(selector.source_type if selector.file else "WEBVTT"),
            # Neither names a language: English, as the console's default LanguageCode.
            language=description.language or selector.language or "eng",
            name=description.name or "",
            time_delta_ms=selector.time_delta_ms,
            destination=CaptionDestination.WEBVTT,
            # A rendition keeps its output's modifier; a burnt-in track's is never a name.
            name_modifier=modifier if _MODIFIER.fullmatch(modifier) else "",
        )
    except ValueError as exc:
        raise errors.TranscodeError(errors.SETTINGS_ERROR, f"Caption output: {exc}.") from None


def _embedded_cues(
    track: CaptionTrack, selector: CaptionSelector, text: bytes, duration_s: float, max_cues: int
) -> CaptionCues:
    """The cues ffmpeg read from the input's embedded captions, checked as a file's are.

    Raises:
        TranscodeError: 1010 naming the input and the selector (no captions, too many ...).
    """
    try:
        cues = read_cues(text, CaptionFormat.WEBVTT, max_cues=max_cues)
        return CaptionCues(track, fit_to_duration(cues, duration_s))
    except CaptionFileError as exc:
        label = track.source_uri.rsplit("/", 1)[-1]
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            f"The embedded CEA-608 captions (CC1) of input {label}, caption selector "
            f"{selector.name}, {exc}.",
        ) from None


def _check_runnable(model: JobSpec, output: Output) -> None:
    """What the emulator refuses when it reads a job (backends/mediaconvert/parse.py), for a
    model handed to the backend directly: never a job that runs without its captions.

    Raises:
        TranscodeError: 1040 naming what a job model's captions cannot be.
    """
    burnt = output.video is not None and all(c.destination == "BURN_IN" for c in output.captions)
    if not is_caption_output(output) and (not burnt or len(output.captions) != 1):
        raise errors.TranscodeError(
            errors.SETTINGS_ERROR,
            "Captions inside a media file are written only burnt into its video (one "
            "BURN_IN description).",
        )
    if len(model.inputs) > 1 or model.inputs[0].clippings:
        raise errors.TranscodeError(
            errors.SETTINGS_ERROR,
            "Captions need one whole input: the caption file's times are that input's.",
        )


def read_model_captions(
    model: JobSpec,
    fetch: Fetch,
    work: Path,
    duration_s: float,
    max_cues: int,
    embedded: Callable[[], bytes],
) -> ModelCues:
    """Fetch (once per file) and check the caption file of every captions-only output;
    ``embedded()`` gives the input's embedded captions as WebVTT text (read once).

    Raises:
        TranscodeError: 1010 naming a file that is not usable captions (or far too large),
            or an input without embedded captions; 1404 for a file that is not there
            (``fetch``'s).
    """
    source = model.inputs[0]
    selectors = {s.name: s for s in source.caption_selectors}
    fetched: dict[str, bytes] = {}
    result: ModelCues = {}
    for g, group in enumerate(model.output_groups):
        for o, output in enumerate(group.outputs):
            if not output.captions:
                continue
            _check_runnable(model, output)
            description = output.captions[0]
            selector = selectors.get(description.selector)
            if selector is None:
                raise errors.TranscodeError(
                    errors.SETTINGS_ERROR,
                    f"Caption selector {description.selector} is not one of the input's.",
                )
            track = _track(selector, description, output.name_modifier, source.uri)
            if selector.file is None:
                if _EMBEDDED not in fetched:
                    fetched[_EMBEDDED] = embedded()
                text = fetched[_EMBEDDED]
                result[g, o] = _embedded_cues(track, selector, text, duration_s, max_cues)
                continue
            if track.source_uri not in fetched:
                local = fetch(track.source_uri, work / f"captions-{len(fetched)}")
                fetched[track.source_uri] = read_caption_file(track, local)
            result[g, o] = check_captions(track, fetched[track.source_uri], duration_s, max_cues)
    return result


def hls_caption_files(
    group_index: int,
    outputs: Sequence[Output],
    plan: EncodePlan,
    renditions: Sequence[RenditionFiles],
    cues: ModelCues,
) -> list[CaptionFiles]:
    """The WebVTT renditions of one HLS group, in its outputs' order, on the video's
    segment boundaries."""
    tracks = [
        cues[group_index, o]
        for o, output in enumerate(outputs)
        if (group_index, o) in cues and is_caption_output(output)
    ]
    return write_captions(plan, renditions, tracks) if tracks else []


def burn_in_files(
    group_index: int, outputs: Sequence[Output], folder: Path, cues: ModelCues
) -> dict[int, Path]:
    """The WebVTT file ffmpeg's ``subtitles`` filter draws into each burnt-in output of a
    group, by output index (outside the published files)."""
    files = {}
    for o, output in enumerate(outputs):
        if (group_index, o) in cues and not is_caption_output(output):
            path = folder / f"burn-in-{o}.vtt"
            path.write_text(webvtt(cues[group_index, o].cues), encoding="utf-8")
            files[o] = path
    return files


def write_sidecars(group_index: int, plan: FileGroupPlan, cues: ModelCues) -> None:
    """Write each sidecar caption file of a file group where its target says."""
    for o, target in enumerate(plan.targets):
        if (group_index, o) not in cues or not is_caption_output(target.output):
            continue
        write, _ = _WRITERS[target.output.captions[0].destination]
        target.path.write_text(write(cues[group_index, o].cues), encoding="utf-8")


def check_sidecar(target: FileTarget) -> None:
    """A written sidecar file reads back as captions of its format with at least one cue.

    Raises:
        TranscodeError: 1999 naming the file, which is then never published.
    """
    _, fmt = _WRITERS[target.output.captions[0].destination]
    try:
        read_cues(target.path.read_bytes(), fmt)
    except (OSError, CaptionFileError) as exc:
        raise errors.TranscodeError(
            errors.UNKNOWN_ERROR, f"The caption file {target.path.name} was not written: {exc}."
        ) from None
