"""A job-model job (docs/ARCHITECTURE.md, "The job model"): its inputs assembled into one
timeline when they need it, one ffmpeg process per output group, every output checked, then
everything published."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.assembly import Assembly, assemble
from vod_testbed.backends.ffmpeg.audio_groups import (
    AudioGroupPlan,
    audio_group_plan,
    in_settings_order,
    read_audio_renditions,
    write_audio_groups,
)
from vod_testbed.backends.ffmpeg.captions import CaptionFiles
from vod_testbed.backends.ffmpeg.capture_branch import with_capture
from vod_testbed.backends.ffmpeg.cmaf import StreamGroupPlan, stream_group_plan
from vod_testbed.backends.ffmpeg.command import EncodePlan, build_command
from vod_testbed.backends.ffmpeg.compile import (
    FileGroupPlan,
    Source,
    file_group_plan,
    hls_group_plan,
)
from vod_testbed.backends.ffmpeg.embedded_captions import embedded_argv
from vod_testbed.backends.ffmpeg.encryption import encrypt_renditions
from vod_testbed.backends.ffmpeg.file_outputs import read_file_group
from vod_testbed.backends.ffmpeg.loudness import csv_rows, measure
from vod_testbed.backends.ffmpeg.model_captions import (
    burn_in_files,
    check_sidecar,
    hls_caption_files,
    read_model_captions,
    write_sidecars,
)
from vod_testbed.backends.ffmpeg.outputs import check_complete, read_rendition, write_master
from vod_testbed.backends.ffmpeg.publish import publish_model, write_logs
from vod_testbed.backends.ffmpeg.run import PROBE_END, TRANSCODE_END, JobContext
from vod_testbed.backends.ffmpeg.segment_modifiers import apply_group_segment_modifiers
from vod_testbed.backends.ffmpeg.stream_publish import finish_stream_group
from vod_testbed.backends.ffmpeg.trickplay import write_image_playlists
from vod_testbed.backends.job import JobPhase
from vod_testbed.backends.jobmodel.audio_groups import video_part
from vod_testbed.backends.jobmodel.ladder import is_caption_output
from vod_testbed.backends.jobmodel.model import CmafGroup, DashIsoGroup, HlsGroup, JobSpec
from vod_testbed.backends.source import check_audio, frame_rate_warning
from vod_testbed.storage.s3 import is_s3


def run_model(
    ctx: JobContext,
    model: JobSpec,
    source: Source,
    logs: Sequence[tuple[str, str]] = (),
) -> None:
    """Run a job model (docs/ARCHITECTURE.md, "The job model"): one ffmpeg process per
    output group, each into its own folder; every output checked; then everything
    published, media first, multivariant playlists last."""
    job_id, work = ctx.job_id, ctx.work
    media = source.media
    source_s = media.video_duration_s or media.duration_s
    # Caption files are checked before any encoding: a bad one fails the job now.
    captions = read_model_captions(
        model,
        ctx.fetch_input,
        work,
        source_s,
        ctx.settings.caption_max_cues,
        lambda: read_embedded_captions(ctx, source.path),
    )
    commands: list[tuple[Path, list[str]]] = []
    hls_plans: list[EncodePlan] = []
    audio_plans: list[AudioGroupPlan | None] = []
    file_plans: list[FileGroupPlan] = []
    stream_plans: list[StreamGroupPlan] = []
    for index, group in enumerate(model.output_groups):
        folder = work / f"group{index}"
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(group, HlsGroup):
            plan = hls_group_plan(group, source, folder, ctx.settings.x264_preset, None)
            # Every rung of a group shares its burnt-in captions (jobmodel.ladder).
            burnt = burn_in_files(index, group.outputs, folder, captions)
            if burnt:
                plan = replace(plan, burn_in=next(iter(burnt.values())))
            check_audio(plan.ladder, media)
            rate_note = frame_rate_warning(plan.ladder, media)
            if rate_note and not hls_plans:
                ctx.warn(rate_note)
            hls_plans.append(plan)
            commands.append((folder, []))  # built below, once frame captures have joined
            audio = audio_group_plan(group, source, plan, ctx.ffmpeg)
            audio_plans.append(audio)
            if audio is not None:
                commands.append((folder, audio.argv))
        elif isinstance(group, CmafGroup | DashIsoGroup):
            streams = stream_group_plan(group, source, folder, ctx.settings.x264_preset, ctx.ffmpeg)
            stream_plans.append(streams)
            commands.append((folder, streams.argv))
        else:
            files = file_group_plan(
                group,
                source,
                folder,
                ctx.settings.x264_preset,
                ctx.ffmpeg,
                burn_in_files(index, group.outputs, folder, captions),
            )
            write_sidecars(index, files, captions)
            file_plans.append(files)
            if files.argv:  # a group of sidecar caption files alone runs no ffmpeg
                commands.append((folder, files.argv))
    if hls_plans:
        commands = _captures_on_first_ladder(hls_plans, file_plans, commands)
    ladders = iter(hls_plans)
    commands = [(f, argv or build_command(next(ladders), ctx.ffmpeg)) for f, argv in commands]
    ctx.update(job_id, phase=JobPhase.TRANSCODING)
    share = (TRANSCODE_END - PROBE_END) / max(1, len(commands))
    for number, (folder, argv) in enumerate(commands):
        span = (PROBE_END + round(number * share), PROBE_END + round((number + 1) * share))
        ctx.transcode(argv, folder, media.duration_s, span)
        ctx.check_canceled()
    started = datetime.fromtimestamp(ctx.get(job_id).started_at or time.time(), tz=UTC)
    for group, plan in zip(
        (g for g in model.output_groups if isinstance(g, HlsGroup)), hls_plans, strict=True
    ):
        apply_group_segment_modifiers(video_part(group), plan, model, started)
    renditions = []
    caption_files: list[list[CaptionFiles]] = []
    trick_play_files: list[tuple[list[Path], list[Path]]] = []
    hls_groups = [(i, g) for i, g in enumerate(model.output_groups) if isinstance(g, HlsGroup)]
    for plan, (index, group), audio in zip(hls_plans, hls_groups, audio_plans, strict=True):
        round_up = plan.ladder.round_target_duration_up
        written = [
            read_rendition(plan.hls_dir, plan.hls_base, r, round_up=round_up)
            for r in plan.renditions
        ]
        extra = read_audio_renditions(plan, audio) if audio is not None else []
        check_complete(written + extra, source_s, max(0.5, float(plan.ladder.gop_seconds)))
        image_lines, image_playlists, tiles = write_image_playlists(
            plan.hls_dir, plan.hls_base, plan.tile_sets, written[0].duration_s
        )
        subtitles = hls_caption_files(index, group.outputs, plan, written, captions)
        caption_files.append(subtitles)
        master = write_master(
            plan.hls_dir,
            plan.hls_base,
            written,
            plan.frame_rate,
            subtitles,
            iframe_modifiers=group.iframe_modifiers,
            image_lines=image_lines,
        )
        trick_play_files.append((tiles, image_playlists))
        if audio is not None:
            write_audio_groups(master, group, audio, extra)
            written = in_settings_order(group, written + extra)
        renditions.append(
            encrypt_renditions(written, group.encryption, plan.hls_dir.parent / "encrypted")
        )
    for files in file_plans:
        for target in files.targets:
            if is_caption_output(target.output):
                check_sidecar(target)
    file_outputs = [read_file_group(plan, source_s, 0.5) for plan in file_plans]
    stream_files = [finish_stream_group(plan, source_s) for plan in stream_plans]
    ctx.update(job_id, phase=JobPhase.UPLOADING, percent_complete=TRANSCODE_END)
    ctx.publish_and_complete(
        lambda uploaded: publish_model(
            ctx,
            model,
            hls_plans,
            renditions,
            file_outputs,
            uploaded,
            write_logs(ctx.work, logs),
            stream_files=stream_files,
            trick_play=trick_play_files,
            captions=caption_files,
        )
    )


def _captures_on_first_ladder(
    hls_plans: list[EncodePlan],
    file_plans: Sequence[FileGroupPlan],
    commands: list[tuple[Path, list[str]]],
) -> list[tuple[Path, list[str]]]:
    """A file group that is one frame capture the first HLS group's process can write as it
    writes a ladder job's thumbnails (:mod:`.capture_branch`) runs no process of its own: a
    second decode of the whole input would cost as much as the ladder's own."""
    for files in file_plans:
        joined = with_capture(hls_plans[0], files)
        if joined is not None:
            hls_plans[0] = joined
            commands = [c for c in commands if c[1] is not files.argv]
    return commands


def loudness_logs(ffmpeg: str, assembly: Assembly, model: JobSpec) -> list[tuple[str, str]]:
    """The loudness log of each assembled track whose settings ask for one (``LOG``):
    ``<base>_loudness.csv`` beside the first group's outputs (docs/inputs-and-audio.md)."""
    wanted = {k: v for k, v in assembly.loudness.items() if v.log}
    if not wanted:
        return []
    _, base = naming.split_destination(model.output_groups[0].destination)
    rows = [
        csv_rows(f"track{k + 1}", settings, [measure(ffmpeg, assembly.path, k)])
        for k, settings in wanted.items()
    ]
    text = rows[0] + "".join(r.split("\n", 1)[1] for r in rows[1:])
    return [(f"{base}_loudness.csv", text)]


def assemble_inputs(ctx: JobContext, model: JobSpec) -> Assembly:
    """Fetch every input and write the job's output timeline as one file."""

    def fetch(uri: str, name: str) -> Path:
        ctx.check_canceled()
        if not is_s3(uri):
            return ctx.fetch_input(uri, ctx.work)
        return ctx.storage.fetch(uri, ctx.work / name)

    def run_ffmpeg(argv: list[str]) -> None:
        ctx.transcode(argv, ctx.work, 0.0, (PROBE_END, PROBE_END))
        ctx.check_canceled()

    assembly = assemble(model, fetch, ctx.work, run_ffmpeg, ctx.ffmpeg)
    for warning in assembly.warnings:
        ctx.warn(warning)
    return assembly


def read_embedded_captions(ctx: JobContext, source: Path) -> bytes:
    """The input's embedded CEA-608 captions (CC1) as WebVTT text, read by ffmpeg."""
    argv, out = embedded_argv(ctx.ffmpeg, source, ctx.work)
    ctx.transcode(argv, ctx.work, 0.0, (PROBE_END, PROBE_END))
    ctx.check_canceled()
    return out.read_bytes()
