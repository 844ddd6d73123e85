"""Which audio of an input an output's audio description takes: MediaConvert's audio
selectors, selector groups and remixing, resolved against the input's real tracks.

Pure: the tracks come from :func:`vod_testbed.media.tracks.read_tracks`. What AWS documents
and this module follows (service model, ``AudioSelector``, ``AudioSelectorGroup``,
``AudioDescription.AudioSourceName``, ``RemixSettings``):

- an output names a selector, or a selector group, by ``AudioSourceName``; none names
  "Audio Selector 1";
- a selector picks tracks by number (``TRACK``, the default; several tracks are combined,
  channel after channel), by transport-stream PID (``PID``) or by language
  (``LANGUAGE_CODE``); a selector that lists nothing takes the first track;
  ``ExternalAudioFileInput`` takes the tracks of another file instead of the input's;
- if the named selector is not in this input, the input's ``DEFAULT`` selector stands in;
  with none, the output is silent for this input;
- a group combines its selectors as one source;
- ``RemixSettings`` maps input channels onto output channels with gains in dB, -60 mute.

Where AWS is silent (inferred, in emulator/COVERAGE.md): a track number, PID or language
the input does not have ends the job in ERROR 1021 (AWS's own VOD solution reports "Audio
track [1] not found in input container"); a language selector with several matching tracks
takes the first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vod_testbed.common import errors
from vod_testbed.media.tracks import AudioTrack

DEFAULT_SOURCE_NAME = "Audio Selector 1"
MUTE_DB = -60


class AudioSelectionError(ValueError):
    """An audio selection the input cannot satisfy; ``str()`` is the job's sentence."""

    code = errors.AUDIO_ERROR


@dataclass(frozen=True)
class SelectedTrack:
    """One track of one file: ``source`` is the job input's index (``None``: the selector's
    external file)."""

    source: int | None
    stream_index: int
    channels: int


@dataclass(frozen=True)
class Remix:
    """``gains[out][in]``: the linear gain of input channel ``in`` in output channel ``out``."""

    gains: tuple[tuple[float, ...], ...]

    @property
    def channels_out(self) -> int:
        return len(self.gains)

    @classmethod
    def from_settings(cls, remix: Mapping[str, Any]) -> Remix:
        """``RemixSettings`` (wire form): ``channelMapping.outputChannels[].inputChannels``
        (whole dB) or ``inputChannelsFineTune`` (fractional dB); -60 dB is silence."""
        rows = []
        for channel in remix.get("channelMapping", {}).get("outputChannels", []):
            levels = channel.get("inputChannelsFineTune") or channel.get("inputChannels") or []
            rows.append(tuple(0.0 if db <= MUTE_DB else 10 ** (db / 20) for db in levels))
        return cls(tuple(rows))


@dataclass(frozen=True)
class AudioSource:
    """What one output's audio is made of for one input: tracks combined channel after
    channel, then remixed, then delayed; no tracks means silence."""

    tracks: tuple[SelectedTrack, ...]
    external_uri: str | None = None
    offset_ms: int = 0
    remix: Remix | None = None

    @property
    def silent(self) -> bool:
        return not self.tracks

    @property
    def channels(self) -> int:
        if self.remix is not None:
            return self.remix.channels_out
        return sum(t.channels for t in self.tracks)


def _selected(
    name: str, selector: Mapping[str, Any], tracks: Sequence[AudioTrack], source: int | None
) -> tuple[SelectedTrack, ...]:
    kind = selector.get("selectorType", "TRACK")
    if not tracks:
        raise AudioSelectionError(
            f"Audio Error: {name} selects audio from an input with no audio track."
        )
    chosen: list[AudioTrack] = []
    if kind == "PID":
        for pid in selector.get("pids") or []:
            match = next((t for t in tracks if t.pid == pid), None)
            if match is None:
                raise AudioSelectionError(
                    f"Invalid audio PID specified for {name}: PID [{pid}] not found in input "
                    "container."
                )
            chosen.append(match)
    elif kind == "LANGUAGE_CODE":
        code = (selector.get("languageCode") or selector.get("customLanguageCode") or "").upper()
        match = next((t for t in tracks if t.language == code), None)
        if match is None:
            present = ", ".join(sorted({t.language or "UND" for t in tracks}))
            raise AudioSelectionError(
                f"Invalid audio language specified for {name}: no audio track in language "
                f"[{code}] in input container (languages found: {present})."
            )
        chosen.append(match)
    elif kind in ("TRACK", "STREAM"):
        numbers = selector.get("tracks") or selector.get("streams") or []
        for number in numbers:
            if not 1 <= number <= len(tracks):
                raise AudioSelectionError(
                    f"Invalid audio track specified for {name}. Audio track [{number}] not "
                    "found in input container."
                )
            chosen.append(tracks[number - 1])
    else:
        raise AudioSelectionError(f"{name}: selector type {kind} is not supported.")
    if not chosen:
        chosen.append(tracks[0])
    return tuple(SelectedTrack(source, t.stream_index, t.channels) for t in chosen)


def resolve_audio_source(
    source_name: str | None,
    input_settings: Mapping[str, Any],
    input_index: int,
    tracks: Sequence[AudioTrack],
    external_tracks: Mapping[str, Sequence[AudioTrack]] | None = None,
) -> AudioSource:
    """What ``AudioSourceName`` takes from one input (wire-form ``Input`` settings).

    Args:
        external_tracks: the tracks of each ``externalAudioFileInput`` URI of the input.

    Raises:
        AudioSelectionError: the selection names tracks the input does not have.
    """
    name = source_name or DEFAULT_SOURCE_NAME
    selectors: Mapping[str, Any] = input_settings.get("audioSelectors") or {}
    groups: Mapping[str, Any] = input_settings.get("audioSelectorGroups") or {}
    if name in groups:
        names = list(groups[name].get("audioSelectorNames") or [])
    elif name in selectors:
        names = [name]
    else:
        fallback = [n for n, s in selectors.items() if s.get("defaultSelection") == "DEFAULT"]
        if not fallback:
            return AudioSource(tracks=())
        names = fallback[:1]
    picked: list[SelectedTrack] = []
    external: str | None = None
    offset = 0
    remix: Remix | None = None
    for selector_name in names:
        selector = selectors.get(selector_name)
        if selector is None:
            raise AudioSelectionError(
                f"Audio selector group {name} names {selector_name}, which this input does not "
                "have."
            )
        uri = selector.get("externalAudioFileInput")
        if uri:
            external = uri
            picked += _selected(selector_name, selector, (external_tracks or {}).get(uri, ()), None)
        else:
            picked += _selected(selector_name, selector, tracks, input_index)
        offset = offset or int(selector.get("offset", 0))
        if selector.get("remixSettings") and len(names) == 1:
            remix = Remix.from_settings(selector["remixSettings"])
    return AudioSource(tuple(picked), external_uri=external, offset_ms=offset, remix=remix)


def check_selector_settings(input_settings: Mapping[str, Any], path: str) -> list[str]:
    """What is refused before any input is read (``pointer: problem`` strings): a group
    naming a selector the input does not define, two external files in one group, a remix
    whose rows do not all have ``channelsIn`` levels."""
    problems = []
    selectors = input_settings.get("audioSelectors") or {}
    for group_name, group in (input_settings.get("audioSelectorGroups") or {}).items():
        for member in group.get("audioSelectorNames") or []:
            if member not in selectors:
                problems.append(
                    f"{path}/audioSelectorGroups/{group_name}/audioSelectorNames: "
                    f"{member!r} is not an audio selector of this input"
                )
    for name, selector in selectors.items():
        remix = selector.get("remixSettings")
        if remix:
            problems += check_remix(remix, f"{path}/audioSelectors/{name}/remixSettings")
    return problems


def check_remix(remix: Mapping[str, Any], path: str) -> list[str]:
    """A remix's matrix must be ``channelsOut`` rows of ``channelsIn`` levels each."""
    rows = remix.get("channelMapping", {}).get("outputChannels", [])
    problems = []
    if not rows:
        return [f"{path}/channelMapping: outputChannels is a required property"]
    if "channelsOut" in remix and remix["channelsOut"] != len(rows):
        problems.append(
            f"{path}/channelsOut: {remix['channelsOut']} does not match the "
            f"{len(rows)} outputChannels of channelMapping"
        )
    for index, row in enumerate(rows):
        levels = row.get("inputChannelsFineTune") or row.get("inputChannels") or []
        if "inputChannels" in row and "inputChannelsFineTune" in row:
            problems.append(
                f"{path}/channelMapping/outputChannels/{index}: use inputChannels or "
                "inputChannelsFineTune, not both"
            )
        if "channelsIn" in remix and len(levels) != remix["channelsIn"]:
            problems.append(
                f"{path}/channelMapping/outputChannels/{index}: {len(levels)} levels for "
                f"channelsIn {remix['channelsIn']}"
            )
    return problems
