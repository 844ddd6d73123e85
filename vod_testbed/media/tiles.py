"""The pixel size of a JPEG, read from its frame header, for checking trick-play tiles.

A tile's size is the grid its image playlist claims (``LAYOUT`` x ``RESOLUTION``), so the
validator reads it from the file itself rather than trusting the playlist. Only the
markers are walked (ITU-T T.81 B.1.1: each segment after SOI is ``FF xx`` and a two-byte
length); nothing is decoded, so a hostile file costs at most one pass over its bytes.
"""

from __future__ import annotations

from pathlib import Path

# Start-of-frame markers (baseline, extended, progressive, lossless; T.81 table B.1): every
# SOFn except DHT (C4), JPG (C8) and DAC (CC), which share the range.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn carry no length


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a JPEG's first frame.

    Raises:
        ValueError: not a JPEG, or no frame header before the data ends.
    """
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG (no SOI marker)")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise ValueError(f"broken marker at byte {i}")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte before a marker
            i += 1
            continue
        if marker in _STANDALONE:
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # EOI or start of scan before any frame header
            break
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2:
            raise ValueError(f"segment length {length} at byte {i}")
        if marker in _SOF:
            header = data[i + 4 : i + 9]
            if len(header) < 5:
                break
            height = int.from_bytes(header[1:3], "big")
            width = int.from_bytes(header[3:5], "big")
            if not width or not height:
                raise ValueError("frame header of size 0")
            return width, height
        i += 2 + length
    raise ValueError("no frame header (SOFn) in the JPEG")


def jpeg_file_size(path: Path) -> tuple[int, int]:
    """:func:`jpeg_size` of a file.

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not a JPEG with a frame header.
    """
    return jpeg_size(path.read_bytes())
