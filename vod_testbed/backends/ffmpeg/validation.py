"""Refusing a request the backend cannot run, before it becomes a job: missing inputs,
bucket-less URIs, and names ffmpeg's muxers would read as patterns."""

from __future__ import annotations

from pathlib import Path

from vod_testbed.backends import naming
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.model import CmafGroup, DashIsoGroup, HlsGroup, JobSpec
from vod_testbed.common import errors
from vod_testbed.storage.s3 import is_s3, parse_s3_uri


def validate_request(request: JobRequest) -> None:
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
        validate_model(request.model)
    if not is_s3(request.input_uri) and not Path(request.input_uri).exists():
        raise errors.InvalidRequestError("input_uri", f"no such file: {request.input_uri}")
    for i, track in enumerate(request.captions):
        if is_s3(track.source_uri):
            parse_s3_uri(track.source_uri)
        elif not Path(track.source_uri).is_file():
            raise errors.InvalidRequestError(
                f"captions[{i}].source_uri", f"no such file: {track.source_uri}"
            )


def validate_model(model: JobSpec) -> None:
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
