"""What a validation finds: one :class:`Check` per rule and rendition, the measured figures,
and the report that renders them as text or JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# error: the output is invalid. warning: a SHOULD of the specs is missed. note: worth
# knowing, nothing to fix (a simple picture needing fewer bits than a rung allows).
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Check:
    """One rule applied to the output (``rendition`` is None for ladder-wide rules)."""

    id: str
    ok: bool
    message: str
    rendition: str | None = None
    severity: Severity = "error"


@dataclass
class RenditionFigures:
    """What the master declares for one rendition next to what was measured."""

    name: str
    playlist: str
    declared_resolution: str | None = None
    resolution: str | None = None
    declared_codecs: str | None = None
    codecs: str | None = None
    declared_frame_rate: float | None = None
    frame_rate: float | None = None
    declared_bandwidth: int | None = None
    peak_bandwidth: int | None = None
    declared_average_bandwidth: int | None = None
    average_bandwidth: int | None = None
    video_bitrate: int | None = None
    duration_s: float | None = None  # sum of EXTINF
    media_duration_s: float | None = None
    segment_count: int = 0
    target_duration: int | None = None
    audio: str | None = None


@dataclass
class SubtitleFigures:
    """One SUBTITLES rendition (a WebVTT caption track) as the master names it and as read."""

    language: str | None
    name: str | None
    playlist: str
    default: bool
    segment_count: int = 0
    cue_count: int = 0


@dataclass
class ValidationReport:
    """Every check run against one HLS output, and the figures measured on the way."""

    master: str
    checks: list[Check] = field(default_factory=list)
    renditions: list[RenditionFigures] = field(default_factory=list)
    subtitles: list[SubtitleFigures] = field(default_factory=list)
    thumbnail_count: int | None = None
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no check of severity ``error`` failed (warnings and notes do not
        invalidate)."""
        return not self.errors

    @property
    def errors(self) -> list[Check]:
        return self._failed_with("error")

    @property
    def warnings(self) -> list[Check]:
        return self._failed_with("warning")

    @property
    def notes(self) -> list[Check]:
        return self._failed_with("note")

    def _failed_with(self, severity: Severity) -> list[Check]:
        return [c for c in self.checks if not c.ok and c.severity == severity]

    def failed(self, check_id: str) -> list[Check]:
        """The failed checks with this id (any rendition, any severity)."""
        return [c for c in self.checks if c.id == check_id and not c.ok]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "master": self.master,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "notes": len(self.notes),
            "elapsed_s": round(self.elapsed_s, 3),
            "thumbnail_count": self.thumbnail_count,
            "renditions": [asdict(r) for r in self.renditions],
            "subtitles": [asdict(s) for s in self.subtitles],
            "checks": [asdict(c) for c in self.checks],
        }

    def render_text(self, unicode: bool = True) -> str:
        """A readable report: one line per check, grouped by rendition, then the verdict."""
        marks = (
            {"pass": "✓", "error": "✗", "warning": "!", "note": "i"}
            if unicode
            else {"pass": "PASS", "error": "FAIL", "warning": "WARN", "note": "NOTE"}
        )
        width = max((len(c.id) for c in self.checks), default=0)
        lines = [f"HLS validation of {self.master}"]
        figures = {r.name: r for r in self.renditions}
        for group, checks in self._groups():
            lines.append("")
            lines.append(_group_heading(group, figures.get(group), self.thumbnail_count))
            for c in checks:
                mark = marks["pass"] if c.ok else marks[c.severity]
                lines.append(f"  {mark} {c.id.ljust(width)}  {c.message}")
        lines.append("")
        verdict = "VALID" if self.ok else "INVALID"
        lines.append(
            f"{verdict}: {len(self.checks)} checks, {len(self.errors)} error(s), "
            f"{len(self.warnings)} warning(s), {len(self.notes)} note(s) ({self.elapsed_s:.2f} s)"
        )
        return "\n".join(lines)

    def _groups(self) -> list[tuple[str, list[Check]]]:
        order = ["ladder", *(r.name for r in self.renditions), "thumbnails"]
        grouped: dict[str, list[Check]] = {}
        for c in self.checks:
            key = c.rendition or ("thumbnails" if c.id.startswith("thumbnails.") else "ladder")
            grouped.setdefault(key, []).append(c)
            if key not in order:
                order.append(key)
        return [(k, grouped[k]) for k in order if k in grouped]


def _group_heading(group: str, fig: RenditionFigures | None, thumbs: int | None) -> str:
    if group == "thumbnails":
        return f"thumbnails ({thumbs if thumbs is not None else 0} found)"
    if fig is None:
        return group
    parts = [f"{group} ({fig.playlist})"]
    if fig.resolution:
        parts.append(fig.resolution)
    if fig.codecs:
        parts.append(fig.codecs)
    if fig.frame_rate:
        parts.append(f"{fig.frame_rate:.3f} fps")
    if fig.duration_s is not None:
        parts.append(f"{fig.segment_count} segment(s), {fig.duration_s:.3f} s")
    if fig.peak_bandwidth:
        parts.append(f"peak {kbps(fig.peak_bandwidth)}")
    if fig.average_bandwidth:
        parts.append(f"avg {kbps(fig.average_bandwidth)}")
    if fig.video_bitrate:
        parts.append(f"video {kbps(fig.video_bitrate)}")
    return ", ".join(parts)


def kbps(bits_per_s: float) -> str:
    """A bit rate as people read it: ``5012 kb/s``."""
    return f"{bits_per_s / 1000:.0f} kb/s"
