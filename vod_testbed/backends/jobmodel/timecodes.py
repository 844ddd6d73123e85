"""MediaConvert's input timecodes and ``InputClippings``: which seconds of an input a job uses.

Pure: the clippings are the model's (:class:`~.model.Clipping`); the probed facts (frame
rate, embedded start timecode, duration) come in as values.
What AWS documents, and what this module follows (service model, ``Input`` and
``InputClipping``):

- a timecode is ``HH:MM:SS:FF`` (non-drop) or ``HH:MM:SS;FF`` (drop-frame), optionally
  followed by ``@<rate>`` or ``@<numerator>:<denominator>`` naming the rate it counts at;
- ``TimecodeSource`` says where an input's first frame sits on that clock: ``EMBEDDED``
  (the default) its own timecode, ``ZEROBASED`` 00:00:00:00, ``SPECIFIEDSTART`` the
  input's ``TimecodeStart``;
- the frames at the start *and* the end timecode are both in the clip; one of the two may
  be blank (from the start, or to the end); several clips are strung together in order;
  no clipping (or an empty list) is the whole input;
- "Multiple clips must be in chronological order and can't overlap; each Start timecode
  must come after the previous clip's End timecode", and a clip lasts less than 12 hours;
  for an audio-only input the frame digits are hundredths of a second (user guide,
  "Setting up an assembly workflow job").

Where the documentation is silent (inferred, in emulator/COVERAGE.md): an ``EMBEDDED``
source without a timecode counts from 00:00:00:00; a clip that starts at or after the end
of its input, or ends before it starts, ends the job in ERROR 1040; an end past the input's
end is cut at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from vod_testbed.backends.jobmodel.model import Clipping
from vod_testbed.common import errors

_TIMECODE = re.compile(
    r"^(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})(?P<sep>[:;])(?P<f>\d{2})"
    r"(?:@(?P<rate>\d+(?:\.\d+)?)(?::(?P<den>\d+))?)?$"
)
TIMECODE_SOURCES = ("EMBEDDED", "ZEROBASED", "SPECIFIEDSTART")
DEFAULT_TIMECODE_SOURCE = "EMBEDDED"
# "When you specify an input clip for an audio-only input, the last numbers in the timecode
# that you enter correspond to hundredths of a second."
AUDIO_ONLY_RATE = Fraction(100)
MAX_CLIP_S = 12 * 3600


class ClippingError(ValueError):
    """A clipping or timecode the input cannot satisfy; ``str()`` is the job's sentence."""

    code = errors.SETTINGS_ERROR


@dataclass(frozen=True)
class Timecode:
    hours: int
    minutes: int
    seconds: int
    frames: int
    drop_frame: bool = False
    rate: Fraction | None = None  # the ``@rate`` suffix, if any

    @classmethod
    def parse(cls, text: str) -> Timecode:
        match = _TIMECODE.match(text)
        if match is None:
            raise ClippingError(f"{text!r} is not a timecode (HH:MM:SS:FF or HH:MM:SS;FF)")
        rate: Fraction | None = None
        if match["rate"] is not None:
            rate = Fraction(match["rate"])
            if match["den"] is not None:
                rate /= int(match["den"])
        return cls(
            int(match["h"]),
            int(match["m"]),
            int(match["s"]),
            int(match["f"]),
            drop_frame=match["sep"] == ";",
            rate=rate,
        )

    def frame_number(self, rate: Fraction) -> int:
        """Frames since 00:00:00:00 at ``rate`` (SMPTE 12M drop-frame counting for ``;``)."""
        rate = self.rate or rate
        nominal = round(rate)
        if self.frames >= nominal:
            raise ClippingError(
                f"{self}: frame {self.frames} does not exist at {float(rate):.3f} fps"
            )
        total_minutes = 60 * self.hours + self.minutes
        count = (3600 * self.hours + 60 * self.minutes + self.seconds) * nominal + self.frames
        if self.drop_frame and nominal in (30, 60):
            # Frame numbers 0 and 1 (0-3 at 60 fps) are skipped every minute but each tenth.
            dropped = nominal // 15
            count -= dropped * (total_minutes - total_minutes // 10)
        return count

    def __str__(self) -> str:
        sep = ";" if self.drop_frame else ":"
        return f"{self.hours:02}:{self.minutes:02}:{self.seconds:02}{sep}{self.frames:02}"


@dataclass(frozen=True)
class ClipWindow:
    """Seconds of an input's own timeline (its first frame at 0): [start, end)."""

    start_s: Fraction
    end_s: Fraction
    # The window runs to the input's end (no end timecode, or one past the end).
    to_end: bool = False

    @property
    def whole(self) -> bool:
        """The window is the whole input: nothing to trim."""
        return self.start_s == 0 and self.to_end

    @property
    def duration_s(self) -> Fraction:
        return self.end_s - self.start_s


def origin_frame(
    source: str,
    rate: Fraction,
    *,
    embedded: str | None = None,
    specified: str | None = None,
) -> int:
    """The frame number the input's first frame carries under ``TimecodeSource``."""
    if source == "ZEROBASED":
        return 0
    if source == "SPECIFIEDSTART":
        if not specified:
            raise ClippingError("TimecodeSource SPECIFIEDSTART needs a TimecodeStart")
        return Timecode.parse(specified).frame_number(rate)
    if source != "EMBEDDED":
        raise ClippingError(f"{source!r} is not a timecode source")
    if not embedded:
        return 0
    # Embedded timecodes come from the stream (ffmpeg's ``timecode`` tag), always HH:MM:SS[:;]FF.
    return Timecode.parse(embedded[:11]).frame_number(rate)


def clip_windows(
    clippings: Sequence[Clipping] | None,
    *,
    rate: Fraction,
    duration_s: float,
    origin: int = 0,
) -> tuple[ClipWindow, ...]:
    """The windows ``InputClippings`` (wire form) select, in order, within the input.

    Args:
        clippings: the input's clips; None or () is the whole input.
        rate: the input's frame rate (the timecode's ``@rate`` wins for that timecode).
        duration_s: the input's duration.
        origin: :func:`origin_frame` of the input.

    Raises:
        ClippingError: a timecode that is not one, a clip with neither end, or one that
            selects nothing of the input.
    """
    total = Fraction(duration_s).limit_denominator(1_000_000)
    if not clippings:
        return (ClipWindow(Fraction(0), total, to_end=True),)
    windows: list[ClipWindow] = []
    for index, clip in enumerate(clippings, start=1):
        start_text, end_text = clip.start_timecode, clip.end_timecode
        if not start_text and not end_text:
            raise ClippingError(
                f"Input clip {index}: set a start timecode, an end timecode or both."
            )
        start = Fraction(0)
        end = total
        to_end = True
        if start_text:
            start = max(
                Fraction(0), (Timecode.parse(start_text).frame_number(rate) - origin) / rate
            )
        if end_text:
            # The end frame is included: the clip ends where the next frame would start.
            last = (Timecode.parse(end_text).frame_number(rate) - origin + 1) / rate
            end, to_end = min(total, last), last >= total
        if start >= total:
            raise ClippingError(
                f"Input clip {index} starts at {start_text}, after the end of the input "
                f"({float(total):.3f} s from its first timecode)."
            )
        if end <= start:
            raise ClippingError(
                f"Input clip {index} ends ({end_text}) before it starts "
                f"({start_text or 'the first frame'})."
            )
        if windows and start < windows[-1].end_s:
            raise ClippingError(
                f"Input clip {index} starts before the end of clip {index - 1}: clips must be "
                "in chronological order and must not overlap."
            )
        if end - start >= MAX_CLIP_S:
            raise ClippingError(f"Input clip {index} lasts 12 hours or more.")
        windows.append(ClipWindow(start, end, to_end))
    return tuple(windows)


def _key(timecode: Timecode) -> tuple[int, int, int, int]:
    return (timecode.hours, timecode.minutes, timecode.seconds, timecode.frames)


def check_clippings(clippings: Sequence[Clipping], path: str) -> list[str]:
    """What can be refused before the input is read: a clip with neither end, one whose end
    comes before its start, clips out of order or overlapping (all on the input's one
    clock). Returns ``pointer: problem`` strings."""
    problems = []
    previous_end: tuple[str, tuple[int, int, int, int]] | None = None
    for index, clip in enumerate(clippings):
        start_text, end_text = clip.start_timecode, clip.end_timecode
        where = f"{path}/{index}"
        if not start_text and not end_text:
            problems.append(f"{where}: startTimecode or endTimecode is required")
            continue
        try:
            start = Timecode.parse(start_text) if start_text else None
            end = Timecode.parse(end_text) if end_text else None
        except ClippingError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if start and end and _key(end) < _key(start):
            problems.append(f"{where}/endTimecode: {end_text} is before {start_text}")
        if previous_end and (start is None or _key(start) <= previous_end[1]):
            problems.append(
                f"{where}/startTimecode: clips must be in chronological order and must not "
                f"overlap (the previous clip ends at {previous_end[0]})"
            )
        previous_end = (end_text, _key(end)) if end and end_text else None
    return problems
