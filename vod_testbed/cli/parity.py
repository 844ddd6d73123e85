"""``vod-testbed parity``: two outputs of one source side by side (docs/parity.md).

Either compares two existing outputs (``parity OUT_A OUT_B``: local folders or s3://
prefixes), or runs one clip through two transcoders first (``parity --source CLIP``):
``emulator`` (a local MediaConvert emulator started for the run), ``mediaconvert`` (the
MediaConvert endpoint of the usual AWS settings: real AWS, or any emulator) or ``ffmpeg``
(the FFmpeg backend in this process). Exit codes: 0 equal within the tolerances, 1 a
difference (or a job that failed), 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job, JobRequest, JobStatus
from vod_testbed.common.settings import BackendSettings
from vod_testbed.report.parity import (
    ParityInputError,
    ParityReport,
    parity,
    render_text,
)
from vod_testbed.storage.s3 import Storage, is_s3

EXIT_EQUAL, EXIT_DIFFERENT, EXIT_UNUSABLE = 0, 1, 2
TRANSCODERS = ("emulator", "mediaconvert", "ffmpeg")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "parity",
        help="compare two outputs of one source (or run a clip through two transcoders)",
        description="Print two outputs side by side - keys, renditions, resolutions, "
        "durations, segments, target durations, bit rates against target, keyframe times, "
        "audio, thumbnails, the jobs' events and VMAF (else PSNR) between matching "
        "renditions - and exit 1 on a difference beyond the documented tolerances "
        "(docs/parity.md). OUT_A OUT_B: existing outputs (local folders or s3:// prefixes "
        "holding hls/ and thumbnails/). --source: run the clip through --a and --b first. "
        "Exit 0 equal, 1 different, 2 unusable input.",
    )
    parser.add_argument("outputs", nargs="*", metavar="OUT", help="OUT_A OUT_B")
    parser.add_argument("--source", help="a clip (local or s3://) to run through --a and --b")
    parser.add_argument("--a", choices=TRANSCODERS, default="emulator", help="default emulator")
    parser.add_argument(
        "--b", choices=TRANSCODERS, default="mediaconvert", help="default mediaconvert"
    )
    parser.add_argument(
        "--out",
        help="where --source's outputs go (s3:// prefix; default s3://$S3_BUCKET/parity)",
    )
    parser.add_argument(
        "--quality-seconds",
        type=float,
        default=10.0,
        metavar="S",
        help="compare the pictures over the first S seconds (default 10; 0 skips)",
    )
    parser.add_argument("--metric", choices=["vmaf", "psnr-ssim"], help="default: vmaf if any")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait per job")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def _unusable(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def run(args: argparse.Namespace) -> int:
    if args.quality_seconds < 0:
        return _unusable("--quality-seconds must not be negative")
    quality = args.quality_seconds or None
    if args.source is None and len(args.outputs) != 2:
        return _unusable("give two outputs (OUT_A OUT_B), or --source CLIP")
    if args.source is not None and args.outputs:
        return _unusable("give either two outputs or --source, not both")
    try:
        settings = BackendSettings.from_env()
        storage = Storage(settings)
        if args.source is None:
            report = parity(
                args.outputs[0],
                args.outputs[1],
                storage=storage,
                quality_seconds=quality,
                metric=args.metric,
            )
        else:
            report = _run_both(args, settings, storage, quality)
    except (ParityInputError, JobFailedError, ValueError) as exc:
        return _unusable(str(exc))
    print(json.dumps(report.to_dict(), indent=2) if args.json else render_text(report))
    return EXIT_EQUAL if not report.differences else EXIT_DIFFERENT


class JobFailedError(RuntimeError):
    """A transcoder did not complete the job."""


def _run_both(
    args: argparse.Namespace, settings: BackendSettings, storage: Storage, quality: float | None
) -> ParityReport:
    base = (args.out or f"s3://{settings.s3_bucket}/parity").rstrip("/")
    if not is_s3(base):
        raise ValueError(
            f"--out must be an s3:// prefix (the transcoders read and write S3): {base}"
        )
    run_prefix = f"{base}/{uuid.uuid4().hex[:12]}"
    source = args.source
    if not is_s3(source):
        if not Path(source).is_file():
            raise ValueError(f"--source {source}: no such file")
        uploaded = f"{run_prefix}/source/{Path(source).name}"
        storage.put(Path(source), uploaded)
        source = uploaded
    events: dict[str, list[str]] = {}
    outputs = []
    for side, name in (("a", args.a), ("b", args.b)):
        prefix = f"{run_prefix}/{side}-{name}"
        with _transcoder(name, settings, storage) as transcoder:
            events[prefix] = _run_job(transcoder, JobRequest.for_prefix(source, prefix), args)
        outputs.append(prefix)
    return parity(
        outputs[0],
        outputs[1],
        storage=storage,
        events=lambda prefix: events[prefix],
        quality_seconds=quality,
        metric=args.metric,
    )


def _run_job(transcoder: Transcoder, request: JobRequest, args: argparse.Namespace) -> list[str]:
    """Run one job to its end; returns the statuses (and phases) it went through."""
    seen: list[str] = []

    def record(job: Job) -> None:
        step = job.status.value + (f" {job.phase.value}" if job.phase else "")
        if not seen or seen[-1] != step:
            seen.append(step)

    unsubscribe = transcoder.subscribe(record)
    try:
        job = transcoder.submit(request)
        job = transcoder.wait(job.id, timeout=args.timeout)
    finally:
        unsubscribe()
    if job.status is not JobStatus.COMPLETE:
        raise JobFailedError(
            f"{transcoder.name} job {job.id} {job.status}: [{job.error_code}] {job.error_message}"
        )
    if not seen or not seen[-1].startswith(JobStatus.COMPLETE.value):
        seen.append(JobStatus.COMPLETE.value)
    return seen


@contextmanager
def _transcoder(name: str, settings: BackendSettings, storage: Storage) -> Iterator[Transcoder]:
    from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
    from vod_testbed.backends.mediaconvert.backend import MediaConvertBackend

    with ExitStack() as stack:
        transcoder: Transcoder
        if name == "ffmpeg":
            transcoder = FFmpegBackend(settings=settings, storage=storage)
        elif name == "mediaconvert":
            transcoder = MediaConvertBackend(settings, storage=storage)
        else:
            endpoint = stack.enter_context(_local_emulator(settings, storage))
            local = settings.replace(mediaconvert_endpoint=endpoint)
            transcoder = MediaConvertBackend(local, storage=storage, poll_interval_s=0.2)
        stack.callback(transcoder.close)
        yield transcoder


@contextmanager
def _local_emulator(settings: BackendSettings, storage: Storage) -> Iterator[str]:
    """A MediaConvert emulator on 127.0.0.1 for this run, accepting the caller's AWS
    credentials (the MediaConvert backend signs with them); yields its endpoint."""
    import boto3

    from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
    from vod_testbed.emulator.app import create_app
    from vod_testbed.emulator.config import EmulatorSettings
    from vod_testbed.emulator.server import EmulatorServer

    credentials = boto3.Session().get_credentials()
    frozen = credentials.get_frozen_credentials() if credentials is not None else None
    if frozen is None or not frozen.access_key or not frozen.secret_key:
        raise ValueError("the local emulator needs AWS credentials to check (any will do)")
    with tempfile.TemporaryDirectory(prefix="vod-parity-emulator-") as data_dir:
        emulator_settings = EmulatorSettings.from_env({}).replace(
            data_dir=Path(data_dir),
            access_key_id=frozen.access_key,
            secret_access_key=frozen.secret_key,
            region=settings.aws_region,
        )
        app = create_app(
            {
                "EMULATOR_SETTINGS": emulator_settings,
                "TRANSCODER_FACTORY": lambda: FFmpegBackend(settings=settings, storage=storage),
            }
        )
        server = EmulatorServer(app).start()
        try:
            yield server.url
        finally:
            server.stop()
