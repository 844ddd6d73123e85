"""Reading fragmented MP4 (ISO/IEC 14496-12) boxes: init segments and media fragments.

CMAF and DASH segments are judged by their boxes, not only by a demuxer: an init segment is
``ftyp`` + ``moov`` (its track's timescale in ``mdhd``, its kind in ``hdlr``, its sample
entry in ``stsd``, the defaults in ``trex``), a media segment is ``moof`` + ``mdat`` pairs
whose durations are the ``trun`` sample durations (or the ``tfhd``/``trex`` defaults).

This is a small reader rather than a library: the Python box parsers on PyPI either pin a
``construct`` release from 2016 or cover far more than these few fields. Every read is
bounds-checked; a broken or hostile file raises :class:`Fmp4Error`, never anything else.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# tfhd/trex sample flags: sample_is_non_sync_sample (ISO/IEC 14496-12 8.8.3.1).
NON_SYNC = 0x0001_0000
_CONTAINERS = {"moov", "trak", "mdia", "minf", "stbl", "mvex", "moof", "traf"}


class Fmp4Error(ValueError):
    """The bytes are not the fragmented MP4 they should be."""


@dataclass(frozen=True)
class Box:
    type: str
    offset: int  # of the box's header in the file
    size: int  # header included
    header: int

    @property
    def body(self) -> int:
        return self.offset + self.header

    @property
    def end(self) -> int:
        return self.offset + self.size


def boxes(data: bytes, start: int = 0, end: int | None = None) -> list[Box]:
    """The boxes laid side by side in ``data[start:end]``."""
    end = len(data) if end is None else end
    found, at = [], start
    while at < end:
        if end - at < 8:
            raise Fmp4Error(f"{end - at} stray bytes at offset {at}")
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            if end - at < 16:
                raise Fmp4Error(f"truncated large box at offset {at}")
            (size,) = struct.unpack_from(">Q", data, at + 8)
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise Fmp4Error(f"box at offset {at} claims {size} bytes, {end - at} remain")
        found.append(Box(kind.decode("latin-1"), at, size, header))
        at += size
    return found


def _child(data: bytes, parent: Box, kind: str) -> Box | None:
    return next((b for b in boxes(data, parent.body, parent.end) if b.type == kind), None)


def _path(data: bytes, top: list[Box], *kinds: str) -> Box:
    box = next((b for b in top if b.type == kinds[0]), None)
    for kind in kinds[1:]:
        if box is None:
            break
        box = _child(data, box, kind)
    if box is None:
        raise Fmp4Error(f"no {'/'.join(kinds)} box")
    return box


def _u32(data: bytes, at: int, box: Box) -> int:
    if at + 4 > box.end:
        raise Fmp4Error(f"{box.type} box is too short")
    value: int = struct.unpack_from(">I", data, at)[0]
    return value


@dataclass(frozen=True)
class Init:
    """What an init segment says of its (one) track."""

    brands: tuple[str, ...]  # major brand first, then the compatible ones
    handler: str  # "vide", "soun"
    sample_entry: str  # "avc1", "mp4a" ...
    timescale: int
    default_duration: int  # trex default_sample_duration
    default_flags: int
    codecs: str  # RFC 6381: "avc1.64001f", "mp4a.40.2"
    width: int = 0
    height: int = 0
    channels: int = 0
    sample_rate: int = 0


def read_init(data: bytes) -> Init:
    """An init segment: ``ftyp`` then ``moov`` with one track, and no media."""
    top = boxes(data)
    kinds = [b.type for b in top]
    if kinds[:2] != ["ftyp", "moov"] or "moof" in kinds or "mdat" in kinds:
        raise Fmp4Error(f"an init segment is ftyp + moov, not {' + '.join(kinds) or 'nothing'}")
    ftyp = top[0]
    raw = data[ftyp.body : ftyp.end]
    brands = tuple(raw[i : i + 4].decode("latin-1") for i in range(0, len(raw) - 3, 4) if i != 4)
    mdhd = _path(data, top, "moov", "trak", "mdia", "mdhd")
    version = data[mdhd.body] if mdhd.body < mdhd.end else 0
    timescale = _u32(data, mdhd.body + (20 if version == 1 else 12), mdhd)
    hdlr = _path(data, top, "moov", "trak", "mdia", "hdlr")
    stsd = _path(data, top, "moov", "trak", "mdia", "minf", "stbl", "stsd")
    entries = boxes(data, stsd.body + 8, stsd.end)
    trex = _path(data, top, "moov", "mvex", "trex")
    if not timescale or not entries:
        raise Fmp4Error("the track has no timescale or no sample entry")
    entry = entries[0]
    handler = data[hdlr.body + 8 : hdlr.body + 12].decode("latin-1")
    if entry.body + 28 > entry.end:
        raise Fmp4Error(f"the {entry.type} sample entry is too short")
    facts: dict[str, int | str] = {"codecs": entry.type}
    if handler == "vide":
        width, height = struct.unpack_from(">HH", data, entry.body + 24)
        facts.update(width=width, height=height, codecs=_avc_codecs(data, entry))
    elif handler == "soun":
        channels, _, _, rate = struct.unpack_from(">HHII", data, entry.body + 16)
        facts.update(channels=channels, sample_rate=rate >> 16, codecs=_aac_codecs(data, entry))
    return Init(
        brands=brands,
        handler=handler,
        sample_entry=entry.type,
        timescale=timescale,
        default_duration=_u32(data, trex.body + 12, trex),
        default_flags=_u32(data, trex.body + 20, trex),
        **facts,  # type: ignore[arg-type]
    )


def _avc_codecs(data: bytes, entry: Box) -> str:
    """``avc1.PPCCLL`` from the ``avcC`` box after the 78-byte VisualSampleEntry fields."""
    if entry.type not in ("avc1", "avc3"):
        return entry.type
    avcc = next((b for b in boxes(data, entry.body + 78, entry.end) if b.type == "avcC"), None)
    if avcc is None or avcc.body + 4 > avcc.end:
        raise Fmp4Error(f"the {entry.type} sample entry has no avcC")
    return f"{entry.type}.{data[avcc.body + 1 : avcc.body + 4].hex().upper()}"


def _aac_codecs(data: bytes, entry: Box) -> str:
    """``mp4a.40.<audio object type>`` from the ``esds`` after the 28-byte AudioSampleEntry
    fields: the DecoderConfigDescriptor's object type, then the AudioSpecificConfig's."""
    if entry.type != "mp4a":
        return entry.type
    esds = next((b for b in boxes(data, entry.body + 28, entry.end) if b.type == "esds"), None)
    if esds is None:
        raise Fmp4Error("the mp4a sample entry has no esds")
    raw = data[esds.body + 4 : esds.end]
    config = raw.find(b"\x04")
    specific = raw.find(b"\x05", config + 1) if config != -1 else -1
    if config == -1 or specific == -1:
        raise Fmp4Error("the esds has no decoder configuration")
    object_type = raw[_after_length(raw, config)]
    audio_object_type = raw[_after_length(raw, specific)] >> 3
    return f"mp4a.{object_type:02X}.{audio_object_type}"


def _after_length(raw: bytes, tag_at: int) -> int:
    """Where a descriptor's payload starts: after its tag and its length (7 bits a byte)."""
    at = tag_at + 1
    while at < len(raw) and raw[at] & 0x80:
        at += 1
    if at + 1 >= len(raw):
        raise Fmp4Error("the esds is truncated")
    return at + 1


@dataclass(frozen=True)
class Fragment:
    """One ``moof`` + ``mdat`` pair of a media segment."""

    offset: int
    sequence: int
    decode_time: int  # tfdt, in the track's timescale
    duration: int  # the samples' durations added up
    starts_with_sync: bool
    # Bytes from the moof to the end of the first sample's data: an I-frame's range.
    first_sample_end: int
    end: int
    media_bytes: int  # the mdat's payload: the samples alone, without boxes


def read_fragments(data: bytes, init: Init) -> list[Fragment]:
    """Every fragment of a media segment (``styp``, ``sidx`` and ``prft`` may precede)."""
    top = boxes(data)
    fragments = []
    for index, box in enumerate(top):
        if box.type != "moof":
            continue
        mdat = top[index + 1] if index + 1 < len(top) else None
        if mdat is None or mdat.type != "mdat":
            raise Fmp4Error(f"the moof at offset {box.offset} is not followed by an mdat")
        fragments.append(_fragment(data, box, mdat, init))
    if not fragments:
        raise Fmp4Error("a media segment holds moof + mdat fragments; this one has none")
    return fragments


def _fragment(data: bytes, moof: Box, mdat: Box, init: Init) -> Fragment:
    mfhd = _path(data, [moof], "moof", "mfhd")
    tfhd = _path(data, [moof], "moof", "traf", "tfhd")
    tfdt = _path(data, [moof], "moof", "traf", "tfdt")
    trun = _path(data, [moof], "moof", "traf", "trun")
    flags = _u32(data, tfhd.body, tfhd) & 0xFFFFFF
    at = tfhd.body + 8 + (8 if flags & 0x1 else 0) + (4 if flags & 0x2 else 0)
    duration = init.default_duration
    if flags & 0x8:
        duration, at = _u32(data, at, tfhd), at + 4
    size = _u32(data, at, tfhd) if flags & 0x10 else 0
    at += 4 if flags & 0x10 else 0
    sample_flags = _u32(data, at, tfhd) if flags & 0x20 else init.default_flags
    wide = data[tfdt.body] == 1 if tfdt.body < tfdt.end else False
    if tfdt.body + (12 if wide else 8) > tfdt.end:
        raise Fmp4Error("tfdt box is too short")
    decode_time = struct.unpack_from(">Q" if wide else ">I", data, tfdt.body + 4)[0]
    run_flags = _u32(data, trun.body, trun) & 0xFFFFFF
    count = _u32(data, trun.body + 4, trun)
    at = trun.body + 8 + (4 if run_flags & 0x1 else 0)
    first_flags = None
    if run_flags & 0x4:
        first_flags, at = _u32(data, at, trun), at + 4
    fields = [bit for bit in (0x100, 0x200, 0x400, 0x800) if run_flags & bit]
    if at + 4 * len(fields) * count > trun.end:
        raise Fmp4Error(f"trun claims {count} samples its box cannot hold")
    total, first_size = 0, size
    for number in range(count):
        values = dict(zip(fields, struct.unpack_from(f">{len(fields)}I", data, at), strict=True))
        at += 4 * len(fields)
        total += values.get(0x100, duration)
        if number == 0:
            first_size = values.get(0x200, size)
            first_flags = first_flags if first_flags is not None else values.get(0x400)
    sync_flags = sample_flags if first_flags is None else first_flags
    return Fragment(
        offset=moof.offset,
        sequence=_u32(data, mfhd.body + 4, mfhd),
        decode_time=decode_time,
        duration=total,
        starts_with_sync=not sync_flags & NON_SYNC,
        first_sample_end=min(mdat.body + first_size, mdat.end),
        end=mdat.end,
        media_bytes=mdat.size - mdat.header,
    )
