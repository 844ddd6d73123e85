"""Caption tracks of a job: sidecar files, where they go, and MediaConvert's names for them
(docs/captions.md).

A :class:`CaptionTrack` is one MediaConvert caption selector with a sidecar source
(``FileSourceSettings``: the file, its format, ``TimeDelta``) and what the job does with it:
a WebVTT rendition in the HLS group (a ``SUBTITLES`` group in the multivariant playlist) or
text burnt into every video rendition (``BURN_IN``). Both backends read this one
description; the FFmpeg backend writes what MediaConvert writes for it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vod_testbed.media.captions import CaptionFormat

# The SUBTITLES group of every HLS output MediaConvert writes: GROUP-ID="subs".
SUBTITLES_GROUP_ID = "subs"
CAPTION_SEGMENT_EXTENSION = "vtt"

# English names for the languages a learning platform meets most; others are named by code.
_LANGUAGE_NAMES = {
    "eng": "English",
    "spa": "Spanish",
    "fra": "French",
    "fre": "French",
    "deu": "German",
    "ger": "German",
    "ita": "Italian",
    "por": "Portuguese",
    "nld": "Dutch",
    "dut": "Dutch",
    "zho": "Chinese",
    "chi": "Chinese",
    "jpn": "Japanese",
    "kor": "Korean",
    "ara": "Arabic",
    "hin": "Hindi",
    "rus": "Russian",
    "pol": "Polish",
    "tur": "Turkish",
    "swe": "Swedish",
}

_MODIFIER_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


# ISO 639-2/3: three letters. Which codes MediaConvert lists (its LanguageCode) is checked
# where a person names one (the pipeline's API) and by the service model (CreateJob).
_LANGUAGE = re.compile(r"[A-Za-z]{3}")


class CaptionDestination(enum.StrEnum):
    """MediaConvert's ``DestinationType`` for the two destinations produced."""

    WEBVTT = "WEBVTT"
    BURN_IN = "BURN_IN"


@dataclass(frozen=True)
class CaptionTrack:
    """One sidecar caption file and what the job makes of it.

    Args:
        source_uri: ``s3://bucket/key`` (or a local path, for the FFmpeg backend).
        source_format: SRT, WEBVTT or SCC (MediaConvert's ``SourceType``).
        language: ISO 639-2 code, lower case (``eng``); the manifest's LANGUAGE.
        name: the manifest's NAME (``LanguageDescription``); default the language's name.
        time_delta_ms: MediaConvert's ``TimeDelta`` in milliseconds: positive shows every
            caption later.
        destination: a WebVTT rendition, or burnt into the picture.
        name_modifier: the caption output's ``NameModifier`` (``_captions_eng``).
    """

    source_uri: str
    source_format: CaptionFormat
    language: str = "eng"
    name: str = ""
    time_delta_ms: int = 0
    destination: CaptionDestination = CaptionDestination.WEBVTT
    name_modifier: str = ""

    def __post_init__(self) -> None:
        if not _LANGUAGE.fullmatch(self.language):
            raise ValueError(f"language {self.language!r} is not a three-letter ISO 639 code")
        object.__setattr__(self, "language", self.language.lower())
        if not self.name:
            object.__setattr__(self, "name", language_name(self.language))
        if not self.name_modifier:
            object.__setattr__(self, "name_modifier", f"_captions_{self.language}")
        if _MODIFIER_SAFE.search(self.name_modifier[1:]) or not self.name_modifier.startswith("_"):
            raise ValueError(
                f"caption name modifier {self.name_modifier!r}: use '_' + [A-Za-z0-9_-]"
            )

    @property
    def time_delta_s(self) -> float:
        return self.time_delta_ms / 1000

    @property
    def burn_in(self) -> bool:
        return self.destination is CaptionDestination.BURN_IN


def language_name(code: str) -> str:
    return _LANGUAGE_NAMES.get(code.lower(), code.upper())


def distinct_modifiers(tracks: Sequence[CaptionTrack]) -> tuple[CaptionTrack, ...]:
    """The tracks with unique name modifiers: a second English track becomes
    ``_captions_eng_2`` (two outputs of one group may not share a name)."""
    seen: set[str] = set()
    result = []
    for track in tracks:
        modifier, n = track.name_modifier, 1
        while modifier in seen:
            n += 1
            modifier = f"{track.name_modifier}_{n}"
        seen.add(modifier)
        result.append(
            track if modifier == track.name_modifier else replace(track, name_modifier=modifier)
        )
    return tuple(result)


def check_tracks(tracks: Sequence[CaptionTrack]) -> None:
    """At most one burnt-in track (a picture holds one set of captions), unique modifiers.

    Raises:
        ValueError: naming the problem.
    """
    if sum(t.burn_in for t in tracks) > 1:
        raise ValueError("at most one caption track can be burnt in")
    modifiers = [t.name_modifier for t in tracks if not t.burn_in]
    if len(set(modifiers)) != len(modifiers):
        raise ValueError(f"caption name modifiers must be unique: {modifiers}")
