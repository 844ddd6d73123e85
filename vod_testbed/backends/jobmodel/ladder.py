"""The job model read as a ladder (docs/ARCHITECTURE.md, "The job model").

:func:`hls_group_ladder` reads one HLS group as a ladder, and :func:`ladder_request` a
whole job that is exactly a ladder job: the FFmpeg backend runs such a job as one ffmpeg
process, as it always has. :mod:`.from_ladder` goes the other way.

The pipeline's own policies that MediaConvert has no setting for (dropping rungs larger
than the source, portrait boxes, video-only renditions for a silent source) stay on the
:class:`~vod_testbed.backends.ladder.Ladder`; a model means what it means on AWS.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

from vod_testbed.backends import naming
from vod_testbed.backends.captions import (
    CaptionDestination,
    CaptionTrack,
    check_tracks,
)
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.codecs import H264, H265, Aac, FrameCapture
from vod_testbed.backends.jobmodel.model import (
    CaptionDescription,
    FileGroup,
    HlsGroup,
    Input,
    JobSpec,
    M3u8,
    Output,
)
from vod_testbed.backends.jobmodel.timeline import needs_model
from vod_testbed.backends.ladder import (
    AudioSpec,
    Ladder,
    MissingAudio,
    Rung,
    ThumbnailSpec,
    UpscalePolicy,
)
from vod_testbed.media.captions import CaptionFormat


def _rung(output: Output) -> Rung | None:
    video = output.video
    if (
        not isinstance(output.container, M3u8)
        or any(c.destination != "BURN_IN" for c in output.captions)
        or output.extension
        or video is None
        or not isinstance(video.codec, H264 | H265)
        or (isinstance(video.codec, H265) and video.codec.profile != "main")
        or video.width is None
        or video.height is None
        or len(output.audio) > 1
        or not output.name_modifier.startswith("_")
    ):
        return None
    rate = video.codec.rate
    if rate.bitrate is None:
        return None
    audio = output.audio[0].codec if output.audio else None
    if audio is not None and not isinstance(audio, Aac):
        return None
    return Rung(
        name=output.name_modifier[1:],
        width=video.width,
        height=video.height,
        video_bitrate=rate.bitrate,
        audio_bitrate=audio.bitrate if audio else Rung.audio_bitrate,
        profile=video.codec.profile,
        rate_control=rate.mode,
        peak_bitrate=rate.peak_bitrate,
        qvbr_quality=rate.qvbr_quality,
        buffer_bits=rate.buffer_bits,
        buffer_initial_fill_percent=rate.buffer_initial_fill_percent,
        codec="h265" if isinstance(video.codec, H265) else "h264",
    )


def hls_group_ladder(
    group: HlsGroup,
    source: Input,
    thumbnails: ThumbnailSpec | None = None,
    *,
    strict: bool = False,
) -> Ladder | None:
    """The ladder an HLS group is, or None when it is not one: every output an H.264 or
    H.265 (Main) rung on one keyframe grid and frame rate, with AAC (each rung its own
    format) or none, and the same burnt-in captions (or none); captions-only outputs are its
    WebVTT tracks, and a group of audio-only outputs is an audio-only ladder.

    Raises:
        ValueError: with ``strict``, what the ladder refuses (a rung name, a size).
    """
    outputs = [o for o in group.outputs if not is_caption_output(o)]
    if outputs and all(o.video is None for o in outputs):
        return _audio_only_ladder(group, outputs, source)
    rungs = [_rung(o) for o in outputs]
    if not rungs or any(r is None for r in rungs):
        return None
    if len({o.captions for o in outputs}) != 1:
        return None
    videos = [o.video.codec for o in outputs if o.video and isinstance(o.video.codec, H264 | H265)]
    scalings = {o.video.scaling for o in outputs if o.video}
    grids = {(v.gop.seconds, v.gop.scene_cut_min_frames, v.frame_rate) for v in videos}
    # _rung refused any audio but AAC.
    formats = [
        (a.profile, a.channels, a.sample_rate) if isinstance(a, Aac) else None
        for a in (o.audio[0].codec if o.audio else None for o in outputs)
    ]
    if len(grids) != 1 or len({f is None for f in formats}) != 1 or len(scalings) != 1:
        return None
    gop, scene_cut, frame_rate = grids.pop()
    segment_seconds = segment_length(group, gop)
    if segment_seconds is None:
        return None
    audio = None
    if formats[0] is not None:
        # On AWS a job whose outputs take audio from an input without any fails (1021).
        audio = AudioSpec("aac", *formats[0], MissingAudio.FAIL)
        # Each output's AAC is its own (docs/audio-groups.md): a rung whose format is not
        # the first output's carries it.
        rungs = [
            replace(r, audio_format=AudioSpec("aac", *f, MissingAudio.FAIL))
            if r is not None and f is not None and f != formats[0]
            else r
            for r, f in zip(rungs, formats, strict=True)
        ]
    try:
        return Ladder(
            rungs=tuple(r for r in rungs if r is not None),
            segment_seconds=segment_seconds,
            gop_seconds=int(gop) if gop.denominator == 1 else gop,
            audio=audio,
            thumbnails=thumbnails,
            upscale=scalings.pop(),
            integer_durations=group.integer_durations,
            round_target_duration_up=group.round_target_duration_up,
            rotate=source.rotate,
            frame_rate=frame_rate,
            scene_cut_min_frames=scene_cut,
            trick_play=group.trick_play,
            encryption=group.encryption,
        )
    except ValueError:
        if strict:
            raise
        return None


def segment_length(group: HlsGroup, gop: Fraction) -> int | None:
    """The segments of a group on a keyframe grid of ``gop`` (HlsGroupSettings, service
    model): ``SegmentLength`` with ``SegmentLengthControl: EXACT`` (the default), where a
    GOP that does not divide it "might result in additional I-frames" (the ladder forces
    them at each boundary); with ``GOP_MULTIPLE``, rounded up to the next GOP boundary, or
    None when that is not a whole number of seconds."""
    seconds = Fraction(group.segment_seconds)
    if group.gop_multiple_segments:
        seconds = math.ceil(seconds / gop) * gop
        if seconds.denominator != 1:
            return None
    return int(seconds)


def _audio_only_ladder(group: HlsGroup, outputs: list[Output], source: Input) -> Ladder | None:
    """An HLS group of audio-only outputs (one AAC track each, one format): a ladder whose
    variants are all audio-only, one per output, named by its modifier."""
    codecs = [o.audio[0].codec if len(o.audio) == 1 else None for o in outputs]
    if any(
        not isinstance(c, Aac) or not o.name_modifier.startswith("_")
        for c, o in zip(codecs, outputs, strict=True)
    ):
        return None
    aac = [c for c in codecs if isinstance(c, Aac)]
    if len({(c.profile, c.channels, c.sample_rate) for c in aac}) != 1:
        return None
    first = aac[0]
    try:
        return Ladder(
            # Rungs carry only their names and audio bit rates here (audio_outputs_only).
            rungs=tuple(
                Rung(o.name_modifier[1:], 2, 2, 1, audio_bitrate=c.bitrate)
                for o, c in zip(outputs, aac, strict=True)
            ),
            segment_seconds=group.segment_seconds,
            gop_seconds=group.segment_seconds,
            audio=AudioSpec(
                "aac", first.profile, first.channels, first.sample_rate, MissingAudio.FAIL
            ),
            thumbnails=None,
            integer_durations=group.integer_durations,
            rotate=source.rotate,
            audio_only=True,
            audio_outputs_only=True,
        )
    except ValueError:
        return None


def _thumbnail_spec(group: FileGroup) -> ThumbnailSpec | None:
    if len(group.outputs) != 1 or not group.outputs[0].is_frame_capture:
        return None
    output = group.outputs[0]
    assert output.video is not None and isinstance(output.video.codec, FrameCapture)
    capture = output.video.codec
    video = output.video
    if (
        capture.interval_s.denominator != 1
        or video.width is None
        or video.height is None
        or video.scaling is not UpscalePolicy.UPSCALE
        or output.extension not in (None, "jpg")
    ):
        return None
    return ThumbnailSpec(
        interval_s=int(capture.interval_s),
        width=video.width,
        height=video.height,
        quality=capture.quality,
        name_modifier=output.name_modifier,
        max_captures=capture.max_captures,
    )


def _thumbnails_beside(hls_destination: str) -> str:
    """Where a job without frame captures would put them (``.../hls/b`` ->
    ``.../thumbnails/b``): unused, but the layout of JobRequest.for_prefix."""
    folder, base = naming.split_destination(hls_destination)
    return naming.join_uri(naming.thumbnail_folder_beside(folder), base)


def ladder_request(job: JobSpec) -> JobRequest | None:
    """The ladder job a model is, or None: one plain input (no clipping, captions or
    filters, at most one audio selector), one HLS group that is a ladder (without I-frame
    playlists, which only the model path writes), and at most one file group holding only
    a frame capture."""
    if len(job.inputs) != 1 or needs_model(job):
        return None
    source = job.inputs[0]
    if (
        source.clippings
        or any(s.file is None for s in source.caption_selectors)
        or len(source.audio_selectors) > 1
        or source.filters.deinterlace
        or source.filters.noise_reducer
    ):
        return None
    hls = [g for g in job.output_groups if isinstance(g, HlsGroup)]
    files = [g for g in job.output_groups if isinstance(g, FileGroup)]
    if len(hls) != 1 or len(files) > 1 or hls[0].iframe_modifiers:
        return None
    thumbnails = _thumbnail_spec(files[0]) if files else None
    if files and thumbnails is None:
        return None
    ladder = hls_group_ladder(hls[0], source, thumbnails)
    if ladder is None:
        return None
    captions = caption_tracks(hls[0], source)
    if captions is None:
        return None
    return JobRequest(
        input_uri=source.uri,
        hls_destination=hls[0].destination,
        thumbnail_destination=(
            files[0].destination if files else _thumbnails_beside(hls[0].destination)
        ),
        ladder=ladder,
        user_metadata=dict(job.user_metadata),
        captions=captions,
    )


def is_caption_output(output: Output) -> bool:
    """A captions-only output of an HLS group (a WebVTT track)."""
    return output.video is None and not output.audio and bool(output.captions)


def caption_tracks(group: HlsGroup, source: Input) -> tuple[CaptionTrack, ...] | None:
    """The caption tracks of a ladder job's HLS group: its captions-only outputs (WebVTT)
    and the burn-in its rungs share; None when a track cannot be one (a selector without
    a sidecar file, a language MediaConvert does not list)."""
    selectors = {s.name: s for s in source.caption_selectors}
    wanted: list[tuple[CaptionDescription, str]] = [
        (o.captions[0], o.name_modifier) for o in group.outputs if is_caption_output(o)
    ]
    rungs = [o for o in group.outputs if not is_caption_output(o)]
    if rungs:
        wanted += [(c, "") for c in rungs[0].captions]
    tracks = []
    for description, modifier in wanted:
        selector = selectors.get(description.selector)
        if selector is None or selector.file is None:
            return None
        try:
            tracks.append(
                CaptionTrack(
                    source_uri=selector.file,
                    source_format=CaptionFormat(selector.source_type),
                    # Neither the description nor the selector names a language: English,
                    # as the console's default LanguageCode.
                    language=description.language or selector.language or "eng",
                    name=description.name or "",
                    time_delta_ms=selector.time_delta_ms,
                    destination=CaptionDestination(description.destination),
                    name_modifier=modifier,
                )
            )
        except ValueError:
            return None
    try:
        check_tracks(tracks)
    except ValueError:
        return None
    return tuple(tracks)
