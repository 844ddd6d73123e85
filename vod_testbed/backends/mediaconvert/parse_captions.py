"""Caption settings -> the job model: sidecar caption selectors (``FileSourceSettings``) and
CEA-608 captions embedded in the input, and caption descriptions (a WebVTT output of an HLS
group, burn-in on a video output, or a sidecar SRT or WebVTT file of a file group); see
docs/captions.md. What the emulator cannot do (708 services, other 608 channels, other
source and destination types) is refused by name, with its JSON pointer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vod_testbed.backends.jobmodel.model import (
    CaptionDescription,
    CaptionSelector,
    M3u8,
    Output,
    Raw,
)
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported

# FileSourceSettings.sourceFile: the formats the emulator reads (media/captions.py).
SIDECAR_TYPES = ("SRT", "WEBVTT", "SCC")
DESTINATIONS = ("WEBVTT", "BURN_IN", "SRT")
# The sidecar files a file group writes: "SRT is a sidecar format ... Set up sidecar captions
# in the same output group, but different output from your video" (SrtDestinationSettings,
# service model); WebVTT likewise (user guide, "IMSC, TTML, and WebVTT (sidecar) output
# captions").
FILE_SIDECARS = ("SRT", "WEBVTT")
_TIME_DELTA_MS = {"SECONDS": 1000, "MILLISECONDS": 1}


def caption_selectors(source: Mapping[str, Any], path: str) -> tuple[CaptionSelector, ...]:
    """The input's ``captionSelectors``: sidecar files, or the input's embedded captions."""
    selectors = source.get("captionSelectors") or {}
    return tuple(
        _selector(name, selector, f"{path}/captionSelectors/{name}")
        for name, selector in selectors.items()
    )


def _selector(name: str, selector: Mapping[str, Any], path: str) -> CaptionSelector:
    check_supported(selector, "CaptionSelector", path)
    settings = selector.get("sourceSettings") or {}
    spath = f"{path}/sourceSettings"
    check_supported(settings, "CaptionSourceSettings", spath)
    kind = settings.get("sourceType", "EMBEDDED")
    if kind == "EMBEDDED":
        return _embedded(name, selector, settings, spath)
    if kind not in SIDECAR_TYPES:
        raise SettingsError(
            f"{spath}/sourceType",
            f"{kind} caption sources are not supported by the emulator "
            f"(sidecar {', '.join(SIDECAR_TYPES)} files are)",
        )
    files = settings.get("fileSourceSettings")
    if not files or not files.get("sourceFile"):
        raise SettingsError(spath, "fileSourceSettings.sourceFile is required for sidecar captions")
    fpath = f"{spath}/fileSourceSettings"
    check_supported(files, "FileSourceSettings", fpath)
    uri = str(files["sourceFile"])
    if not uri.startswith("s3://") or len(uri) <= len("s3://"):
        raise SettingsError(f"{fpath}/sourceFile", "only s3:// caption files are supported")
    # TimeDelta: "the default value is SECONDS" (FileSourceTimeDeltaUnits, service model).
    units = files.get("timeDeltaUnits", "SECONDS")
    language = selector.get("languageCode")
    return CaptionSelector(
        name=name,
        source_type=kind,
        file=uri,
        time_delta_ms=int(files.get("timeDelta", 0)) * _TIME_DELTA_MS[units],
        language=language.lower() if language else None,
    )


def _embedded(
    name: str, selector: Mapping[str, Any], settings: Mapping[str, Any], path: str
) -> CaptionSelector:
    """CEA-608 captions embedded in the input's H.264 video (ATSC A/53 user data), channel
    CC1: what ffmpeg's closed-caption decoder reads (docs/captions.md, "Embedded
    captions")."""
    embedded = settings.get("embeddedSourceSettings") or {}
    epath = f"{path}/embeddedSourceSettings"
    check_supported(embedded, "EmbeddedSourceSettings", epath)
    language = selector.get("languageCode")
    return CaptionSelector(
        name=name, source_type="EMBEDDED", language=language.lower() if language else None
    )


def caption_descriptions(
    output: Mapping[str, Any], path: str, selectors: tuple[CaptionSelector, ...]
) -> tuple[CaptionDescription, ...]:
    """An output's ``captionDescriptions``, each naming one of the input's selectors."""
    names = {s.name for s in selectors}
    result = []
    for index, description in enumerate(output.get("captionDescriptions") or []):
        dpath = f"{path}/captionDescriptions/{index}"
        check_supported(description, "CaptionDescription", dpath)
        selector = description.get("captionSelectorName")
        if selector not in names:
            raise SettingsError(
                f"{dpath}/captionSelectorName",
                f"{selector!r} names no caption selector of the input",
            )
        destination = description.get("destinationSettings") or {}
        tpath = f"{dpath}/destinationSettings"
        check_supported(destination, "CaptionDestinationSettings", tpath)
        kind = destination.get("destinationType")
        if kind not in DESTINATIONS:
            raise SettingsError(
                f"{tpath}/destinationType",
                f"{kind} captions are not supported by the emulator (WEBVTT in HLS groups, "
                "SRT and WEBVTT sidecar files in file groups, and BURN_IN are)",
            )
        for member, shape in (
            ("webvttDestinationSettings", "WebvttDestinationSettings"),
            ("burninDestinationSettings", "BurninDestinationSettings"),
            ("srtDestinationSettings", "SrtDestinationSettings"),
        ):
            check_supported(destination.get(member) or {}, shape, f"{tpath}/{member}")
        language = description.get("languageCode")
        result.append(
            CaptionDescription(
                selector=str(selector),
                destination=str(kind),
                language=language.lower() if language else None,
                name=description.get("languageDescription"),
            )
        )
    return tuple(result)


def caption_output(
    output: Mapping[str, Any], path: str, modifier: str, selectors: tuple[CaptionSelector, ...]
) -> Output:
    """A captions-only output of an HLS group: one WebVTT track, no video or audio."""
    for member in ("videoDescription", "audioDescriptions"):
        if output.get(member):
            raise SettingsError(
                f"{path}/{member}",
                "an HLS caption output holds its captions alone (no video or audio)",
            )
    descriptions = caption_descriptions(output, path, selectors)
    if len(descriptions) != 1 or descriptions[0].destination != "WEBVTT":
        raise SettingsError(
            f"{path}/captionDescriptions",
            "an HLS caption output holds exactly one WEBVTT caption description",
        )
    return Output(M3u8(), modifier, captions=descriptions)


def sidecar_output(
    output: Mapping[str, Any], path: str, modifier: str, selectors: tuple[CaptionSelector, ...]
) -> Output:
    """A captions-only output of a file group: one sidecar file, ``<base><modifier>.srt``
    (or ``.vtt``; ``Extension`` when given), without a container. The user guide puts
    "each captions track in its own output", so an output holds one description."""
    container = (output.get("containerSettings") or {}).get("container", "RAW")
    if container != "RAW":
        raise SettingsError(
            f"{path}/containerSettings/container",
            f"a sidecar caption output has no container (RAW), not {container}",
        )
    if output.get("audioDescriptions"):
        raise SettingsError(
            f"{path}/audioDescriptions",
            "a sidecar caption output holds its captions alone (no video or audio)",
        )
    if "outputSettings" in output:
        raise SettingsError(f"{path}/outputSettings", "does not apply to file outputs")
    descriptions = caption_descriptions(output, path, selectors)
    if len(descriptions) != 1:
        raise SettingsError(
            f"{path}/captionDescriptions",
            "a sidecar caption output holds exactly one caption description (put each "
            "captions track in its own output)",
        )
    if descriptions[0].destination not in FILE_SIDECARS:
        raise SettingsError(
            f"{path}/captionDescriptions/0/destinationSettings/destinationType",
            f"{descriptions[0].destination} in a file group is not supported by the emulator "
            f"(sidecar {' and '.join(FILE_SIDECARS)} files are)",
        )
    extension = output.get("extension")
    if extension is not None and ("/" in extension or not extension.strip(".")):
        raise SettingsError(f"{path}/extension", f"{extension!r} is not a file extension")
    return Output(Raw(), modifier, extension=extension, captions=descriptions)


def is_caption_output(output: Mapping[str, Any]) -> bool:
    """A captions-only output (no video description), as MediaConvert sets sidecar
    captions up: "in the same output group, but a different output from your video"."""
    return bool(output.get("captionDescriptions")) and not output.get("videoDescription")
