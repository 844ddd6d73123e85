"""MediaConvert's format identifiers (settings variables) in destinations, name modifiers and
segment modifiers: ``$dt$``, ``$d$``, ``$t$``, ``$rv$``, ``$ra$``, ``$rc$``, ``$w$``, ``$h$``,
``$f$``, ``$fn$``, ``$ex$`` and ``$$``, with the ``%0N`` minimum digits of the numeric ones.

Pure. Followed (user guide, "List of settings variables with examples", "Specifying a
minimum number of digits", "Using settings variables with streaming outputs"):

- the date and time identifiers are the job's start time in UTC (``YYYYMMDDTHHMMSS``,
  ``YYYYMMDD``, ``HHMMSS``), except in an HLS **segment modifier**, where each segment's
  takes the time that segment was completed;
- destinations take only ``$dt$``, ``$d$``, ``$t$`` and ``$fn$``;
- ``$rv$`` is the video bitrate in kilobits (the maximum bitrate for QVBR), ``$ra$`` the
  sum of the audio bitrates, ``$rc$`` both; ``$f$`` the frame rate truncated;
- ``$h%04$`` pads a number to four digits; a value longer than that keeps its digits.

An identifier the documentation does not list is refused with its name: on AWS it would be
written literally or refused, and either way a test would be checking the wrong name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

_IDENTIFIER = re.compile(r"\$(?P<name>[a-z]*)(?:%0(?P<digits>\d+))?\$")
TIME_IDENTIFIERS = frozenset({"dt", "d", "t"})
NUMERIC = frozenset({"rv", "ra", "rc", "w", "h", "f"})
DESTINATION_IDENTIFIERS = frozenset({"dt", "d", "t", "fn"})
MODIFIER_IDENTIFIERS = frozenset({"dt", "d", "t", "rv", "ra", "rc", "w", "h", "f", "fn", "ex"})


class FormatIdentifierError(ValueError):
    """A ``$...$`` the setting does not take; ``str()`` names it."""


@dataclass(frozen=True)
class OutputFacts:
    """What the output-dependent identifiers resolve to (None: not known for this output)."""

    video_bitrate: int | None = None  # bit/s; the maximum bitrate for QVBR
    audio_bitrates: tuple[int, ...] = ()  # bit/s, each audio description
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    extension: str | None = None


def identifiers_in(text: str) -> list[str]:
    """The identifier names ``text`` uses (``$$`` is an escaped dollar, not one)."""
    return [m["name"] for m in _IDENTIFIER.finditer(text) if m["name"]]


def check_identifiers(text: str, allowed: frozenset[str], setting: str) -> list[str]:
    """Problems with the identifiers of one setting (empty: all are ones it takes)."""
    problems = []
    for match in _IDENTIFIER.finditer(text):
        name = match["name"]
        if not name:
            continue
        if name not in allowed:
            problems.append(f"${name}$ is not a format identifier {setting} takes")
        elif match["digits"] and name not in NUMERIC:
            problems.append(f"${name}$ is not a number: it takes no minimum number of digits")
    return problems


def _time(name: str, when: datetime) -> str:
    when = when.astimezone(UTC)
    return {
        "dt": when.strftime("%Y%m%dT%H%M%S"),
        "d": when.strftime("%Y%m%d"),
        "t": when.strftime("%H%M%S"),
    }[name]


def resolve(
    text: str,
    *,
    started: datetime,
    input_uri: str,
    facts: OutputFacts | None = None,
    segment_completed: datetime | None = None,
) -> str:
    """``text`` with its identifiers replaced.

    Args:
        started: the job's start time (any timezone; identifiers are UTC).
        input_uri: the job's first input (``$fn$``).
        facts: the output's figures, for name and segment modifiers.
        segment_completed: for an HLS segment modifier, when the segment was completed.

    Raises:
        FormatIdentifierError: an identifier whose value is unknown here.
    """
    facts = facts or OutputFacts()

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if not name:
            return "$"
        if name in TIME_IDENTIFIERS:
            return _time(name, segment_completed or started)
        if name == "fn":
            return PurePosixPath(input_uri.rsplit("/", 1)[-1]).stem
        if name == "ex":
            if facts.extension is None:
                raise FormatIdentifierError("$ex$ has no value for this output")
            return facts.extension
        number = _number(name, facts)
        digits = int(match["digits"] or 0)
        return f"{number:0{digits}d}" if digits else str(number)

    return _IDENTIFIER.sub(value, text)


def _number(name: str, facts: OutputFacts) -> int:
    audio_kbps = sum(facts.audio_bitrates) // 1000
    values = {
        "rv": None if facts.video_bitrate is None else facts.video_bitrate // 1000,
        "ra": audio_kbps if facts.audio_bitrates else None,
        "rc": None if facts.video_bitrate is None else facts.video_bitrate // 1000 + audio_kbps,
        "w": facts.width,
        "h": facts.height,
        "f": None if facts.frame_rate is None else int(facts.frame_rate),
    }
    if name not in values:
        raise FormatIdentifierError(f"${name}$ is not a format identifier")
    result = values[name]
    if result is None:
        raise FormatIdentifierError(f"${name}$ has no value for this output")
    return result
