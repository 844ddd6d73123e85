"""``ImageBasedTrickPlay`` and ``ImageBasedTrickPlaySettings`` of a group's settings, read
into :class:`~vod_testbed.backends.trickplay.TrickPlay` and written back.

HLS groups use it today; a CMAF or DASH ISO group reads the same two members with the same
values (``CmafImageBasedTrickPlaySettings`` has the same members), so its parser calls
:func:`read_trick_play` with its own shape names. The camelCase wire form is read, the
PascalCase boto3 form written, as elsewhere in this package.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported
from vod_testbed.backends.trickplay import TrickPlay, TrickPlayMode


def read_trick_play(
    settings: Mapping[str, Any], path: str, advanced_shape: str
) -> TrickPlay | None:
    """The trick play a group's settings (wire form) ask for, None for ``NONE`` or absent.
    ``advanced_shape`` names the group's ``ImageBasedTrickPlaySettings`` shape.

    Raises:
        SettingsError: a value the emulator does not write, named by its pointer.
    """
    mode = settings.get("imageBasedTrickPlay", "NONE")
    advanced = settings.get("imageBasedTrickPlaySettings")
    apath = f"{path}/imageBasedTrickPlaySettings"
    if advanced is not None:
        check_supported(advanced, advanced_shape, apath)
    if mode == "NONE":
        return None
    if mode != "ADVANCED":
        # THUMBNAIL and THUMBNAIL_AND_FULLFRAME are presets; the settings apply to ADVANCED.
        return TrickPlay(TrickPlayMode(mode))
    advanced = advanced or {}
    cadence = advanced.get("intervalCadence", "FOLLOW_IFRAME")
    interval: Fraction | None = None
    if cadence == "FOLLOW_CUSTOM":
        if "thumbnailInterval" not in advanced:
            raise SettingsError(
                f"{apath}/thumbnailInterval", "is required with intervalCadence FOLLOW_CUSTOM"
            )
        interval = Fraction(str(advanced["thumbnailInterval"]))
    try:
        return TrickPlay(
            TrickPlayMode.ADVANCED,
            tile_columns=int(advanced.get("tileWidth", TrickPlay.tile_columns)),
            tile_rows=int(advanced.get("tileHeight", TrickPlay.tile_rows)),
            thumbnail_width=int(advanced.get("thumbnailWidth", TrickPlay.thumbnail_width)),
            thumbnail_height=advanced.get("thumbnailHeight"),
            interval_s=interval,
        )
    except ValueError as exc:
        raise SettingsError(apath, str(exc)) from exc


def render_trick_play(spec: TrickPlay | None) -> dict[str, Any]:
    """The group settings' members (boto3's PascalCase) for ``spec``; none for no trick
    play."""
    if spec is None:
        return {}
    if spec.mode is not TrickPlayMode.ADVANCED:
        return {"ImageBasedTrickPlay": spec.mode.value}
    advanced: dict[str, Any] = {
        "TileWidth": spec.tile_columns,
        "TileHeight": spec.tile_rows,
        "ThumbnailWidth": spec.thumbnail_width,
        "IntervalCadence": "FOLLOW_IFRAME" if spec.interval_s is None else "FOLLOW_CUSTOM",
    }
    if spec.thumbnail_height is not None:
        advanced["ThumbnailHeight"] = spec.thumbnail_height
    if spec.interval_s is not None:
        advanced["ThumbnailInterval"] = float(spec.interval_s)
    return {"ImageBasedTrickPlay": "ADVANCED", "ImageBasedTrickPlaySettings": advanced}
