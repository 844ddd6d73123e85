"""Which audio of an input an output's audio description takes: MediaConvert's audio
selectors, selector groups and remixing, resolved against the input's real tracks.

Pure: the selectors are the model's (:class:`~.model.AudioSelector`), the tracks come
from :func:`vod_testbed.media.tracks.read_tracks`. What AWS documents
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

from vod_testbed.backends.jobmodel.inputs import Remix
from vod_testbed.backends.jobmodel.model import AudioSelector, Input
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


def gains_from_db(rows: Sequence[Sequence[float]]) -> Remix:
    """``RemixSettings`` levels in dB (``outputChannels[].inputChannels``) as linear gains;
    -60 dB is silence."""
    return Remix(
        tuple(tuple(0.0 if db <= MUTE_DB else 10 ** (db / 20) for db in row) for row in rows)
    )


def _selected(
    selector: AudioSelector, tracks: Sequence[AudioTrack], source: int | None
) -> tuple[SelectedTrack, ...]:
    name = selector.name
    if not tracks:
        raise AudioSelectionError(
            f"Audio Error: {name} selects audio from an input with no audio track."
        )
    chosen: list[AudioTrack] = []
    if selector.pids:
        for pid in selector.pids:
            match = next((t for t in tracks if t.pid == pid), None)
            if match is None:
                raise AudioSelectionError(
                    f"Invalid audio PID specified for {name}: PID [{pid}] not found in input "
                    "container."
                )
            chosen.append(match)
    elif selector.language:
        code = selector.language.upper()
        match = next((t for t in tracks if t.language == code), None)
        if match is None:
            present = ", ".join(sorted({t.language or "UND" for t in tracks}))
            raise AudioSelectionError(
                f"Invalid audio language specified for {name}: no audio track in language "
                f"[{code}] in input container (languages found: {present})."
            )
        chosen.append(match)
    else:
        for number in selector.tracks:
            if not 1 <= number <= len(tracks):
                raise AudioSelectionError(
                    f"Invalid audio track specified for {name}. Audio track [{number}] not "
                    "found in input container."
                )
            chosen.append(tracks[number - 1])
    if not chosen:
        chosen.append(tracks[0])
    return tuple(SelectedTrack(source, t.stream_index, t.channels) for t in chosen)


def resolve_audio_source(
    source_name: str | None,
    job_input: Input,
    input_index: int,
    tracks: Sequence[AudioTrack],
    external_tracks: Mapping[str, Sequence[AudioTrack]] | None = None,
) -> AudioSource:
    """What ``AudioSourceName`` takes from one input.

    Args:
        external_tracks: the tracks of each external audio file of the input, by URI.

    Raises:
        AudioSelectionError: the selection names tracks the input does not have.
    """
    name = source_name or DEFAULT_SOURCE_NAME
    selectors = {s.name: s for s in job_input.audio_selectors}
    groups = {g.name: g for g in job_input.audio_selector_groups}
    if name in groups:
        names = list(groups[name].selectors)
    elif name in selectors:
        names = [name]
    else:
        fallback = [s.name for s in job_input.audio_selectors if s.default]
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
        if selector.external_file:
            external = selector.external_file
            found = (external_tracks or {}).get(external, ())
            picked += _selected(selector, found, None)
        else:
            picked += _selected(selector, tracks, input_index)
        offset = offset or selector.offset_ms
        if selector.remix is not None and len(names) == 1:
            remix = selector.remix
    return AudioSource(tuple(picked), external_uri=external, offset_ms=offset, remix=remix)
