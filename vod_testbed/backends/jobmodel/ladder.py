"""The ladder as one instance of the job model (docs/ARCHITECTURE.md, "The job model").

:func:`ladder_job` describes a ladder job (:class:`~vod_testbed.backends.job.JobRequest`)
as a :class:`~.model.JobSpec`: one input, one HLS group of H.264/AAC outputs named
``_<rung>``, one file group holding the frame capture. :func:`hls_group_ladder` goes the
other way for one HLS group, and :func:`ladder_request` for a whole job that is exactly a
ladder job: the FFmpeg backend runs such a job as one ffmpeg process, as it always has.

The pipeline's own policies that MediaConvert has no setting for (dropping rungs larger
than the source, portrait boxes, video-only renditions for a silent source) stay on the
:class:`~vod_testbed.backends.ladder.Ladder`; a model means what it means on AWS.
"""

from __future__ import annotations

from fractions import Fraction

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.model import (
    H264,
    Aac,
    AudioDescription,
    AudioSelector,
    FileGroup,
    FrameCapture,
    GopSettings,
    HlsGroup,
    Input,
    JobSpec,
    M3u8,
    Output,
    RateSettings,
    Raw,
    VideoDescription,
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

AUDIO_SELECTOR = "Audio Selector 1"


def _rung_output(ladder: Ladder, rung: Rung) -> Output:
    video = VideoDescription(
        codec=H264(
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
        spec = ladder.audio
        codec = Aac(rung.audio_bitrate, spec.profile, spec.channels, spec.sample_rate)
        audio = (AudioDescription(codec, AUDIO_SELECTOR),)
    return Output(M3u8(), rung.name_modifier, video=video, audio=audio)


def ladder_job(request: JobRequest) -> JobSpec:
    """A ladder job as a model."""
    ladder = request.ladder
    selectors = (AudioSelector(AUDIO_SELECTOR),) if ladder.audio is not None else ()
    hls = HlsGroup(
        destination=request.hls_destination,
        outputs=tuple(_rung_output(ladder, r) for r in ladder.rungs),
        segment_seconds=ladder.segment_seconds,
        integer_durations=ladder.integer_durations,
        round_target_duration_up=ladder.round_target_duration_up,
        trick_play=ladder.trick_play,
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
        inputs=(Input(request.input_uri, rotate=ladder.rotate, audio_selectors=selectors),),
        output_groups=tuple(groups),
        user_metadata=dict(request.user_metadata),
    )


def _rung(output: Output) -> Rung | None:
    video = output.video
    if (
        not isinstance(output.container, M3u8)
        or output.captions
        or output.extension
        or video is None
        or not isinstance(video.codec, H264)
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
    )


def hls_group_ladder(
    group: HlsGroup,
    source: Input,
    thumbnails: ThumbnailSpec | None = None,
    *,
    strict: bool = False,
) -> Ladder | None:
    """The ladder an HLS group is, or None when it is not one: every output an H.264 rung
    on one keyframe grid and frame rate, with the same AAC format (or none) in each.

    Raises:
        ValueError: with ``strict``, what the ladder refuses (a rung name, a size).
    """
    rungs = [_rung(o) for o in group.outputs]
    if not rungs or any(r is None for r in rungs):
        return None
    videos = [o.video.codec for o in group.outputs if o.video and isinstance(o.video.codec, H264)]
    scalings = {o.video.scaling for o in group.outputs if o.video}
    grids = {(v.gop.seconds, v.gop.scene_cut_min_frames, v.frame_rate) for v in videos}
    # _rung refused any audio but AAC.
    formats = {
        (a.profile, a.channels, a.sample_rate) if isinstance(a, Aac) else None
        for a in (o.audio[0].codec if o.audio else None for o in group.outputs)
    }
    if len(grids) != 1 or len(formats) != 1 or len(scalings) != 1:
        return None
    gop, scene_cut, frame_rate = grids.pop()
    audio_format = formats.pop()
    if group.segment_seconds % gop:
        return None
    audio = None
    if audio_format is not None:
        profile, channels, sample_rate = audio_format
        # On AWS a job whose outputs take audio from an input without any fails (1021).
        audio = AudioSpec("aac", profile, channels, sample_rate, MissingAudio.FAIL)
    try:
        return Ladder(
            rungs=tuple(r for r in rungs if r is not None),
            segment_seconds=group.segment_seconds,
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
        )
    except ValueError:
        if strict:
            raise
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
        or source.caption_selectors
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
    return JobRequest(
        input_uri=source.uri,
        hls_destination=hls[0].destination,
        thumbnail_destination=(
            files[0].destination if files else _thumbnails_beside(hls[0].destination)
        ),
        ladder=ladder,
        user_metadata=dict(job.user_metadata),
    )
