"""A CMAF or DASH ISO group finished: its tracks read back and checked, its manifests
written, and what the job reports of it (docs/jobs.md, "CMAF and DASH")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vod_testbed.backends.ffmpeg.cmaf import StreamGroupPlan, WrittenTrack, read_tracks
from vod_testbed.backends.ffmpeg.stream_manifests import write_manifests
from vod_testbed.backends.job import FileOutput, GroupOutput


@dataclass(frozen=True)
class StreamGroupFiles:
    """A finished group's files, in publishing order: media, playlists, top manifests."""

    plan: StreamGroupPlan
    tracks: tuple[WrittenTrack, ...]
    media: tuple[Path, ...]
    playlists: tuple[Path, ...]
    top: tuple[Path, ...]

    def output(self, target: Callable[[Path], str]) -> GroupOutput:
        """The group as its COMPLETE event reports it: the top-level manifests (HLS first)
        and, per output, its duration and, for video, its size and video bit rate; a CMAF or
        DASH output names no file of its own (``outputFilePaths`` is absent, as on AWS)."""
        details = tuple(
            FileOutput(
                (),
                round(t.duration_s * 1000),
                t.init.width,
                t.init.height,
                t.media_bitrate() if t.init.width else 0,
            )
            for t in self.tracks
        )
        uris = [target(p) for p in self.top]
        return GroupOutput(self.plan.group.type, details, uris[0], tuple(uris[1:]))


def finish_stream_group(plan: StreamGroupPlan, source_s: float) -> StreamGroupFiles:
    """Read back and check every track (up to one GOP short of the source), then write the
    manifests.

    Raises:
        TranscodeError: a track is missing, broken or short.
    """
    gops = [o.video.codec.gop.seconds for o in plan.group.outputs if o.video is not None]  # type: ignore[union-attr]
    tracks = read_tracks(plan, source_s, max(0.5, float(max(gops, default=0))))
    manifests = write_manifests(plan, tracks)
    media = tuple(p for t in tracks for p in (t.init_path, *t.segments))
    return StreamGroupFiles(plan, tuple(tracks), media, manifests.playlists, manifests.top)
