"""Caption selectors and descriptions (docs/captions.md)."""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage.base import (
    Coverage,
    approximated,
    honoured,
    ignored,
)

ROWS: dict[str, dict[str, Coverage]] = {
    "CaptionSelector": {
        "languageCode": honoured(note="the track's LANGUAGE when its description names none"),
        "sourceSettings": honoured(),
    },
    "CaptionSourceSettings": {
        "sourceType": honoured(
            "SRT",
            "WEBVTT",
            "SCC",
            "EMBEDDED",
            note="sidecar files, or CEA-608 in the input's H.264 video (A/53 user data); "
            "EMBEDDED is the default (CaptionSourceSettings, service model)",
        ),
        "fileSourceSettings": honoured(),
        "embeddedSourceSettings": honoured(),
    },
    "EmbeddedSourceSettings": {
        "source608ChannelNumber": honoured(1, note="CC1, what ffmpeg's caption decoder reads"),
        "source608TrackNumber": honoured(1, note="the input's one video track"),
        "convert608To708": ignored(note="WebVTT and burn-in carry no 608/708 distinction"),
        "terminateCaptions": ignored(note="one input per captioned job: its end ends them"),
    },
    "FileSourceSettings": {
        "sourceFile": honoured(note="s3:// URI; UTF-8 text (SCC: ASCII), checked as captions"),
        "timeDelta": honoured(),
        "timeDeltaUnits": honoured(note="default SECONDS"),
        "convert608To708": ignored(note="WebVTT and burn-in carry no 608/708 distinction"),
        "convertPaintToPop": ignored(),
        "framerate": approximated(note="SCC timecodes are read at 29.97 fps"),
    },
    "CaptionDescription": {
        "captionSelectorName": honoured(),
        "destinationSettings": honoured(),
        "languageCode": honoured(note="the manifest's LANGUAGE, lower case"),
        "languageDescription": honoured(note="the manifest's NAME"),
    },
    "CaptionDestinationSettings": {
        "destinationType": honoured(
            "WEBVTT",
            "BURN_IN",
            "SRT",
            note="SRT and WEBVTT in a file group: a sidecar file <base><NameModifier>.srt "
            "(.vtt), one per captions-only output (SrtDestinationSettings, service model: "
            "'Set up sidecar captions in the same output group, but different output from "
            "your video'; user guide, captions outputs: 'Put each captions track in its own "
            "output')",
        ),
        "webvttDestinationSettings": honoured(),
        "srtDestinationSettings": honoured(),
        "burninDestinationSettings": approximated(
            note="drawn by libass in its default style: white text, black outline, centred "
            "at the bottom"
        ),
    },
    "WebvttDestinationSettings": {
        "stylePassthrough": approximated(note="cues are written as plain text with b/i/u"),
        "accessibility": ignored("DISABLED"),
    },
    "SrtDestinationSettings": {
        "stylePassthrough": approximated(note="cues are written as plain text with b/i/u"),
    },
    "BurninDestinationSettings": {
        member: approximated(note="libass's default style")
        for member in (
            "alignment",
            "applyFontColor",
            "backgroundColor",
            "backgroundOpacity",
            "fallbackFont",
            "fontColor",
            "fontOpacity",
            "fontResolution",
            "fontScript",
            "fontSize",
            "hexFontColor",
            "outlineColor",
            "outlineSize",
            "shadowColor",
            "shadowOpacity",
            "shadowXOffset",
            "shadowYOffset",
            "stylePassthrough",
            "teletextSpacing",
            "xPosition",
            "yPosition",
        )
    },
}
