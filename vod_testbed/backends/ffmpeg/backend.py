"""The FFmpeg backend: MediaConvert's ladder, files and job lifecycle, made by a local ffmpeg.

A job runs in a worker thread: PROBING (fetch the input, read it with PyAV), TRANSCODING
(one ffmpeg process for every rendition and the thumbnails, progress from ``-progress``),
UPLOADING (checked outputs published to S3 or a folder, master playlist last). Output is
written to a private work directory first, so nothing is published unless the whole job
succeeded; a cancelled or failed job publishes nothing.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import MutableSequence, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import IO

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.assembly import Assembly, assemble
from vod_testbed.backends.ffmpeg.audio_groups import (
    AudioGroupPlan,
    audio_group_plan,
    in_settings_order,
    read_audio_renditions,
    write_audio_groups,
)
from vod_testbed.backends.ffmpeg.binary import choose_ffmpeg
from vod_testbed.backends.ffmpeg.captions import (
    CaptionCues,
    CaptionFiles,
    check_captions,
    read_caption_file,
    write_burn_in,
    write_caption_rendition,
)
from vod_testbed.backends.ffmpeg.cmaf import StreamGroupPlan, stream_group_plan
from vod_testbed.backends.ffmpeg.command import EncodePlan, build_audio_command, build_command
from vod_testbed.backends.ffmpeg.compile import (
    FileGroupPlan,
    Source,
    file_group_plan,
    hls_group_plan,
)
from vod_testbed.backends.ffmpeg.diagnostics import (
    classify_failure,
    count_concealed_errors,
    stderr_tail,
)
from vod_testbed.backends.ffmpeg.encryption import encrypt_renditions
from vod_testbed.backends.ffmpeg.file_outputs import WrittenOutput, read_file_group
from vod_testbed.backends.ffmpeg.loudness import csv_rows, measure
from vod_testbed.backends.ffmpeg.outputs import (
    RenditionFiles,
    check_complete,
    read_rendition,
    write_master,
)
from vod_testbed.backends.ffmpeg.process import job_workdir, remove_stale_workdirs, spawn
from vod_testbed.backends.ffmpeg.progress import percent_done, progress_blocks
from vod_testbed.backends.ffmpeg.segment_modifiers import apply_group_segment_modifiers
from vod_testbed.backends.ffmpeg.stream_publish import StreamGroupFiles, finish_stream_group
from vod_testbed.backends.ffmpeg.trickplay import plan_tile_sets, write_image_playlists
from vod_testbed.backends.in_process import InProcessTranscoder
from vod_testbed.backends.job import (
    CaptionOutput,
    FileOutput,
    GroupOutput,
    Job,
    JobOutputs,
    JobPhase,
    JobRequest,
    JobStatus,
    RenditionOutput,
    new_job_id,
)
from vod_testbed.backends.jobmodel.audio_groups import video_part
from vod_testbed.backends.jobmodel.automated_abr import expanded
from vod_testbed.backends.jobmodel.inputs import Resolution
from vod_testbed.backends.jobmodel.model import CmafGroup, DashIsoGroup, HlsGroup, JobSpec
from vod_testbed.backends.jobmodel.timeline import needs_assembly
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
from vod_testbed.common.settings import BackendSettings
from vod_testbed.media.probe import MediaInfo, output_frame_rate, probe
from vod_testbed.media.segments import inspect_segment
from vod_testbed.storage.s3 import Storage, is_s3, parse_s3_uri

log = logging.getLogger(__name__)

# Share of jobPercentComplete given to each phase; transcoding dominates the wall time.
_PROBE_END, _TRANSCODE_END = 2, 95


class JobCanceled(Exception):
    """Raised inside a worker when its job was cancelled."""


@dataclass
class _Run:
    """Mutable per-job state private to the worker (the public Job stays immutable)."""

    canceled: threading.Event = field(default_factory=threading.Event)
    process: subprocess.Popen[str] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _validate_request(request: JobRequest) -> None:
    if not request.input_uri:
        raise errors.InvalidRequestError("input_uri", "is required")
    for name in ("input_uri", "hls_destination", "thumbnail_destination"):
        value: str = getattr(request, name)
        if is_s3(value):
            parse_s3_uri(value)  # raises InvalidRequestError for a bucket-less URI
    for name in ("hls_destination", "thumbnail_destination"):
        _, base = naming.destination_base(getattr(request, name), request.input_uri)
        if "%" in base:
            # ffmpeg's hls muxer reads '%' in file names as a pattern and cannot escape it.
            raise errors.InvalidRequestError(
                name, f"the output base name {base!r} may not contain '%'"
            )
    if request.model is not None:
        _validate_model(request.model)
    if not is_s3(request.input_uri) and not Path(request.input_uri).exists():
        raise errors.InvalidRequestError("input_uri", f"no such file: {request.input_uri}")
    for i, track in enumerate(request.captions):
        if is_s3(track.source_uri):
            parse_s3_uri(track.source_uri)
        elif not Path(track.source_uri).is_file():
            raise errors.InvalidRequestError(
                f"captions[{i}].source_uri", f"no such file: {track.source_uri}"
            )


def _validate_model(model: JobSpec) -> None:
    """A model's names must be ones ffmpeg can write: its hls and image2 muxers read '%' in
    a file name as a pattern and cannot escape it."""
    for index, group in enumerate(model.output_groups):
        if is_s3(group.destination):
            parse_s3_uri(group.destination)
        _, base = naming.split_destination(group.destination)
        patterned = [
            o.name_modifier
            for o in group.outputs
            if isinstance(group, HlsGroup | CmafGroup | DashIsoGroup) or o.is_frame_capture
        ]
        if any("%" in name for name in (base, *patterned)):
            raise errors.InvalidRequestError(
                f"model/output_groups/{index}", "HLS and frame capture names may not contain '%'"
            )


class FFmpegBackend(InProcessTranscoder):
    """Transcoder that runs jobs in-process with ffmpeg (see module docstring). Raises
    UnusableFFmpegError at construction for an unusable ``FFMPEG_BINARY``."""

    name = "ffmpeg"

    def __init__(self, settings: BackendSettings | None = None, storage: Storage | None = None):
        super().__init__()
        self.settings = settings or BackendSettings.from_env()
        self.storage = storage or Storage(self.settings)
        # Chosen up front: a misconfigured FFMPEG_BINARY is refused before any job.
        self.ffmpeg = choose_ffmpeg(self.settings.ffmpeg_binary)
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()  # guards _runs
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, self.settings.max_concurrent_jobs), thread_name_prefix="ffmpeg-job"
        )
        remove_stale_workdirs(self.settings.work_dir)

    # -- the interface -------------------------------------------------------------------

    def submit(self, request: JobRequest) -> Job:
        _validate_request(request)
        job = Job(id=new_job_id(), request=request)
        with self._lock:
            # Before the job is known: whoever can get() it, cancel() included, finds its run.
            self._runs[job.id] = _Run()
        self._add(job)
        self._pool.submit(self._run_job, job.id)
        return job

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        if job.status.is_final:
            raise errors.InvalidRequestError(
                "job_id",
                f"job {job_id} is {job.status}; only SUBMITTED or PROGRESSING jobs can be canceled",
            )
        run = self._runs[job_id]
        with run.lock:
            run.canceled.set()
            if run.process is not None and run.process.poll() is None:
                run.process.kill()
        if job.status is JobStatus.SUBMITTED:
            # Never started: the worker will see the flag and skip it.
            return self._update(job_id, status=JobStatus.CANCELED, finished_at=time.time())
        return self.get(job_id)

    def close(self) -> None:
        for job in self.list():
            if not job.status.is_final:
                self.cancel(job.id)
        self._pool.shutdown(wait=True)

    # -- the worker ----------------------------------------------------------------------

    def _run_job(self, job_id: str) -> None:
        run = self._runs[job_id]
        if run.canceled.is_set():
            return
        try:
            with job_workdir(self.settings.work_dir, job_id) as work:
                self._execute(job_id, run, work)
        except JobCanceled:
            self._update(job_id, status=JobStatus.CANCELED, finished_at=time.time())
        except errors.TranscodeError as exc:
            if run.canceled.is_set():
                self._update(job_id, status=JobStatus.CANCELED, finished_at=time.time())
            else:
                log.warning("job %s failed: %s", job_id, exc, extra={"job_id": job_id})
                self._fail(job_id, exc.code, exc.message)
        except OSError as exc:
            code = errors.DISK_FULL if exc.errno == 28 else errors.UNKNOWN_ERROR
            # strerror, not str(exc): job messages are public and must not show host paths.
            self._fail(job_id, code, f"Local I/O failed: {exc.strerror or 'I/O error'}")
        except Exception:  # the job, not the worker, must carry any failure
            log.exception("job %s crashed", job_id, extra={"job_id": job_id})
            self._fail(job_id, errors.UNKNOWN_ERROR, "Unexpected error in the transcoder.")
        finally:
            with self._lock:
                self._runs[job_id].process = None

    def _warn(self, job_id: str, message: str) -> None:
        self._update(job_id, warnings=(*self.get(job_id).warnings, message))

    def _fail(self, job_id: str, code: int, message: str) -> None:
        changes = {"error_code": code, "error_message": message, "finished_at": time.time()}
        self._update(job_id, status=JobStatus.ERROR, **changes)

    def _check_canceled(self, run: _Run) -> None:
        if run.canceled.is_set():
            raise JobCanceled

    def _execute(self, job_id: str, run: _Run, work: Path) -> None:
        job = self._update(
            job_id, status=JobStatus.PROGRESSING, phase=JobPhase.PROBING, started_at=time.time()
        )
        request = job.request
        model = request.model
        ladder = request.ladder
        if model is not None and needs_assembly(model):
            # Several inputs, clips, selections, images or loudness: the output timeline is
            # assembled first, and the job reads it as its one input (docs/inputs-and-audio.md).
            assembly = self._assemble(job_id, run, work, model)
            logs = self._loudness_logs(assembly, model)
            source, media, model = assembly.path, probe(assembly.path), assembly.spec
            details = assembly.media.to_input_details(request.input_uri)
        else:
            logs = []
            source = self._fetch_input(request.input_uri, work)
            media = probe(source, audio_only=ladder.audio_only or ladder.audio_outputs_only)
            details = media.to_input_details(request.input_uri)
        self._check_canceled(run)
        self._update(
            job_id,
            input_details=details,
            source_duration_s=media.duration_s,
            percent_complete=_PROBE_END,
        )
        if model is not None:
            display = display_size(media, model.inputs[0].rotate)
            model, notes = expanded(model, Resolution(*display))
            for note in notes:
                self._warn(job_id, note)
            self._execute_model(
                job_id, run, work, model, Source(source, media, model.inputs[0]), logs
            )
            return
        check_audio(request.ladder, media)
        captions = self._read_captions(request, media, work)
        burnt = next((c for c in captions if c.track.burn_in), None)
        plan = (
            self._plan(request, media, source, work)
            if media.video is not None and not ladder.audio_outputs_only
            else self._audio_plan(request, media, source, work)
        )
        if burnt is not None:
            plan = replace(plan, burn_in=write_burn_in(work, burnt))
        rate_note = frame_rate_warning(request.ladder, media)
        if rate_note:
            self._warn(job_id, rate_note)
        self._update(job_id, phase=JobPhase.TRANSCODING)
        build = build_audio_command if plan.audio_renditions else build_command
        self._transcode(job_id, run, build(plan, self.ffmpeg), work, media.duration_s)
        self._check_canceled(run)

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
        caption_files = self._write_captions(plan, renditions, captions)
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

        self._update(job_id, phase=JobPhase.UPLOADING, percent_complete=_TRANSCODE_END)
        written: list[str] = []
        try:
            outputs = self._publish(
                run,
                request,
                plan,
                renditions,
                caption_files,
                thumbnails,
                written,
                (tiles, image_playlists),
            )
            # Under the run's lock, a cancel either lands before COMPLETE (and the outputs
            # are withdrawn) or finds the job already COMPLETE; never both.
            with run.lock:
                self._check_canceled(run)
                self._update(
                    job_id,
                    status=JobStatus.COMPLETE,
                    phase=None,
                    percent_complete=100,
                    outputs=outputs,
                    finished_at=time.time(),
                )
        except BaseException:
            # Canceled or failed while publishing: withdraw what was written, so nothing of
            # an unfinished job stays readable.
            self.storage.delete_many(written)
            raise

    def _execute_model(
        self,
        job_id: str,
        run: _Run,
        work: Path,
        model: JobSpec,
        source: Source,
        logs: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Run a job model (docs/ARCHITECTURE.md, "The job model"): one ffmpeg process per
        output group, each into its own folder; every output checked; then everything
        published, media first, multivariant playlists last."""
        media = source.media
        commands: list[tuple[Path, list[str]]] = []
        hls_plans: list[EncodePlan] = []
        audio_plans: list[AudioGroupPlan | None] = []
        file_plans: list[FileGroupPlan] = []
        stream_plans: list[StreamGroupPlan] = []
        for index, group in enumerate(model.output_groups):
            folder = work / f"group{index}"
            folder.mkdir(parents=True, exist_ok=True)
            if isinstance(group, HlsGroup):
                plan = hls_group_plan(group, source, folder, self.settings.x264_preset, None)
                check_audio(plan.ladder, media)
                rate_note = frame_rate_warning(plan.ladder, media)
                if rate_note and not hls_plans:
                    self._warn(job_id, rate_note)
                hls_plans.append(plan)
                commands.append((folder, build_command(plan, self.ffmpeg)))
                audio = audio_group_plan(group, source, plan, self.ffmpeg)
                audio_plans.append(audio)
                if audio is not None:
                    commands.append((folder, audio.argv))
            elif isinstance(group, CmafGroup | DashIsoGroup):
                streams = stream_group_plan(
                    group, source, folder, self.settings.x264_preset, self.ffmpeg
                )
                stream_plans.append(streams)
                commands.append((folder, streams.argv))
            else:
                files = file_group_plan(
                    group, source, folder, self.settings.x264_preset, self.ffmpeg
                )
                file_plans.append(files)
                commands.append((folder, files.argv))
        self._update(job_id, phase=JobPhase.TRANSCODING)
        share = (_TRANSCODE_END - _PROBE_END) / len(commands)
        for number, (folder, argv) in enumerate(commands):
            span = (_PROBE_END + round(number * share), _PROBE_END + round((number + 1) * share))
            self._transcode(job_id, run, argv, folder, media.duration_s, span)
            self._check_canceled(run)
        source_s = media.video_duration_s or media.duration_s
        started = datetime.fromtimestamp(self.get(job_id).started_at or time.time(), tz=UTC)
        for group, plan in zip(
            (g for g in model.output_groups if isinstance(g, HlsGroup)), hls_plans, strict=True
        ):
            apply_group_segment_modifiers(video_part(group), plan, model, started)
        renditions = []
        trick_play_files: list[tuple[list[Path], list[Path]]] = []
        hls_groups = [g for g in model.output_groups if isinstance(g, HlsGroup)]
        for plan, group, audio in zip(hls_plans, hls_groups, audio_plans, strict=True):
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
            master = write_master(
                plan.hls_dir,
                plan.hls_base,
                written,
                plan.frame_rate,
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
        file_outputs = [read_file_group(plan, source_s, 0.5) for plan in file_plans]
        stream_files = [finish_stream_group(plan, source_s) for plan in stream_plans]
        self._update(job_id, phase=JobPhase.UPLOADING, percent_complete=_TRANSCODE_END)
        uploaded: list[str] = []
        try:
            outputs = self._publish_model(
                run,
                model,
                hls_plans,
                renditions,
                file_outputs,
                uploaded,
                self._logs(work, logs),
                stream_files=stream_files,
                trick_play=trick_play_files,
            )
            with run.lock:
                self._check_canceled(run)
                self._update(
                    job_id,
                    status=JobStatus.COMPLETE,
                    phase=None,
                    percent_complete=100,
                    outputs=outputs,
                    finished_at=time.time(),
                )
        except BaseException:
            self.storage.delete_many(uploaded)
            raise

    def _publish_model(
        self,
        run: _Run,
        model: JobSpec,
        hls_plans: Sequence[EncodePlan],
        renditions: Sequence[Sequence[RenditionFiles]],
        file_outputs: Sequence[Sequence[WrittenOutput]],
        written: MutableSequence[str],
        logs: Sequence[Path] = (),
        stream_files: Sequence[StreamGroupFiles] = (),
        trick_play: Sequence[tuple[Sequence[Path], Sequence[Path]]] = (),
    ) -> JobOutputs:
        """Upload a model job's outputs; ``written`` collects every URI written so far.
        ``logs`` (loudness logs) go beside the first group's outputs."""
        first_folder, _ = naming.split_destination(model.output_groups[0].destination)
        media: list[tuple[Path, str]] = [(p, naming.join_uri(first_folder, p.name)) for p in logs]
        playlists: list[tuple[Path, str]] = []
        masters: list[tuple[Path, str]] = []
        groups: list[GroupOutput] = []
        hls = iter(zip(hls_plans, renditions, strict=True))
        # Each HLS group's trick-play tiles and image playlists, in the groups' order.
        tiles_of = iter(trick_play or [((), ())] * len(hls_plans))
        files = iter(file_outputs)
        streams = iter(stream_files)
        for group in model.output_groups:
            folder, _ = naming.split_destination(group.destination)

            def target(path: Path, folder: str = folder) -> str:
                return naming.join_uri(folder, path.name)

            if isinstance(group, HlsGroup):
                plan, written_renditions = next(hls)
                master = plan.hls_dir / naming.master_playlist_name(plan.hls_base)
                media += [(seg, target(seg)) for r in written_renditions for seg in r.segments]
                playlists += [(r.playlist, target(r.playlist)) for r in written_renditions]
                iframes = (
                    plan.hls_dir / naming.iframe_playlist_name(plan.hls_base, modifier)
                    for modifier in group.iframe_modifiers
                )
                playlists += [(p, target(p)) for p in iframes]
                tiles, image_playlists = next(tiles_of)
                media += [(tile, target(tile)) for tile in tiles]
                playlists += [(p, target(p)) for p in image_playlists]
                masters.append((master, target(master)))
                details = tuple(
                    FileOutput(
                        (target(r.playlist),),
                        round(r.duration_s * 1000),
                        r.plan.geometry.box_width if r.plan else 0,
                        r.plan.geometry.box_height if r.plan else 0,
                        r.video_bitrate(),
                    )
                    for r in written_renditions
                )
                groups.append(GroupOutput("HLS_GROUP", details, target(master)))
                continue
            if isinstance(group, CmafGroup | DashIsoGroup):
                written_group = next(streams)
                media += [(p, target(p)) for p in written_group.media]
                playlists += [(p, target(p)) for p in written_group.playlists]
                masters += [(p, target(p)) for p in written_group.top]
                groups.append(written_group.output(target))
                continue
            outputs = next(files)
            media += [(path, target(path)) for output in outputs for path in output.files]
            groups.append(
                GroupOutput(
                    "FILE_GROUP",
                    tuple(
                        FileOutput(
                            tuple(target(path) for path in output.files),
                            round(output.duration_s * 1000),
                            output.width,
                            output.height,
                            output.bitrate,
                        )
                        for output in outputs
                    ),
                )
            )
        for batch in (media, playlists, masters):
            self._check_canceled(run)
            self.storage.put_many(batch, written=written)
        first_hls = next((g for g in groups if g.type == "HLS_GROUP"), None)
        return JobOutputs(
            master_playlist_uri=first_hls.playlist_uri if first_hls else "",
            renditions=(),
            groups=tuple(groups),
        )

    @staticmethod
    def _logs(work: Path, logs: Sequence[tuple[str, str]]) -> list[Path]:
        paths = []
        for name, text in logs:
            path = work / name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return paths

    def _loudness_logs(self, assembly: Assembly, model: JobSpec) -> list[tuple[str, str]]:
        """The loudness log of each assembled track whose settings ask for one (``LOG``):
        ``<base>_loudness.csv`` beside the first group's outputs (docs/inputs-and-audio.md)."""
        wanted = {k: v for k, v in assembly.loudness.items() if v.log}
        if not wanted:
            return []
        _, base = naming.split_destination(model.output_groups[0].destination)
        rows = [
            csv_rows(f"track{k + 1}", settings, [measure(self.ffmpeg, assembly.path, k)])
            for k, settings in wanted.items()
        ]
        text = rows[0] + "".join(r.split("\n", 1)[1] for r in rows[1:])
        return [(f"{base}_loudness.csv", text)]

    def _assemble(self, job_id: str, run: _Run, work: Path, model: JobSpec) -> Assembly:
        """Fetch every input and write the job's output timeline as one file."""

        def fetch(uri: str, name: str) -> Path:
            self._check_canceled(run)
            if not is_s3(uri):
                return self._fetch_input(uri, work)
            return self.storage.fetch(uri, work / name)

        def run_ffmpeg(argv: list[str]) -> None:
            self._transcode(job_id, run, argv, work, 0.0, (_PROBE_END, _PROBE_END))
            self._check_canceled(run)

        assembly = assemble(model, fetch, work, run_ffmpeg, self.ffmpeg)
        for warning in assembly.warnings:
            self._warn(job_id, warning)
        return assembly

    def _fetch_input(self, input_uri: str, work: Path) -> Path:
        if not is_s3(input_uri):
            path = Path(input_uri)
            if not path.is_file():
                raise errors.TranscodeError(
                    errors.FILE_NOT_FOUND, f"Input {input_uri} does not exist."
                )
            return path
        suffix = Path(parse_s3_uri(input_uri).key).suffix[:16]
        return self.storage.fetch(input_uri, work / f"input{suffix}")

    def _read_captions(
        self, request: JobRequest, media: MediaInfo, work: Path
    ) -> list[CaptionCues]:
        """Fetch and check every caption file before any encoding: a bad one fails the job
        now, with its reason, rather than after minutes of work."""
        duration = media.video_duration_s or media.duration_s
        result = []
        for i, track in enumerate(request.captions):
            local = self._fetch_input(track.source_uri, work / f"captions-{i}")
            result.append(check_captions(track, read_caption_file(track, local), duration))
        return result

    def _write_captions(
        self,
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
            write_caption_rendition(plan.hls_dir, plan.hls_base, c, durations, start)
            for c in tracks
        ]

    def _audio_plan(
        self, request: JobRequest, media: MediaInfo, source: Path, work: Path
    ) -> EncodePlan:
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

    def _plan(self, request: JobRequest, media: MediaInfo, source: Path, work: Path) -> EncodePlan:
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
            preset=self.settings.x264_preset,
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

    def _transcode(
        self,
        job_id: str,
        run: _Run,
        argv: list[str],
        work: Path,
        duration_s: float,
        span: tuple[int, int] = (_PROBE_END, _TRANSCODE_END),
    ) -> None:
        """Run one ffmpeg command; its progress moves the job within ``span`` percent."""
        log.debug("job %s: %s", job_id, argv, extra={"job_id": job_id})
        stderr_path = work / "ffmpeg.log"
        with open(stderr_path, "w+", encoding="utf-8", errors="replace") as stderr:
            with run.lock:
                self._check_canceled(run)
                run.process = spawn(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    text=True,
                    bufsize=1,
                )
            process = run.process
            assert process.stdout is not None
            self._follow_progress(job_id, process.stdout, duration_s, span)
            returncode = process.wait()
            self._check_canceled(run)
            stderr.seek(0)
            if returncode != 0:
                # ffmpeg names files by their work-folder paths: show only their names.
                folder = f"{work}/"
                tail = [line.replace(folder, "") for line in stderr_tail(stderr)]
                raise classify_failure(tail)
            damaged = count_concealed_errors(stderr)
        if damaged:
            # Like MediaConvert, damaged input that still decodes completes, with a warning.
            self._warn(
                job_id,
                f"The input holds damaged data: the decoder concealed {damaged} error(s); "
                "the output may show artefacts.",
            )

    def _follow_progress(
        self, job_id: str, stdout: IO[str], duration_s: float, span: tuple[int, int]
    ) -> None:
        last = -1
        start, end = span
        for block in progress_blocks(stdout):
            percent = start + int(percent_done(block, duration_s) * (end - start) / 100)
            if percent != last:
                last = percent
                self._update(job_id, percent_complete=min(percent, _TRANSCODE_END - 1))

    def _publish(
        self,
        run: _Run,
        request: JobRequest,
        plan: EncodePlan,
        renditions: Sequence[RenditionFiles],
        captions: Sequence[CaptionFiles],
        thumbnails: Sequence[Path],
        written: MutableSequence[str],
        trick_play: tuple[Sequence[Path], Sequence[Path]] = ((), ()),
    ) -> JobOutputs:
        """Upload the outputs; ``written`` collects every URI written so far.
        ``trick_play`` holds the tiles and the image playlists, if any."""
        hls_folder, _ = naming.split_destination(request.hls_destination)
        thumb_folder, _ = naming.split_destination(request.thumbnail_destination)
        master = plan.hls_dir / naming.master_playlist_name(plan.hls_base)

        def target(folder: str, path: Path) -> str:
            return naming.join_uri(folder, path.name)

        # Media first, then media playlists, the master last: a reader that sees the master
        # finds everything it references.
        segments = [(seg, target(hls_folder, seg)) for r in renditions for seg in r.segments]
        segments += [(seg, target(hls_folder, seg)) for c in captions for seg in c.segments]
        images = [(img, target(thumb_folder, img)) for img in thumbnails]
        playlists = [(r.playlist, target(hls_folder, r.playlist)) for r in renditions]
        playlists += [(c.playlist, target(hls_folder, c.playlist)) for c in captions]
        tiles, image_playlists = trick_play
        segments += [(tile, target(hls_folder, tile)) for tile in tiles]
        playlists += [(p, target(hls_folder, p)) for p in image_playlists]
        for batch in (segments + images, playlists, [(master, target(hls_folder, master))]):
            self._check_canceled(run)
            self.storage.put_many(batch, written=written)

        return JobOutputs(
            master_playlist_uri=target(hls_folder, master),
            renditions=tuple(
                RenditionOutput(
                    name=r.name,
                    playlist_uri=target(hls_folder, r.playlist),
                    duration_ms=round(r.duration_s * 1000),
                    # An audio-only variant has no picture: 0 x 0.
                    width=r.plan.geometry.box_width if r.plan else 0,
                    height=r.plan.geometry.box_height if r.plan else 0,
                    average_bandwidth=r.average_bandwidth,
                    peak_bandwidth=r.peak_bandwidth,
                    video_bitrate=r.video_bitrate(),
                )
                for r in renditions
            ),
            captions=tuple(
                CaptionOutput(
                    name_modifier=c.track.name_modifier,
                    playlist_uri=target(hls_folder, c.playlist),
                    language=c.track.language,
                    name=c.track.name,
                    segment_count=len(c.segments),
                )
                for c in captions
            ),
            thumbnail_uris=tuple(uri for _, uri in images),
            thumbnail_width=plan.thumbnail.box_width if plan.thumbnail else 0,
            thumbnail_height=plan.thumbnail.box_height if plan.thumbnail else 0,
        )
