"""Frame captures: present, named as MediaConvert names them, decodable, of the ladder's
size, and as many as the duration and interval call for."""

from __future__ import annotations

import math

import av

from vod_testbed.backends import naming
from vod_testbed.hls.model import Context, Rendition


def check_thumbnails(ctx: Context, renditions: list[Rendition]) -> None:
    """Every ``thumbnails.*`` check (only ``present`` when none were found)."""
    spec = ctx.expected.thumbnails if ctx.expected else None
    # Sound alone has no picture to capture: an audio-only ladder has no thumbnails.
    audio_only = bool(renditions) and all(r.audio_only for r in renditions)
    wanted = ctx.thumbnails_explicit or (spec is not None and not audio_only)
    folder = ctx.thumbnails
    jpegs = sorted(folder.glob("*.jpg")) if folder is not None and folder.is_dir() else []
    if not jpegs:
        if wanted:
            where = folder.name if folder is not None else "../" + naming.THUMBNAIL_FOLDER
            ctx.add("thumbnails.present", False, f"no JPEG thumbnails in {where}/")
        return
    ctx.report.thumbnail_count = len(jpegs)
    ctx.add("thumbnails.present", True, f"{len(jpegs)} JPEG thumbnail(s)")
    modifier = spec.name_modifier if spec else "_thumb"
    # Both output groups of a job share the destination base name ("master").
    pattern = naming.thumbnail_regex(ctx.base, modifier)
    indexes = []
    misnamed = []
    for p in jpegs:
        m = pattern.fullmatch(p.name)
        if m:
            indexes.append(int(m.group(1)))
        else:
            misnamed.append(p.name)
    gaps = indexes != list(range(len(indexes)))
    example = naming.thumbnail_name(ctx.base, modifier, 0)
    ctx.add(
        "thumbnails.naming",
        not misnamed and not gaps,
        f"named {example} onwards"
        if not misnamed and not gaps
        else (f"not MediaConvert names: {', '.join(misnamed)}; " if misnamed else "")
        + ("numbers do not run from 0000000 without gaps" if gaps else f"expected {example}"),
    )
    bad = []
    sizes = set()
    for p in jpegs:
        try:
            with av.open(str(p)) as container:
                frame = next(container.decode(video=0))
                sizes.add(f"{frame.width}x{frame.height}")
        except (av.error.FFmpegError, StopIteration, IndexError) as exc:
            bad.append(f"{p.name} ({exc or 'no frame'})")
    ctx.add(
        "thumbnails.decodable",
        not bad,
        f"not decodable: {', '.join(bad)}"
        if bad
        else f"all decode as JPEG, {', '.join(sorted(sizes))}",
    )
    if spec is not None and sizes:
        # The spec's box, or the same box turned for a portrait source (ROTATE_BOX).
        boxes = {f"{spec.width}x{spec.height}", f"{spec.height}x{spec.width}"}
        ok = sizes <= boxes
        ctx.add(
            "thumbnails.size",
            ok,
            f"thumbnails are {', '.join(sorted(sizes))}"
            + ("" if ok else f"; the ladder asks for {spec.width}x{spec.height}"),
        )
    durations = [r.figures.duration_s for r in renditions if r.figures.duration_s]
    duration = ctx.source_duration_s or max(durations, default=0.0)
    if spec is not None and duration > 0:
        expect = min(math.ceil(duration / spec.interval_s), spec.max_captures)
        # Capture times fall on frame boundaries, so one more or one fewer is normal.
        ok = len(jpegs) >= 1 and abs(len(jpegs) - expect) <= 1
        ctx.add(
            "thumbnails.count",
            ok,
            f"{len(jpegs)} thumbnail(s) for {duration:.1f} s at one per {spec.interval_s} s "
            f"(about {expect} expected)",
        )
