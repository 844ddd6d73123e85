"""A ladder job (a ``JobRequest`` without a model): one ffmpeg process for every rendition
and the thumbnails, then the renditions checked, captions cut, the master written, and
everything published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.captions import (
    CaptionCues,
    CaptionFiles,
    check_captions,
    read_caption_file,
    write_burn_in,
    write_caption_rendition,
)
from vod_testbed.backends.ffmpeg.command import EncodePlan, build_audio_command, build_command
from vod_testbed.backends.ffmpeg.encryption import encrypt_renditions
from vod_testbed.backends.ffmpeg.outputs import (
    RenditionFiles,
    check_complete,
    read_rendition,
    write_master,
)
from vod_testbed.backends.ffmpeg.publish import publish
from vod_testbed.backends.ffmpeg.run import TRANSCODE_END, JobContext
from vod_testbed.backends.ffmpeg.trickplay import plan_tile_sets, write_image_playlists
from vod_testbed.backends.job import JobPhase, JobRequest
from vod_testbed.backends.ladder import (
    AudioRendition,
    RenditionPlan,
    audio_renditions,
    plan_renditions,
    thumbnail_geometry,
)
from vod_testbed.backends.source import (
    applied_rotation,
    check_audio,
    display_size,
    frame_rate_warning,
)
from vod_testbed.common import errors
from vod_testbed.media.probe import MediaInfo, output_frame_rate
from vod_testbed.media.segments import inspect_segment


def run_ladder(ctx: JobContext, request: JobRequest, media: MediaInfo, source: Path) -> None:
    """Encode, check and publish a probed ladder job, then mark it COMPLETE."""
    job_id, work = ctx.job_id, ctx.work
    ladder = request.ladder
    check_audio(request.ladder, media)
    captions = read_captions(ctx, request, media)
    burnt = next((c for c in captions if c.track.burn_in), None)
    plan = (
        plan_ladder(request, media, source, work, ctx.settings.x264_preset)
        if media.video is not None and not ladder.audio_outputs_only
        else audio_plan(request, media, source, work)
    )
    if burnt is not None:
        plan = replace(plan, burn_in=write_burn_in(work, burnt))
    rate_note = frame_rate_warning(request.ladder, media)
    if rate_note:
        ctx.warn(rate_note)
    ctx.update(job_id, phase=JobPhase.TRANSCODING)
    build = build_audio_command if plan.audio_renditions else build_command
    ctx.transcode(build(plan, ctx.ffmpeg), work, media.duration_s)
    ctx.check_canceled()

    variants: list[RenditionPlan | AudioRendition] = [
        *plan.renditions,
        *plan.audio_renditions,
    ]
    round_up = request.ladder.round_target_duration_up
    renditions = [
        read_rendition(plan.hls_dir, plan.hls_base, r, round_up=round_up) for r in variants
    ]
    # Up to one GOP short: a few missing seconds of a long lecture are still truncation.
    check_complete(
        renditions,
        media.video_duration_s or media.duration_s,
        max(0.5, float(request.ladder.gop_seconds)),
    )
    caption_files = write_captions(plan, renditions, captions)
    image_lines, image_playlists, tiles = write_image_playlists(
        plan.hls_dir, plan.hls_base, plan.tile_sets, renditions[0].duration_s
    )
    write_master(
        plan.hls_dir,
        plan.hls_base,
        renditions,
        plan.frame_rate,
        caption_files,
        image_lines=image_lines,
    )
    renditions = encrypt_renditions(renditions, request.ladder.encryption, work / "encrypted")
    thumbnails = sorted(plan.thumbnail_dir.glob("*.jpg")) if plan.thumbnail else []
    if plan.thumbnail and not thumbnails:
        raise errors.TranscodeError(errors.UNKNOWN_ERROR, "The encoder wrote no thumbnail.")

    ctx.update(job_id, phase=JobPhase.UPLOADING, percent_complete=TRANSCODE_END)
    ctx.publish_and_complete(
        lambda written: publish(
            ctx,
            request,
            plan,
            renditions,
            caption_files,
            thumbnails,
            written,
            (tiles, image_playlists),
        )
    )


def read_captions(ctx: JobContext, request: JobRequest, media: MediaInfo) -> list[CaptionCues]:
    """Fetch and check every caption file before any encoding: a bad one fails the job
    now, with its reason, rather than after minutes of work."""
    duration = media.video_duration_s or media.duration_s
    result = []
    for i, track in enumerate(request.captions):
        local = ctx.fetch_input(track.source_uri, ctx.work / f"captions-{i}")
        data = read_caption_file(track, local)
        result.append(check_captions(track, data, duration, ctx.settings.caption_max_cues))
    return result


def write_captions(
    plan: EncodePlan,
    renditions: Sequence[RenditionFiles],
    captions: Sequence[CaptionCues],
) -> list[CaptionFiles]:
    """The WebVTT caption renditions, cut on the first rendition's segment boundaries
    (every rendition shares them: IDRs on one grid)."""
    tracks = [c for c in captions if not c.track.burn_in]
    if not tracks:
        return []
    first = renditions[0]
    start = inspect_segment(first.segments[0]).start_time or 0.0
    durations = [s.duration_s for s in first.sizes]
    return [
        write_caption_rendition(plan.hls_dir, plan.hls_base, c, durations, start) for c in tracks
    ]


def audio_plan(request: JobRequest, media: MediaInfo, source: Path, work: Path) -> EncodePlan:
    """The plan of an audio-only ladder (a source with sound and no picture, and a
    ladder that allows it; probe() refused it otherwise)."""
    if request.ladder.audio is None:
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            "The input has no video stream and the outputs take no audio: "
            "there is nothing to encode.",
        )
    if any(t.burn_in for t in request.captions):
        raise errors.TranscodeError(
            errors.SETTINGS_ERROR,
            "Captions cannot be burnt in: the input has no video stream.",
        )
    _, hls_base = naming.destination_base(request.hls_destination, request.input_uri)
    _, thumb_base = naming.destination_base(request.thumbnail_destination, request.input_uri)
    plan = EncodePlan(
        input_path=source,
        media=media,
        ladder=request.ladder,
        renditions=(),
        thumbnail=None,  # no picture, no frame captures
        frame_rate=Fraction(0),
        hls_dir=work / naming.HLS_FOLDER,
        hls_base=hls_base,
        thumbnail_dir=work / naming.THUMBNAIL_FOLDER,
        thumbnail_base=thumb_base,
        audio_renditions=audio_renditions(request.ladder),
    )
    plan.hls_dir.mkdir(parents=True, exist_ok=True)
    return plan


def plan_ladder(
    request: JobRequest, media: MediaInfo, source: Path, work: Path, preset: str
) -> EncodePlan:
    assert media.video is not None  # probe() refuses inputs without video
    display_w, display_h = display_size(media, request.ladder.rotate)
    _, hls_base = naming.destination_base(request.hls_destination, request.input_uri)
    _, thumb_base = naming.destination_base(request.thumbnail_destination, request.input_uri)
    plan = EncodePlan(
        input_path=source,
        media=media,
        ladder=request.ladder,
        renditions=tuple(plan_renditions(request.ladder, display_w, display_h)),
        thumbnail=thumbnail_geometry(request.ladder, display_w, display_h),
        frame_rate=request.ladder.frame_rate or output_frame_rate(media.video),
        hls_dir=work / naming.HLS_FOLDER,
        hls_base=hls_base,
        thumbnail_dir=work / naming.THUMBNAIL_FOLDER,
        thumbnail_base=thumb_base,
        preset=preset,
        rotation=applied_rotation(media, request.ladder.rotate),
    )
    plan = replace(
        plan,
        tile_sets=plan_tile_sets(
            request.ladder, (display_w, display_h), plan.frame_rate, plan.renditions
        ),
    )
    # The hls and image2 muxers exit 0 when they cannot create a file: make the folders.
    plan.hls_dir.mkdir(parents=True, exist_ok=True)
    plan.thumbnail_dir.mkdir(parents=True, exist_ok=True)
    return plan
