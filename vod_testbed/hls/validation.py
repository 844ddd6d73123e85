"""Validating an HLS output: master and media playlists, segments and thumbnails.

:func:`validate_hls` checks what Apple's HLS authoring rules and RFC 8216 require of a VOD
ladder, plus what this project promises (MediaConvert naming, the ladder's bit rates,
profiles and keyframe cadence), and returns a :class:`ValidationReport`: one :class:`Check`
per rule and rendition, and the figures it measured. Every segment is demuxed once with
:func:`~vod_testbed.media.segments.inspect_segment`; all checks reuse that pass. The check
families live in :mod:`vod_testbed.hls.checks`, one module each.

A failed check is an ``error`` (the output is invalid), a ``warning`` (a SHOULD of the specs
is missed) or a ``note`` (worth reporting, nothing to fix); only errors invalidate.

Check ids (stable, used by tests and tooling):

* ``master.attributes`` - BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION, FRAME-RATE present
* ``master.independent-segments`` - EXT-X-INDEPENDENT-SEGMENTS in master or every media playlist
* ``playlist.syntax`` - #EXTM3U header, parseable, one EXT-X-VERSION high enough for its tags
* ``playlist.type`` / ``playlist.endlist`` - EXT-X-PLAYLIST-TYPE:VOD and EXT-X-ENDLIST
* ``playlist.target-duration`` - round(EXTINF) <= TARGETDURATION and EXTINF <= TD + 0.5 s
* ``files.exist`` / ``files.orphans`` / ``files.naming`` - referenced files, strays, names
* ``segments.readable`` / ``segments.keyframe-start`` - demuxable, each opens on a keyframe
* ``bandwidth.peak`` / ``bandwidth.average`` - declared vs measured within 10 %
* ``bandwidth.peak-to-average`` - measured peak <= 2 x average (a SHOULD: warning)
* ``media.resolution`` / ``media.codecs`` / ``media.frame-rate`` - master tells the truth
* ``media.profile-level`` - H.264 Baseline/Main/High, level <= 5.2
* ``duration.extinf`` - EXTINF equals the media duration of each segment (one frame)
* ``duration.renditions`` / ``duration.source`` - no rendition shorter than the others or
  than the source (silent truncation)
* ``audio.presence`` / ``audio.format`` - audio in all renditions or none; one format per
  rendition, and with a ladder the ladder's (AAC-LC 2 ch 48 kHz)
* ``ladder.target-duration`` / ``ladder.keyframe-alignment`` - same TD and IDR times everywhere
* with an expected ladder: ``ladder.renditions``, ``ladder.video-bitrate``, ``ladder.profile``,
  ``ladder.segment-duration``, ``ladder.keyframe-interval``; a rung's target is a ceiling
  for the average video bit rate: more than 10 % over is an error, under is a note
* ``playlist.media-sequence`` - EXT-X-MEDIA-SEQUENCE:1 (segments count from 00001)
* ``thumbnails.size`` - (with a ladder) the thumbnail box the ladder asks for
* ``subtitles.group`` / ``subtitles.playlist`` / ``subtitles.segments`` /
  ``subtitles.duration`` / ``subtitles.cues`` - WebVTT caption renditions
  (:mod:`vod_testbed.hls.checks.subtitles`)
* ``audio.group`` / ``audio.renditions`` - audio rendition groups: every ``AUDIO=``
  resolves, each rendition is audio alone (:mod:`vod_testbed.hls.checks.audio_groups`)
* ``fmp4.init`` / ``fmp4.fragments`` / ``fmp4.duration`` / ``fmp4.fragment-length`` -
  fragmented-MP4 (CMAF) playlists and their boxes (:mod:`vod_testbed.hls.checks.fmp4`)
* ``iframes.playlist`` / ``iframes.keyframe-start`` - each I-frame-only playlist is one,
  and each of its byte ranges starts with a keyframe
* ``tiles.playlist`` / ``tiles.image`` / ``tiles.count`` - each image (trick-play)
  playlist is one, agreeing with its EXT-X-IMAGE-STREAM-INF; every tile is a JPEG of the
  grid's size; the tiles cover the video at the thumbnails' interval
* ``encryption.tags`` / ``encryption.key`` - EXT-X-KEY well formed; with the key, every
  segment decrypts into MPEG-TS (without it, or with a wrong one, a clear verdict)
* ``thumbnails.present`` / ``thumbnails.naming`` / ``thumbnails.decodable`` /
  ``thumbnails.count``
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from vod_testbed.backends import naming
from vod_testbed.backends.ladder import Ladder
from vod_testbed.common import errors
from vod_testbed.hls.checks import (
    audio_groups,
    bitrate,
    files,
    fmp4,
    iframes,
    ladder,
    media,
    playlist,
    subtitles,
    thumbnails,
    tiles,
    timing,
)
from vod_testbed.hls.loading import load_master, load_rendition
from vod_testbed.hls.model import Context, HlsInputError, Rendition
from vod_testbed.hls.report import Check, RenditionFigures, ValidationReport
from vod_testbed.storage.s3 import Storage, is_s3, storage_error


def validate_hls(
    master: str | Path,
    *,
    expected: Ladder | None = None,
    source_duration_s: float | None = None,
    thumbnails: str | Path | None = None,
    storage: Storage | None = None,
    key: bytes | None = None,
    fragment_seconds: float | None = None,
) -> ValidationReport:
    """Validate an HLS output and report every check.

    Args:
        master: local path or ``s3://.../master.m3u8``; an S3 folder is downloaded to a
            temporary directory (removed afterwards) and validated locally.
        expected: the ladder the output was made with; enables the ladder checks.
        source_duration_s: the source's duration; every rendition must match it.
        thumbnails: folder of the frame captures; defaults to ``../thumbnails`` next to
            the HLS folder when that exists.
        storage: used for ``s3://`` inputs (default: ``Storage()`` from the environment).
        key: the AES-128 key of encrypted segments (16 bytes); without it their media
            cannot be checked (``encryption.key`` fails).
        fragment_seconds: the fragment length fMP4 segments were asked for (CMAF's
            ``FragmentLength``); enables ``fmp4.fragment-length``.

    Raises:
        HlsInputError: the master is missing or unreadable, or is not a master playlist.
    """
    started = time.perf_counter()
    master_str = str(master)
    thumbs_str = str(thumbnails) if thumbnails is not None else None
    if is_s3(master_str) or (thumbs_str is not None and is_s3(thumbs_str)):
        with tempfile.TemporaryDirectory(prefix="hls-validate-") as tmp:
            local_master, local_thumbs, explicit = _download(
                master_str, thumbs_str, Path(tmp), storage or Storage()
            )
            ctx = Context(
                local_master,
                expected,
                source_duration_s,
                local_thumbs,
                explicit,
                ValidationReport(master=master_str),
                key=key,
            )
            report = _run(ctx, fragment_seconds)
    else:
        master_path = Path(master_str)
        if thumbs_str is not None:
            thumbs_path: Path | None = Path(thumbs_str)
        else:
            default = master_path.parent.parent / naming.THUMBNAIL_FOLDER
            thumbs_path = default if default.is_dir() else None
        ctx = Context(
            master_path,
            expected,
            source_duration_s,
            thumbs_path,
            thumbs_str is not None,
            ValidationReport(master=master_str),
            key=key,
        )
        report = _run(ctx, fragment_seconds)
    report.elapsed_s = time.perf_counter() - started
    return report


def _download(
    master: str, thumbnails: str | None, tmp: Path, storage: Storage
) -> tuple[Path, Path | None, bool]:
    """Mirror the HLS folder (and thumbnails) locally; returns local master, thumbs, explicit."""
    try:
        if is_s3(master):
            folder, _, name = master.rpartition("/")
            hls_dir = storage.download_tree(folder, tmp / naming.HLS_FOLDER)
            local_master = hls_dir / name
            default_thumbs = folder.rpartition("/")[0] + "/" + naming.THUMBNAIL_FOLDER
        else:
            local_master = Path(master)
            default_thumbs = str(local_master.parent.parent / naming.THUMBNAIL_FOLDER)
        source = thumbnails or default_thumbs
        if is_s3(source):
            local_thumbs: Path | None = storage.download_tree(source, tmp / "thumbnails")
        else:
            local_thumbs = Path(source)
    except errors.TranscodeError as exc:
        raise HlsInputError(str(exc)) from exc
    except (BotoCoreError, ClientError) as exc:  # listing is not wrapped by Storage
        raise HlsInputError(str(storage_error(exc, master, "read"))) from exc
    if local_thumbs is not None and not local_thumbs.is_dir():
        local_thumbs = None if thumbnails is None else local_thumbs
    return local_master, local_thumbs, thumbnails is not None


def _run(ctx: Context, fragment_seconds: float | None = None) -> ValidationReport:
    master_pl, master_text = load_master(ctx)
    ctx.master_independent = bool(master_pl.is_independent_segments)
    renditions = [
        Rendition(ctx.rendition_name(v.uri), v.uri, v.stream_info) for v in master_pl.playlists
    ]
    playlist.check_master(ctx, master_text, renditions)
    for r in renditions:
        load_rendition(ctx, r)
    audio = audio_groups.load_audio_renditions(ctx, master_pl)
    audio_groups.add_group_media(renditions, audio)
    ctx.report.renditions = [r.figures for r in renditions]
    for r in renditions:
        if r.playlist is not None:
            _check_rendition(ctx, r)
    _check_across(ctx, renditions)
    captions = subtitles.check_subtitles(ctx, master_pl, renditions)
    captions |= audio_groups.check_audio_groups(ctx, master_pl, renditions, audio)
    captions |= fmp4.check_fmp4_playlists(ctx, master_pl, fragment_seconds)
    others = [*master_pl.iframe_playlists, *master_pl.image_playlists]
    files.check_files(ctx, renditions, captions, tuple(str(v.uri) for v in others))
    if ctx.expected is not None:
        ladder.check_expected(ctx, ctx.expected, renditions)
    thumbnails.check_thumbnails(ctx, renditions)
    iframes.check_iframe_playlists(ctx, master_pl)
    tiles.check_image_playlists(ctx, master_pl, renditions)
    return ctx.report


def _check_rendition(ctx: Context, r: Rendition) -> None:
    playlist.check_media_playlist(ctx, r)
    if not r.segments:
        ctx.add("files.exist", False, f"{r.uri} lists no segments", r.name)
        return
    if r.media:
        media.check_keyframe_start(ctx, r)
        media.check_media_attributes(ctx, r)
        media.check_audio_format(ctx, r)
    if r.complete:
        bitrate.check_bandwidth(ctx, r)
        timing.check_extinf(ctx, r)


def _check_across(ctx: Context, renditions: list[Rendition]) -> None:
    # Audio-only variants beside video ones (AUDIO_ONLY_VARIANT_STREAM) have no keyframes
    # and segments cut on AAC frames: they are compared among themselves
    # (docs/audio-groups.md).
    video = [r for r in renditions if not r.audio_only]
    audio = [r for r in renditions if r.audio_only]
    for kind in [video, audio] if video and audio else [renditions]:
        _check_alike(ctx, kind)
    # A variant that names an audio group takes its sound from there (checks/audio_groups).
    with_media = [r for r in renditions if r.media and audio_groups.audio_group_of(r) is None]
    if with_media:
        media.check_audio_presence(ctx, with_media)


def _check_alike(ctx: Context, renditions: list[Rendition]) -> None:
    parsed = [r for r in renditions if r.playlist is not None]
    if parsed:
        playlist.check_independent_segments(ctx, parsed)
        playlist.check_target_durations_agree(ctx, parsed)
    complete = [r for r in renditions if r.complete]
    timing.check_keyframe_alignment(ctx, complete)
    timing.check_durations(ctx, complete)


__all__ = [
    "Check",
    "HlsInputError",
    "RenditionFigures",
    "ValidationReport",
    "validate_hls",
]
