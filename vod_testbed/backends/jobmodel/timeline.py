"""Whether a job's output timeline is more than its one input read as it is: the jobs the
FFmpeg backend assembles first (``backends/ffmpeg/assembly.py``; docs/inputs-and-audio.md),
and which therefore are never run as a plain ladder job."""

from __future__ import annotations

from vod_testbed.backends.jobmodel.model import AudioSelector, HlsGroup, JobSpec


def _plain_selector(selector: AudioSelector) -> bool:
    """A selector that reads the first audio track of its own input, as it is."""
    return (
        selector.tracks in ((), (1,))
        and not selector.pids
        and not selector.language
        and not selector.external_file
        and selector.offset_ms == 0
        and selector.remix is None
    )


def needs_assembly(spec: JobSpec) -> bool:
    """Several inputs, clips, inserted images, selectors other than the first track,
    selector groups, remixing or loudness: anything but one whole input read as it is."""
    if len(spec.inputs) != 1:
        return True
    source = spec.inputs[0]
    if source.clippings or source.images or source.audio_selector_groups:
        return True
    if not all(_plain_selector(s) for s in source.audio_selectors):
        return True
    for group in spec.output_groups:
        for output in group.outputs:
            if output.video is not None and output.video.preprocessors.images:
                return True
            if any(a.remix is not None or a.loudness is not None for a in output.audio):
                return True
    return False


def needs_model(spec: JobSpec) -> bool:
    """What the ladder job cannot say: an assembled timeline, automated ABR, segment
    modifiers."""
    if needs_assembly(spec):
        return True
    for group in spec.output_groups:
        if isinstance(group, HlsGroup) and group.automated_abr is not None:
            return True
        for output in group.outputs:
            if output.segment_modifier:
                return True
    return False
