"""The vocabulary of the settings coverage table: a setting's treatment, and rows that
several settings families share (docs/ARCHITECTURE.md, "The settings contract")."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from vod_testbed.backends.mediaconvert.model import ValidationError

ENCODER_INTERNAL = "encoder internals; x264 uses its own"


class SettingsError(ValidationError):
    """A setting that MediaConvert accepts but the emulator cannot honour.

    Refused rather than dropped: a job never runs differently from what it asks for
    without saying so.
    """


class Treatment(enum.StrEnum):
    """What the emulator does with an accepted setting."""

    HONOURED = "honoured"  # read, and the output follows it
    IGNORED = "ignored"  # accepted; tunes encoder internals or metadata only
    APPROXIMATED = "approximated"  # accepted; the emulator's behaviour is described in note


@dataclass(frozen=True)
class Coverage:
    """How the emulator treats one setting; ``values`` limits the accepted values."""

    treatment: Treatment
    values: frozenset[Any] | None = None
    note: str = ""


def honoured(*values: Any, note: str = "") -> Coverage:
    """A setting the output follows; ``values``, when given, are the only ones accepted."""
    return Coverage(Treatment.HONOURED, frozenset(values) or None, note)


def ignored(*values: Any, note: str = "") -> Coverage:
    """A setting accepted without effect on the output (encoder internals, metadata)."""
    return Coverage(Treatment.IGNORED, frozenset(values) or None, note)


def approximated(*values: Any, note: str = "") -> Coverage:
    """A setting accepted and emulated approximately; ``note`` says how."""
    return Coverage(Treatment.APPROXIMATED, frozenset(values) or None, note)


# Rows several shapes share: the groups' destinations, HLS-style manifests, encoders.
DESTINATION = honoured(
    note="a trailing slash takes the base name from the input file; $dt$, $d$, $t$ "
    "and $fn$ resolve when the job starts"
)
DESTINATION_SETTINGS = ignored(note="S3 ACL, storage class and encryption of the objects")
INTEGER_EXTINF = honoured(note="INTEGER -> integer EXTINF")
TARGET_DURATION_MODE = honoured(
    note="LEGACY (the default) rounds EXT-X-TARGETDURATION up, SPEC_COMPLIANT to the nearest second"
)
ONLY_EMPTY_LIST = ignored((), note="only an empty list")
NO_FINAL_SEGMENT_MINIMUM = honoured(0, 0.0)
ENCODER_INTERNALS = ignored(note=ENCODER_INTERNAL)
CLOSED_GOPS = ignored(note="GOPs are always closed")
FPS_FILTER = ignored(note="frame rate conversion is FFmpeg's fps filter")
