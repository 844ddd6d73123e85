"""The file set: no stray segments or playlists, and MediaConvert's names throughout."""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

from vod_testbed.backends import naming
from vod_testbed.backends.jobmodel import stream_names
from vod_testbed.hls.model import Context, Rendition


def check_files(
    ctx: Context,
    renditions: list[Rendition],
    captions: Set[Path] = frozenset(),
    iframe_uris: tuple[str, ...] = (),
) -> None:
    """``files.orphans`` for the folder, ``files.naming`` for each rendition; ``captions``
    are the files the caption renditions reference, ``iframe_uris`` the other
    playlists the master names (I-frame-only, image)."""
    referenced = {ctx.master.resolve(), *captions}
    for uri in iframe_uris:
        path = ctx.resolve(uri)
        if path is not None:
            referenced.add(path.resolve())
    for r in renditions:
        path = ctx.resolve(r.uri)
        if path is not None:
            referenced.add(path.resolve())
        referenced.update(s.path.resolve() for s in r.segments)
    strays = sorted(
        str(p.relative_to(ctx.folder))
        for p in ctx.folder.rglob("*")
        if p.suffix in (".ts", ".m3u8", ".vtt") and p.is_file() and p.resolve() not in referenced
    )
    ctx.add(
        "files.orphans",
        not strays,
        f"file(s) no playlist references: {', '.join(strays)}"
        if strays
        else "no unreferenced .ts, .vtt or .m3u8 files",
    )
    for r in renditions:
        _check_naming(ctx, r)


def _check_naming(ctx: Context, r: Rendition) -> None:
    problems = []
    modifier = "_" + r.name
    wanted = naming.media_playlist_name(ctx.base, modifier)
    if r.uri != wanted:
        problems.append(f"playlist {r.uri} (MediaConvert writes {wanted})")
    stem = ctx.base + modifier
    fmp4 = bool(getattr(r.playlist, "segment_map", None))
    for i, seg in enumerate(r.segments):
        expected = naming.segment_name(ctx.base, modifier, i + 1)
        if fmp4:  # CMAF: nine digits, the track's extension (docs/jobs.md)
            expected = stream_names.numbered(stem, i + 1, Path(seg.uri).suffix.lstrip("."))
        # A segment modifier sits "between the name modifier and segment index number"
        # (service model, HlsSettings.SegmentModifier) and may differ per segment ($dt$).
        index = expected.removeprefix(stem)
        between = seg.uri.removeprefix(stem).removesuffix(index)
        named = seg.uri.startswith(stem) and seg.uri.endswith(index) and "/" not in between
        if not named:
            problems.append(f"segment {i + 1} is {seg.uri}, expected {expected}")
            break  # the first misnumbering explains the rest
    ctx.add(
        "files.naming",
        not problems,
        "; ".join(problems) if problems else f"MediaConvert names {wanted} and its segments",
        r.name,
    )
