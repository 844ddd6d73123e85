"""Validating a DASH output (a CMAF or DASH ISO group's MPD) with the HLS validator's report.

The MPD is screened with defusedxml (no DTD, no entities) and parsed with ``mpegdash``; each
representation's ``SegmentTemplate`` is expanded (``SegmentTimeline`` or ``duration`` with
``startNumber``), and every segment it names is read with :mod:`vod_testbed.media.fmp4`. A
broken or hostile MPD gets a failed check saying why, never an exception.

Check ids:

* ``mpd.syntax`` - a static MPD with a Period, parsed
* ``mpd.adaptation-sets`` - video and audio in separate adaptation sets (dash.js plays no
  muxed representations)
* ``dash.files`` - the init segment and every media segment each representation names
* ``dash.init`` / ``dash.codecs`` - init segments read, ``@codecs`` equal to the sample entry's
* ``dash.duration`` - each representation's samples last the presentation (within 0.25 s),
  and a SegmentTimeline's entries last their segments (within 50 ms)
* ``dash.bandwidth`` - ``@bandwidth`` within 10 % of the measured peak or average
* ``fmp4.fragment-length`` - with ``fragment_seconds``, as for HLS
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import defusedxml.ElementTree
from mpegdash.parser import MPEGDASHParser

from vod_testbed.hls.report import Check, ValidationReport
from vod_testbed.media.fmp4 import Fmp4Error, Init, read_fragments, read_init
from vod_testbed.media.measure import SegmentSize, average_bitrate, peak_bitrate
from vod_testbed.storage.s3 import Storage, is_s3

MAX_MPD_BYTES = 4 << 20
MAX_SEGMENTS = 200_000  # per representation: a day of 0.5 s segments
DURATION_TOLERANCE_S = 0.25
_ISO_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")
_NUMBER = re.compile(r"\$Number(?:%0(\d+)d)?\$")


class _Broken(Exception):
    """The MPD cannot be read further; the message is the verdict."""


@dataclass
class _Run:
    folder: Path
    report: ValidationReport
    fragment_seconds: float | None

    def add(self, check_id: str, ok: bool, message: str, where: str | None = None) -> None:
        self.report.checks.append(Check(check_id, ok, message, where))


def validate_dash(
    mpd: str | Path, *, storage: Storage | None = None, fragment_seconds: float | None = None
) -> ValidationReport:
    """Validate a DASH manifest and the segments it names (a local path, or ``s3://``: its
    folder is downloaded to a temporary directory first)."""
    label = str(mpd)
    if not is_s3(label):
        return _validate(Path(label), label, fragment_seconds)
    folder, _, name = label.rpartition("/")
    with tempfile.TemporaryDirectory(prefix="dash-validate-") as tmp:
        local = (storage or Storage()).download_tree(folder, Path(tmp) / "dash")
        return _validate(local / name, label, fragment_seconds)


def _validate(path: Path, label: str, fragment_seconds: float | None) -> ValidationReport:
    run = _Run(path.parent, ValidationReport(master=label), fragment_seconds)
    try:
        manifest = _parse(path)
        run.add("mpd.syntax", True, f"{path.name} is a static MPD")
        total_s = _iso_seconds(manifest.media_presentation_duration)
        for adaptation in manifest.periods[0].adaptation_sets or []:
            for representation in adaptation.representations or []:
                _check_representation(run, adaptation, representation, total_s)
        _check_adaptation_sets(run, manifest)
    except _Broken as exc:
        run.add("mpd.syntax", False, f"{path.name}: {exc}")
    return run.report


def _parse(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_MPD_BYTES:
            raise _Broken(f"larger than {MAX_MPD_BYTES >> 20} MiB")
        text = path.read_text(encoding="utf-8")
        defusedxml.ElementTree.fromstring(text)  # refuses DTDs, entities, broken XML
    except (OSError, UnicodeDecodeError) as exc:
        raise _Broken(f"cannot be read ({exc.__class__.__name__})") from exc
    except Exception as exc:  # defusedxml's and expat's errors alike
        raise _Broken(f"is not acceptable XML ({exc})") from exc
    if "<MPD" not in text:  # mpegdash would fetch anything else as a URL
        raise _Broken("has no MPD element")
    try:
        manifest = MPEGDASHParser.parse(text)
    except Exception as exc:  # mpegdash raises whatever a bad attribute causes
        raise _Broken(f"cannot be parsed ({exc})") from exc
    if manifest.type != "static" or not manifest.periods:
        raise _Broken("is not a static MPD with a Period")
    if _iso_seconds(manifest.media_presentation_duration) <= 0:
        raise _Broken("has no mediaPresentationDuration")
    return manifest


def _iso_seconds(value: str | None) -> float:
    match = _ISO_DURATION.match(value or "")
    if not match:
        return 0.0
    hours, minutes, seconds = (float(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _check_adaptation_sets(run: _Run, manifest: Any) -> None:
    muxed = []
    kinds = []
    for adaptation in manifest.periods[0].adaptation_sets or []:
        for representation in adaptation.representations or []:
            codecs = (representation.codecs or adaptation.codecs or "").split(",")
            found = {
                "video" if c.strip()[:4] in ("avc1", "avc3", "hvc1", "hev1") else "audio"
                for c in codecs
                if c.strip()
            }
            kinds += sorted(found)
            if len(found) > 1:
                muxed.append(representation.id)
    run.add(
        "mpd.adaptation-sets",
        not muxed and "video" in kinds,
        f"muxed audio and video in representation(s) {', '.join(muxed)}"
        if muxed
        else f"{len(set(kinds))} kind(s) of track in separate adaptation sets",
    )


def _template(adaptation: Any, representation: Any) -> Any:
    for owner in (representation, adaptation):
        if owner.segment_templates:
            return owner.segment_templates[0]
    raise _Broken(f"representation {representation.id} has no SegmentTemplate")


def _name(pattern: str, representation: Any, number: int, time: int) -> str:
    name = _NUMBER.sub(lambda m: f"{number:0{int(m[1] or 1)}d}", pattern)
    name = name.replace("$RepresentationID$", str(representation.id))
    name = name.replace("$Bandwidth$", str(representation.bandwidth)).replace("$Time$", str(time))
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or "://" in name or "$" in name:
        raise _Broken(f"segment name {name!r} is not a file beside the MPD")
    return name


def _segments(template: Any, representation: Any, total_s: float) -> list[tuple[str, int]]:
    """(name, timeline duration or 0) of every media segment the template names."""
    scale = template.timescale or 1
    number = template.start_number if template.start_number is not None else 1
    entries: list[tuple[int, int]] = []  # (time, duration)
    if template.segment_timelines:
        time = 0
        for s in template.segment_timelines[0].Ss or []:
            time = s.t if s.t is not None else time
            repeat = s.r or 0
            if repeat < 0 or not s.d or len(entries) + repeat >= MAX_SEGMENTS:
                raise _Broken(f"representation {representation.id} has an unusable timeline entry")
            for _ in range(repeat + 1):
                entries.append((time, s.d))
                time += s.d
    elif template.duration:
        count = math.ceil(round(total_s * scale / template.duration, 6))
        if count > MAX_SEGMENTS:
            raise _Broken(f"representation {representation.id} names {count} segments")
        entries = [(i * template.duration, 0) for i in range(count)]
    else:
        raise _Broken(f"representation {representation.id} has neither timeline nor duration")
    return [
        (_name(template.media or "", representation, number + i, t), d)
        for i, (t, d) in enumerate(entries)
    ]


def _check_representation(run: _Run, adaptation: Any, representation: Any, total_s: float) -> None:
    where = f"representation {representation.id}"
    template = _template(adaptation, representation)
    init_name = _name(template.initialization or "", representation, 0, 0)
    names = _segments(template, representation, total_s)
    missing = [n for n in [init_name] + [n for n, _ in names] if not (run.folder / n).is_file()]
    run.add(
        "dash.files",
        not missing,
        f"missing: {', '.join(missing[:5])}" if missing else f"init and {len(names)} segment(s)",
        where,
    )
    if missing:
        return
    try:
        init = read_init((run.folder / init_name).read_bytes())
    except (OSError, Fmp4Error) as exc:
        run.add("dash.init", False, f"{init_name}: {exc}", where)
        return
    run.add("dash.init", True, f"{init_name}: {init.codecs}", where)
    declared = representation.codecs or adaptation.codecs or ""
    run.add(
        "dash.codecs",
        declared.lower() == init.codecs.lower(),
        f'codecs="{declared}", the init segment holds {init.codecs}',
        where,
    )
    _check_media(run, where, init, names, representation.bandwidth or 0, total_s, template)


def _check_media(
    run: _Run,
    where: str,
    init: Init,
    names: list[tuple[str, int]],
    declared: int,
    total_s: float,
    template: Any,
) -> None:
    sizes, drift, longest = [], [], 0.0
    try:
        for name, listed in names:
            data = (run.folder / name).read_bytes()
            fragments = read_fragments(data, init)
            ticks = sum(f.duration for f in fragments)
            if listed and abs(ticks - listed) / init.timescale > 0.05:
                drift.append(name)
            longest = max([longest] + [f.duration / init.timescale for f in fragments[:-1]])
            sizes.append(SegmentSize(ticks / init.timescale, len(data)))
    except (OSError, Fmp4Error) as exc:
        run.add("dash.duration", False, f"a segment cannot be read: {exc}", where)
        return
    media_s = sum(s.duration_s for s in sizes)
    ok = abs(media_s - total_s) <= DURATION_TOLERANCE_S and not drift
    run.add(
        "dash.duration",
        ok,
        f"samples last {media_s:.3f} s of {total_s:.3f} s"
        + (f"; timeline entries off for {', '.join(drift[:5])}" if drift else ""),
        where,
    )
    segment_s = (template.duration or 0) / (template.timescale or 1) or max(
        s.duration_s for s in sizes
    )
    peak, average = peak_bitrate(sizes, segment_s), average_bitrate(sizes)
    close = [m for m in (peak, average) if m and abs(declared - m) / m <= 0.10]
    run.add(
        "dash.bandwidth",
        bool(close),
        f"bandwidth={declared} vs measured peak {peak}, average {average}",
        where,
    )
    if run.fragment_seconds is not None:
        run.add(
            "fmp4.fragment-length",
            longest <= run.fragment_seconds + 0.1,
            f"longest fragment {longest:.3f} s for {run.fragment_seconds:g} s asked for",
            where,
        )
