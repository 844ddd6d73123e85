"""The bit-rate chart: one step per segment, the target and the average as lines."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from vod_testbed.report.chart import bitrate_svg
from vod_testbed.report.model import BitratePoint, RungReport

SVG = "{http://www.w3.org/2000/svg}"


def rung(**changes: object) -> RungReport:
    fields: dict[str, object] = {
        "name": "720p",
        "playlist": "master_720p.m3u8",
        "resolution": "1280x720",
        "target_video_bps": 3_000_000,
        "target_peak_bps": 3_210_000,
        "video_bps": 3_100_000,
        "average_bps": 3_300_000,
        "peak_bps": 3_400_000,
        "declared_bandwidth": 3_400_000,
        "segment_count": 3,
        "duration_s": 13.5,
        "series": [
            BitratePoint(0.0, 6.0, 3_200_000),
            BitratePoint(6.0, 6.0, 3_400_000),
            BitratePoint(12.0, 1.5, 3_100_000),
        ],
    }
    fields.update(changes)
    return RungReport(**fields)  # type: ignore[arg-type]


def test_each_segment_is_one_step_of_the_line() -> None:
    root = ET.fromstring(bitrate_svg(rung()))
    polyline = root.find(f"{SVG}polyline")
    assert polyline is not None
    points = polyline.get("points", "").split()
    assert len(points) == 6
    xs = [float(p.split(",")[0]) for p in points]
    assert xs == sorted(xs)
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[2] < ys[0]  # the 3.4 Mb/s segment is drawn higher than the 3.2 Mb/s one


def test_target_and_average_are_dashed_lines_with_their_values() -> None:
    root = ET.fromstring(bitrate_svg(rung()))
    lines = {line.get("class"): line.findtext(f"{SVG}title") for line in root.iter(f"{SVG}line")}
    assert lines == {"target": "target 3.0 Mb/s", "average": "average 3.3 Mb/s"}


def test_a_rung_without_segments_says_so() -> None:
    assert "no segments" in bitrate_svg(rung(series=[]))


def test_names_are_escaped() -> None:
    svg = bitrate_svg(rung(name='<script>"x"'))
    assert "<script>" not in svg
    assert re.search(r"&lt;script&gt;", svg)
