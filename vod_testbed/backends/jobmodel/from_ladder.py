"""A ladder job as a job model (docs/ARCHITECTURE.md, "The job model"): the other way
round from :mod:`.ladder`.

:func:`ladder_job` describes a ladder job (:class:`~vod_testbed.backends.job.JobRequest`)
as a :class:`~.model.JobSpec`: one input, one HLS group of H.264/AAC outputs named
``_<rung>`` with its WebVTT caption outputs, one file group holding the frame capture;
:func:`with_mp4_download` adds the pipeline's progressive MP4.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from vod_testbed.backends.captions import (
    CaptionTrack,
)
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.codecs import (
    H264,
    H265,
    Aac,
    FrameCapture,
    GopSettings,
    RateSettings,
)
from vod_testbed.backends.jobmodel.model import (
    AudioDescription,
    AudioSelector,
    CaptionDescription,
    CaptionSelector,
    FileGroup,
    HlsGroup,
    Input,
    JobSpec,
    M3u8,
    Mp4,
    Output,
    Raw,
    VideoDescription,
)
from vod_testbed.backends.ladder import (
    Ladder,
    Rung,
    UpscalePolicy,
)

AUDIO_SELECTOR = "Audio Selector 1"


def _rung_output(ladder: Ladder, rung: Rung) -> Output:
    codec_type = H265 if rung.codec == "h265" else H264
    video = VideoDescription(
        codec=codec_type(
            profile=rung.profile,
            rate=RateSettings(
                mode=rung.rate_control,
                bitrate=rung.video_bitrate,
                peak_bitrate=rung.peak_bitrate,
                qvbr_quality=rung.qvbr_quality,
                buffer_bits=rung.buffer_bits,
                buffer_initial_fill_percent=rung.buffer_initial_fill_percent,
            ),
            gop=GopSettings(Fraction(ladder.gop_seconds), ladder.scene_cut_min_frames),
            frame_rate=ladder.frame_rate,
        ),
        width=rung.width,
        height=rung.height,
        scaling=ladder.upscale,
    )
    audio: tuple[AudioDescription, ...] = ()
    if ladder.audio is not None:
        spec = rung.audio_spec(ladder.audio)
        codec = Aac(rung.audio_bitrate, spec.profile, spec.channels, spec.sample_rate)
        audio = (AudioDescription(codec, AUDIO_SELECTOR),)
    return Output(M3u8(), rung.name_modifier, video=video, audio=audio)


def caption_selector_name(index: int) -> str:
    """The console's default selector names: ``Captions Selector 1``, ``2``, ..."""
    return f"Captions Selector {index + 1}"


def _caption_parts(
    tracks: tuple[CaptionTrack, ...],
) -> tuple[tuple[CaptionSelector, ...], tuple[CaptionDescription, ...], tuple[Output, ...]]:
    """A ladder job's caption tracks as a model: one sidecar selector each, the burnt-in
    description every rung carries, and one captions-only output per WebVTT track."""
    selectors = tuple(
        CaptionSelector(
            caption_selector_name(i),
            t.source_format.value,
            t.source_uri,
            t.time_delta_ms,
            t.language,
        )
        for i, t in enumerate(tracks)
    )
    burn_in = tuple(
        CaptionDescription(caption_selector_name(i), "BURN_IN", t.language)
        for i, t in enumerate(tracks)
        if t.burn_in
    )
    outputs = tuple(
        Output(
            M3u8(),
            t.name_modifier,
            captions=(CaptionDescription(caption_selector_name(i), "WEBVTT", t.language, t.name),),
        )
        for i, t in enumerate(tracks)
        if not t.burn_in
    )
    return selectors, burn_in, outputs


def ladder_job(request: JobRequest) -> JobSpec:
    """A ladder job as a model."""
    ladder = request.ladder
    selectors = (AudioSelector(AUDIO_SELECTOR),) if ladder.audio is not None else ()
    caption_selectors, burn_in, caption_outputs = _caption_parts(request.captions)
    rungs = tuple(replace(_rung_output(ladder, r), captions=burn_in) for r in ladder.rungs)
    hls = HlsGroup(
        destination=request.hls_destination,
        outputs=rungs + caption_outputs,
        segment_seconds=ladder.segment_seconds,
        integer_durations=ladder.integer_durations,
        round_target_duration_up=ladder.round_target_duration_up,
        trick_play=ladder.trick_play,
        encryption=ladder.encryption,
    )
    groups: list[HlsGroup | FileGroup] = [hls]
    if ladder.thumbnails is not None:
        spec = ladder.thumbnails
        capture = FrameCapture(
            interval_s=Fraction(spec.interval_s),
            max_captures=spec.max_captures,
            quality=spec.quality,
        )
        groups.append(
            FileGroup(
                destination=request.thumbnail_destination,
                outputs=(
                    Output(
                        Raw(),
                        spec.name_modifier,
                        video=VideoDescription(capture, spec.width, spec.height),
                    ),
                ),
            )
        )
    return JobSpec(
        inputs=(
            Input(
                request.input_uri,
                rotate=ladder.rotate,
                audio_selectors=selectors,
                caption_selectors=caption_selectors,
            ),
        ),
        output_groups=tuple(groups),
        user_metadata=dict(request.user_metadata),
    )


# The download's size: 720p is what a viewer keeps on a laptop or phone at a fifth of the
# 1080p rung's bytes; FIT_NO_UPSCALE gives a smaller source its own size instead.
MP4_DOWNLOAD_RUNG = "720p"


def with_mp4_download(job: JobSpec, ladder: Ladder, destination: str) -> JobSpec:
    """``job`` plus one progressive MP4 (a file group, moov first) of the ladder's 720p rung
    (or its largest rung when it has none), never upscaled (docs/ARCHITECTURE.md,
    "The object-name contract")."""
    rung = next((r for r in ladder.rungs if r.name == MP4_DOWNLOAD_RUNG), None)
    rung = rung or max(ladder.rungs, key=lambda r: r.width * r.height)
    output = _rung_output(ladder, rung)
    assert output.video is not None
    video = replace(output.video, scaling=UpscalePolicy.FIT_NO_UPSCALE)
    mp4 = replace(output, container=Mp4(moov_first=True), video=video)
    group = FileGroup(destination=destination, outputs=(mp4,))
    return replace(job, output_groups=(*job.output_groups, group))
