"""What the readers of a job's output groups share (see :mod:`.parse` for the job around
them): the job's state they need, a group's settings object, S3 locations, remixes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vod_testbed.backends.jobmodel.model import CaptionSelector
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported
from vod_testbed.backends.mediaconvert.parse_codecs import Warn


@dataclass(frozen=True)
class GroupContext:
    """The job being read, as a group reader sees it: where a destination resolves to,
    the files already claimed, the inputs' audio and caption selectors, the warnings."""

    destination: Callable[[Mapping[str, Any], str], str]
    claim: Callable[[str, str], None]
    selectors: tuple[str, ...]
    captions: tuple[CaptionSelector, ...]
    warn: Warn


def is_location(uri: str) -> bool:
    # As on AWS, inputs and destinations are S3 objects: never paths on the emulator's host.
    return uri.startswith("s3://") and len(uri) > len("s3://")


def group_settings(
    group: Mapping[str, Any], path: str, key: str, shape: str
) -> tuple[Mapping[str, Any], str]:
    """A group's ``outputGroupSettings.<key>`` (required, covered) and its pointer."""
    settings = group["outputGroupSettings"].get(key)
    if settings is None:
        raise SettingsError(f"{path}/outputGroupSettings", f"{key} is a required property")
    pointer = f"{path}/outputGroupSettings/{key}"
    check_supported(settings, shape, pointer)
    return settings, pointer


def check_remix(remix: Mapping[str, Any] | None, path: str) -> None:
    """Refuse a remix (of an audio selector or description) member the table does not list."""
    if not remix:
        return
    check_supported(remix, "RemixSettings", path)
    mapping = remix.get("channelMapping") or {}
    check_supported(mapping, "ChannelMapping", f"{path}/channelMapping")
    for index, row in enumerate(mapping.get("outputChannels") or []):
        where = f"{path}/channelMapping/outputChannels/{index}"
        check_supported(row, "OutputChannelMapping", where)
