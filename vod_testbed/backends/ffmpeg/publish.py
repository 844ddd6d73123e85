"""Publishing a job's checked outputs from its work folder to S3 or a folder, and the
outputs record the job reports. Media goes first, then media playlists, the multivariant
playlists last: a reader that sees a master finds everything it references."""

from __future__ import annotations

from collections.abc import Callable, MutableSequence, Sequence
from pathlib import Path

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.captions import CaptionFiles
from vod_testbed.backends.ffmpeg.command import EncodePlan
from vod_testbed.backends.ffmpeg.file_outputs import WrittenOutput
from vod_testbed.backends.ffmpeg.outputs import RenditionFiles
from vod_testbed.backends.ffmpeg.run import JobContext
from vod_testbed.backends.ffmpeg.stream_publish import StreamGroupFiles
from vod_testbed.backends.job import (
    CaptionOutput,
    FileOutput,
    GroupOutput,
    JobOutputs,
    JobRequest,
    RenditionOutput,
)
from vod_testbed.backends.jobmodel.model import CmafGroup, DashIsoGroup, HlsGroup, JobSpec

Upload = list[tuple[Path, str]]
TrickPlay = tuple[Sequence[Path], Sequence[Path]]


def _hls_files(
    renditions: Sequence[RenditionFiles],
    trick_play: TrickPlay,
    target: Callable[[Path], str],
) -> tuple[Upload, Upload]:
    """The media and media playlists of one HLS ladder: segments, trick-play tiles, rendition
    and image playlists."""
    tiles, image_playlists = trick_play
    media = [(seg, target(seg)) for r in renditions for seg in r.segments]
    media += [(tile, target(tile)) for tile in tiles]
    playlists = [(r.playlist, target(r.playlist)) for r in renditions]
    playlists += [(p, target(p)) for p in image_playlists]
    return media, playlists


def _size(rendition: RenditionFiles) -> tuple[int, int]:
    """A rendition's picture size; an audio-only variant has no picture: 0 x 0."""
    plan = rendition.plan
    return (plan.geometry.box_width, plan.geometry.box_height) if plan else (0, 0)


def _put_in_order(
    ctx: JobContext, batches: Sequence[Upload], written: MutableSequence[str]
) -> None:
    for batch in batches:
        ctx.check_canceled()
        ctx.storage.put_many(batch, written=written)


def publish(
    ctx: JobContext,
    request: JobRequest,
    plan: EncodePlan,
    renditions: Sequence[RenditionFiles],
    captions: Sequence[CaptionFiles],
    thumbnails: Sequence[Path],
    written: MutableSequence[str],
    trick_play: TrickPlay = ((), ()),
) -> JobOutputs:
    """Upload a ladder job's outputs; ``written`` collects every URI written so far.
    ``trick_play`` holds the tiles and the image playlists, if any."""
    hls_folder, _ = naming.split_destination(request.hls_destination)
    thumb_folder, _ = naming.split_destination(request.thumbnail_destination)
    master = plan.hls_dir / naming.master_playlist_name(plan.hls_base)

    def target(path: Path, folder: str = hls_folder) -> str:
        return naming.join_uri(folder, path.name)

    segments, playlists = _hls_files(renditions, trick_play, target)
    segments += [(seg, target(seg)) for c in captions for seg in c.segments]
    playlists += [(c.playlist, target(c.playlist)) for c in captions]
    images = [(img, target(img, thumb_folder)) for img in thumbnails]
    _put_in_order(ctx, (segments + images, playlists, [(master, target(master))]), written)

    return JobOutputs(
        master_playlist_uri=target(master),
        renditions=tuple(
            RenditionOutput(
                name=r.name,
                playlist_uri=target(r.playlist),
                duration_ms=round(r.duration_s * 1000),
                width=_size(r)[0],
                height=_size(r)[1],
                average_bandwidth=r.average_bandwidth,
                peak_bandwidth=r.peak_bandwidth,
                video_bitrate=r.video_bitrate(),
            )
            for r in renditions
        ),
        captions=tuple(_caption_output(c, target(c.playlist)) for c in captions),
        thumbnail_uris=tuple(uri for _, uri in images),
        thumbnail_width=plan.thumbnail.box_width if plan.thumbnail else 0,
        thumbnail_height=plan.thumbnail.box_height if plan.thumbnail else 0,
    )


def _caption_output(files: CaptionFiles, playlist_uri: str) -> CaptionOutput:
    return CaptionOutput(
        name_modifier=files.track.name_modifier,
        playlist_uri=playlist_uri,
        language=files.track.language,
        name=files.track.name,
        segment_count=len(files.segments),
    )


def write_logs(work: Path, logs: Sequence[tuple[str, str]]) -> list[Path]:
    """Write each ``(name, text)`` log into the work folder, to be published."""
    paths = []
    for name, text in logs:
        path = work / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def publish_model(
    ctx: JobContext,
    model: JobSpec,
    hls_plans: Sequence[EncodePlan],
    renditions: Sequence[Sequence[RenditionFiles]],
    file_outputs: Sequence[Sequence[WrittenOutput]],
    written: MutableSequence[str],
    logs: Sequence[Path] = (),
    stream_files: Sequence[StreamGroupFiles] = (),
    trick_play: Sequence[TrickPlay] = (),
    captions: Sequence[Sequence[CaptionFiles]] = (),
) -> JobOutputs:
    """Upload a model job's outputs; ``written`` collects every URI written so far.
    ``logs`` (loudness logs) go beside the first group's outputs; ``captions`` are each
    HLS group's WebVTT renditions."""
    first_folder, _ = naming.split_destination(model.output_groups[0].destination)
    media: Upload = [(p, naming.join_uri(first_folder, p.name)) for p in logs]
    playlists: Upload = []
    masters: Upload = []
    groups: list[GroupOutput] = []
    hls = iter(zip(hls_plans, renditions, strict=True))
    # Each HLS group's trick-play tiles and image playlists, in the groups' order.
    tiles_of = iter(trick_play or [((), ())] * len(hls_plans))
    files = iter(file_outputs)
    streams = iter(stream_files)
    subtitles = iter(captions or [()] * len(hls_plans))
    caption_outputs: list[CaptionOutput] = []
    for group in model.output_groups:
        folder, _ = naming.split_destination(group.destination)

        def target(path: Path, folder: str = folder) -> str:
            return naming.join_uri(folder, path.name)

        if isinstance(group, HlsGroup):
            plan, written_renditions = next(hls)
            master = plan.hls_dir / naming.master_playlist_name(plan.hls_base)
            group_media, group_playlists = _hls_files(written_renditions, next(tiles_of), target)
            iframes = (
                plan.hls_dir / naming.iframe_playlist_name(plan.hls_base, modifier)
                for modifier in group.iframe_modifiers
            )
            group_captions = next(subtitles)
            caption_outputs += [_caption_output(c, target(c.playlist)) for c in group_captions]
            media += group_media + [(s, target(s)) for c in group_captions for s in c.segments]
            playlists += group_playlists + [(p, target(p)) for p in iframes]
            playlists += [(c.playlist, target(c.playlist)) for c in group_captions]
            masters.append((master, target(master)))
            details = tuple(
                FileOutput(
                    (target(r.playlist),),
                    round(r.duration_s * 1000),
                    *_size(r),
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
    _put_in_order(ctx, (media, playlists, masters), written)
    first_hls = next((g for g in groups if g.type == "HLS_GROUP"), None)
    return JobOutputs(
        master_playlist_uri=first_hls.playlist_uri if first_hls else "",
        renditions=(),
        groups=tuple(groups),
        captions=tuple(caption_outputs),
    )
