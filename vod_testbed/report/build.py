"""Building a ladder report from an HLS output, local or on S3, and its source."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.backends.naming import HLS_FOLDER
from vod_testbed.common.errors import TranscodeError
from vod_testbed.hls.decrypt import decrypt_ladder
from vod_testbed.hls.validation import HlsInputError
from vod_testbed.media.aes128 import DecryptionError
from vod_testbed.media.probe import probe
from vod_testbed.report.measure import measure_ladder
from vod_testbed.report.model import LadderReport
from vod_testbed.report.quality import QualityError, available_metric, compare
from vod_testbed.storage.s3 import Storage, is_s3

log = logging.getLogger(__name__)

DEFAULT_QUALITY_SECONDS = 60.0


def build_report(
    master: str,
    source: str | None = None,
    *,
    storage: Storage | None = None,
    quality_seconds: float = DEFAULT_QUALITY_SECONDS,
    metric: str | None = None,
    ffmpeg: str | None = None,
    ladder: Ladder = DEFAULT_LADDER,
    on_measured: Callable[[LadderReport], None] | None = None,
    key: bytes | None = None,
) -> LadderReport:
    """The report of ``master`` (``s3://`` or local), with quality against ``source``.

    Args:
        master: the multivariant playlist.
        source: the video the ladder was made from (``s3://`` or local); ``None`` skips
            quality.
        storage: for ``s3://`` inputs (default: from the environment).
        quality_seconds: how much of each rendition quality covers, from its start.
        metric: ``vmaf`` or ``psnr-ssim``; default: VMAF where ffmpeg has it.
        ffmpeg: the ffmpeg to run (default: as the backends find it).
        ladder: rung targets, matched by name.
        on_measured: called with the report once measured, before quality (which can take
            minutes), so a caller can show the figures early.
        key: the AES-128 key of an encrypted ladder: a private copy is decrypted first
            (hls/decrypt.py), and everything is measured on the clear media.

    Raises:
        HlsInputError: the output cannot be read at all.
    """
    storage = storage or Storage()
    with tempfile.TemporaryDirectory(prefix="vod-report-") as tmp:
        local_master = _local_master(master, Path(tmp), storage)
        if key is not None:
            if not is_s3(master):  # never decrypt the caller's own files
                copy = shutil.copytree(local_master.parent, Path(tmp) / HLS_FOLDER)
                local_master = Path(copy) / local_master.name
            try:
                decrypt_ladder(local_master, key)
            except DecryptionError as exc:
                raise HlsInputError(f"{master} does not decrypt with its key: {exc}") from exc
        report = measure_ladder(local_master, master, ladder)
        if source is None:
            return report
        report.source = source
        report.quality_status = "pending"
        if on_measured is not None:
            on_measured(report)
        try:
            local_source = _local(source, Path(tmp) / "source", storage)
            add_quality(report, local_master.parent, local_source, quality_seconds, metric, ffmpeg)
        except (QualityError, TranscodeError, OSError, ValueError) as exc:
            report.quality_status, report.quality_error = "failed", str(exc)
            log.warning("quality of %s not computed: %s", master, exc)
    return report


def add_quality(
    report: LadderReport,
    folder: Path,
    source: Path,
    seconds: float,
    metric: str | None = None,
    ffmpeg: str | None = None,
) -> None:
    """Compare every rendition in ``folder`` with ``source`` at the source's display size.

    Raises:
        QualityError: a comparison failed; ValueError: the source has no video.
    """
    binary = find_ffmpeg(ffmpeg)
    chosen = metric or available_metric(binary)
    info = probe(source)
    if info.video is None:
        raise ValueError(f"the source {report.source} has no video stream")
    size = info.video.display_size
    seconds = min(seconds, info.duration_s) if info.duration_s > 0 else seconds
    for rung in report.rungs:
        rung.quality = compare(binary, folder / rung.playlist, source, size, seconds, chosen)
    report.quality_metric = chosen
    report.quality_metric_asked = metric is not None
    report.quality_status = "done"


def _local_master(master: str, tmp: Path, storage: Storage) -> Path:
    if not is_s3(master):
        return Path(master)
    folder, _, name = master.rpartition("/")
    try:
        return storage.download_tree(folder, tmp / HLS_FOLDER) / name
    except Exception as exc:
        raise HlsInputError(f"cannot read {master}: {exc}") from exc


def _local(uri: str, dest: Path, storage: Storage) -> Path:
    if not is_s3(uri):
        return Path(uri)
    return storage.fetch(uri, dest)
