"""A bit-rate-over-time chart of one rung as inline SVG: each segment's bit rate as a step,
the target video bit rate and the measured average as dashed lines. Plain markup, so the
console embeds it as it is and no image is rendered on the server."""

from __future__ import annotations

from html import escape

from vod_testbed.report.model import RungReport

WIDTH, HEIGHT = 480, 160
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 12, 12, 28


def _mbps(bps: float) -> str:
    return f"{bps / 1e6:.1f}"


def bitrate_svg(rung: RungReport) -> str:
    """The chart of ``rung`` (an empty-state SVG when it has no measured segment)."""
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    title = escape(f"{rung.name}: bit rate per segment")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
    )
    if not rung.series:
        return (
            head + f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" class="empty">no segments</text></svg>'
        )
    end_s = max(p.start_s + p.duration_s for p in rung.series)
    values = [p.bps for p in rung.series]
    values += [v for v in (rung.target_video_bps, rung.average_bps) if v]
    top_bps = max(values) * 1.15

    def x(seconds: float) -> float:
        return round(_LEFT + seconds / end_s * plot_w, 1)

    def y(bps: float) -> float:
        return round(_TOP + plot_h - bps / top_bps * plot_h, 1)

    parts = [
        head,
        f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" class="frame"/>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        bps = top_bps * fraction
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y(bps) + 4}" class="tick" text-anchor="end">'
            f"{_mbps(bps)}</text>"
        )
    parts.append(
        f'<text x="{_LEFT - 6}" y="{HEIGHT - 8}" class="tick" text-anchor="end">Mb/s</text>'
    )
    parts.append(
        f'<text x="{x(end_s)}" y="{HEIGHT - 8}" class="tick" text-anchor="end">{end_s:.0f} s</text>'
    )
    parts.append(f'<text x="{_LEFT}" y="{HEIGHT - 8}" class="tick">0 s</text>')
    step = []
    for point in rung.series:
        step.append(f"{x(point.start_s)},{y(point.bps)}")
        step.append(f"{x(point.start_s + point.duration_s)},{y(point.bps)}")
    parts.append(f'<polyline points="{" ".join(step)}" class="rate"/>')
    for css, line_bps in (("target", rung.target_video_bps), ("average", rung.average_bps)):
        if line_bps:
            parts.append(
                f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y(line_bps)}" '
                f'y2="{y(line_bps)}" class="{css}"><title>{css} {_mbps(line_bps)} Mb/s</title>'
                "</line>"
            )
    parts.append("</svg>")
    return "".join(parts)
