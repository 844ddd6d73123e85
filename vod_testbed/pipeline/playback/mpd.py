"""An MPD made playable from a private bucket: every segment a signed URL.

A ``SegmentTemplate`` names many objects with one pattern, and a presigned URL is one
object's, so each representation's template is expanded into a ``SegmentList`` (the same
timescale, timeline or duration, and start number) whose ``Initialization`` and every
``SegmentURL`` carry a signed URL; explicit segment lists are signed in place and a
``SegmentBase`` representation's one file is its signed ``BaseURL``. ``BaseURL`` folders
are folded into the keys. The checks of :func:`manifests.check_mpd` come first.
"""

from __future__ import annotations

import copy
import math
import posixpath
import re
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from defusedxml.ElementTree import fromstring

MPD_NAMESPACE = "urn:mpeg:dash:schema:mpd:2011"
_N = f"{{{MPD_NAMESPACE}}}"
# A representation of more segments than this is refused rather than expanded.
MAX_SEGMENTS = 100_000
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$")
_IDENTIFIER = re.compile(r"\$(RepresentationID|Number|Time|Bandwidth)(%0(\d+)d)?\$")

for _prefix, _uri in (
    ("", MPD_NAMESPACE),
    ("xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ("xlink", "http://www.w3.org/1999/xlink"),
    ("cenc", "urn:mpeg:cenc:2013"),
):
    register_namespace(_prefix, _uri)


class MpdError(ValueError):
    """An MPD whose segments cannot be listed; the message says why."""


def seconds(value: str | None) -> float | None:
    """An ISO 8601 duration of an MPD (``PT1H2M3.5S``) in seconds."""
    if not value:
        return None
    match = _DURATION.match(value.strip())
    if match is None:
        raise MpdError(f"{value!r} is not an ISO 8601 duration")
    days, hours, minutes, secs = match.groups()
    return (int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60) + float(
        secs or 0
    )


def _fill(template: str, representation: Element, number: int, time: int) -> str:
    values = {
        "RepresentationID": representation.get("id", ""),
        "Number": number,
        "Time": time,
        "Bandwidth": representation.get("bandwidth", ""),
    }

    def one(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        if match.group(3) and isinstance(value, int):
            return f"{value:0{int(match.group(3))}d}"
        return str(value)

    return _IDENTIFIER.sub(one, template.replace("$$", "\0")).replace("\0", "$")


def _segments(template: Element, period_s: float | None) -> Iterator[tuple[int, int]]:
    """(number, time) of each segment of a template, in order."""
    number = int(template.get("startNumber", "1"))
    timescale = int(template.get("timescale", "1"))
    timeline = template.find(f"{_N}SegmentTimeline")
    if timeline is not None:
        time = 0
        entries = timeline.findall(f"{_N}S")
        for index, entry in enumerate(entries):
            time = int(entry.get("t", time))
            duration = int(entry.get("d", "0"))
            if duration <= 0:
                raise MpdError("a SegmentTimeline entry has no positive duration")
            repeat = int(entry.get("r", "0"))
            if repeat < 0:  # until the next entry's start or the period's end
                end = int(entries[index + 1].get("t", "0")) if index + 1 < len(entries) else None
                if end is None:
                    if period_s is None:
                        raise MpdError("an open-ended SegmentTimeline needs a period length")
                    end = round(period_s * timescale)
                repeat = max(0, math.ceil((end - time) / duration) - 1)
            for _ in range(repeat + 1):
                yield number, time
                number, time = number + 1, time + duration
        return
    duration = int(template.get("duration", "0"))
    if duration <= 0 or period_s is None:
        raise MpdError("a SegmentTemplate needs a SegmentTimeline, or a duration and a length")
    offset = int(template.get("presentationTimeOffset", "0"))
    for index in range(math.ceil(period_s * timescale / duration)):
        yield number + index, offset + index * duration


def _base(folder: str, *elements: Element) -> str:
    """The folder the ``BaseURL`` children of ``elements`` (outermost first) lead to."""
    for element in elements:
        base = element.find(f"{_N}BaseURL")
        url = (base.text or "").strip() if base is not None else ""
        if url:
            folder = posixpath.normpath(posixpath.join(folder, url))
            if not url.endswith("/"):
                folder = posixpath.dirname(folder)
    return folder


def _drop(parent: Element, name: str) -> Element | None:
    found = parent.find(f"{_N}{name}")
    if found is not None:
        parent.remove(found)
    return found


def sign_mpd(text: str, folder: str, sign_key: Callable[[str], str]) -> str:
    """The MPD ``text`` (read from ``folder``) with every segment a signed URL.

    Raises:
        MpdError: a representation whose segments cannot be listed, or too many of them.
    """
    root = fromstring(text, forbid_dtd=True)
    total = seconds(root.get("mediaPresentationDuration"))

    def sign(where: str, name: str) -> str:
        return sign_key(posixpath.normpath(posixpath.join(where, name.split("?", 1)[0])))

    for period in root.iterfind(f"{_N}Period"):
        period_s = seconds(period.get("duration")) or total
        for adaptation in period.iterfind(f"{_N}AdaptationSet"):
            shared = adaptation.find(f"{_N}SegmentTemplate")
            if shared is None:
                shared = period.find(f"{_N}SegmentTemplate")
            for representation in adaptation.iterfind(f"{_N}Representation"):
                where = _base(folder, root, period, adaptation, representation)
                own = representation.find(f"{_N}SegmentTemplate")
                template = own if own is not None else shared
                if template is not None:
                    _expand(representation, template, where, period_s, sign)
                elif representation.find(f"{_N}SegmentList") is not None or (
                    adaptation.find(f"{_N}SegmentList") is not None
                ):
                    listed = representation.find(f"{_N}SegmentList")
                    if listed is None:
                        listed = adaptation.find(f"{_N}SegmentList")
                    assert listed is not None
                    for item in listed.iter():
                        for attribute in ("media", "sourceURL", "index"):
                            if item.get(attribute):
                                item.set(attribute, sign(where, item.get(attribute, "")))
                else:  # SegmentBase: one file, the representation's BaseURL
                    base = representation.find(f"{_N}BaseURL")
                    url = (base.text or "").strip() if base is not None else ""
                    if not url:
                        name = representation.get("id")
                        raise MpdError(f"representation {name!r} names no media")
                    file = posixpath.basename(url)
                    _drop(representation, "BaseURL")
                    representation.insert(0, _element("BaseURL", sign(where, file)))
                if template is not None:
                    _drop(representation, "BaseURL")
            _drop(adaptation, "SegmentTemplate")
            _drop(adaptation, "BaseURL")
        _drop(period, "SegmentTemplate")
        _drop(period, "BaseURL")
    _drop(root, "BaseURL")
    return tostring(root, encoding="unicode", xml_declaration=True)


def _element(name: str, text: str) -> Element:
    element = Element(f"{_N}{name}")
    element.text = text
    return element


def _expand(
    representation: Element,
    template: Element,
    where: str,
    period_s: float | None,
    sign: Callable[[str, str], str],
) -> None:
    listed = Element(f"{_N}SegmentList")
    for attribute in ("timescale", "startNumber", "presentationTimeOffset", "duration"):
        if template.get(attribute):
            listed.set(attribute, template.get(attribute, ""))
    timeline = template.find(f"{_N}SegmentTimeline")
    if template.get("initialization"):
        init = _fill(template.get("initialization", ""), representation, 0, 0)
        SubElement(listed, f"{_N}Initialization", sourceURL=sign(where, init))
    if timeline is not None:
        listed.append(copy.deepcopy(timeline))
    media = template.get("media", "")
    if not media:
        raise MpdError("a SegmentTemplate names no media")
    for count, (number, time) in enumerate(_segments(template, period_s)):
        if count >= MAX_SEGMENTS:
            raise MpdError(f"a representation lists more than {MAX_SEGMENTS} segments")
        SubElement(
            listed,
            f"{_N}SegmentURL",
            media=sign(where, _fill(media, representation, number, time)),
        )
    own = representation.find(f"{_N}SegmentTemplate")
    if own is not None:
        representation.remove(own)
    representation.append(listed)
