"""``vod-testbed transcode``: run one job through a backend, then validate what it wrote."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vod_testbed.backends.job import Job, JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, PortraitPolicy, UpscalePolicy
from vod_testbed.backends.registry import create_transcoder
from vod_testbed.common import errors


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "transcode",
        help="transcode a video into the HLS ladder and validate it",
        description="Transcode INPUT (s3://bucket/key or a local file) into the four-rung HLS "
        "ladder plus thumbnails, show progress, then print the outputs and the validation "
        "verdict. Exit 0 when the job completed and validated.",
    )
    parser.add_argument("input", help="s3://bucket/key or a local path")
    parser.add_argument(
        "--out",
        help="folder that receives hls/ and thumbnails/ (s3:// or local); "
        "default: the input without its extension plus _processed",
    )
    parser.add_argument(
        "--backend", help="transcoder backend (default: $TRANSCODER_BACKEND or ffmpeg)"
    )
    parser.add_argument(
        "--no-upscale",
        action="store_true",
        help="drop rungs larger than the source instead of upscaling",
    )
    parser.add_argument(
        "--portrait",
        choices=[p.value for p in PortraitPolicy],
        default=PortraitPolicy.PAD.value,
        help="portrait sources: pad into landscape boxes (MediaConvert default) "
        "or rotate the boxes",
    )
    parser.add_argument("--no-validate", action="store_true", help="skip the HLS validation")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the job")
    parser.set_defaults(func=run)


class ProgressBar:
    """A one-line progress bar on stderr, redrawn only when something changes."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.last = ""

    def __call__(self, job: Job) -> None:
        filled = self.width * job.percent_complete // 100
        phase = job.phase.value if job.phase else job.status.value
        bar = "#" * filled + "." * (self.width - filled)
        line = f"\r[{bar}] {job.percent_complete:3d}% {phase:<12}"
        if line != self.last:
            self.last = line
            sys.stderr.write(line)
            sys.stderr.flush()

    def done(self) -> None:
        if self.last:
            sys.stderr.write("\n")


def run(args: argparse.Namespace) -> int:
    ladder = DEFAULT_LADDER.with_policies(
        upscale=UpscalePolicy.DROP if args.no_upscale else UpscalePolicy.UPSCALE,
        portrait=PortraitPolicy(args.portrait),
    )
    try:
        transcoder = create_transcoder(args.backend)
    except (errors.UnknownBackendError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bar = ProgressBar()
    job: Job | None = None
    try:
        request = JobRequest.for_prefix(args.input, args.out, ladder=ladder)
        unsubscribe = transcoder.subscribe(bar)
        job = transcoder.submit(request)
        print(f"job {job.id}: {request.input_uri} -> {request.hls_destination}", file=sys.stderr)
        job = transcoder.wait(job.id, timeout=args.timeout)
        unsubscribe()
    except errors.InvalidRequestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, TimeoutError) as exc:
        bar.done()
        if job is not None:
            # Whatever the backend, an abandoned job must not go on running. It may have
            # finished meanwhile, or the service may be gone: say so, no traceback.
            try:
                if not transcoder.get(job.id).status.is_final:
                    transcoder.cancel(job.id)
                    print(f"job {job.id} canceled", file=sys.stderr)
            except Exception as cancel_error:
                print(f"job {job.id} not canceled: {cancel_error}", file=sys.stderr)
        print(f"stopping: {exc or 'interrupted'}", file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 1
    except Exception as exc:  # backend or storage unreachable: one line, not a traceback
        bar.done()
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        transcoder.close()
    bar.done()
    if job.status is not JobStatus.COMPLETE or job.outputs is None:
        print(f"job {job.id} {job.status}: [{job.error_code}] {job.error_message}", file=sys.stderr)
        return 1
    print_outputs(job)
    if args.no_validate:
        return 0
    from vod_testbed.hls.validation import validate_hls

    report = validate_hls(
        job.outputs.master_playlist_uri,
        expected=ladder,
        source_duration_s=job.source_duration_s,
    )
    print(report.render_text())
    return 0 if report.ok else 1


def print_outputs(job: Job) -> None:
    assert job.outputs is not None
    elapsed = (job.finished_at or 0) - (job.started_at or 0)
    print(f"job {job.id} COMPLETE in {elapsed:.1f} s")
    print(f"master playlist: {job.outputs.master_playlist_uri}")
    for r in job.outputs.renditions:
        print(
            f"  {r.name:>6}  {r.width}x{r.height}  {r.duration_ms / 1000:.2f} s  "
            f"avg {r.average_bandwidth / 1000:.0f} kbps  peak {r.peak_bandwidth / 1000:.0f} kbps  "
            f"{r.playlist_uri}"
        )
    print(f"thumbnails: {len(job.outputs.thumbnail_uris)}")
    for uri in job.outputs.thumbnail_uris:
        print(f"  {uri}")
