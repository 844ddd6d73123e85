"""Object names, exactly as MediaConvert writes them (docs/ARCHITECTURE.md, "The object-name
contract").

For an HLS group whose destination is ``<prefix>/hls/master`` and an output with name
modifier ``_720p``, MediaConvert writes ``master.m3u8`` (the multivariant playlist),
``master_720p.m3u8`` and segments ``master_720p_00001.ts`` (five digits, from 1). A frame
capture output with destination ``<prefix>/thumbnails/master`` and modifier ``_thumb``
writes ``master_thumb.0000000.jpg`` (seven digits, from 0).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata

HLS_FOLDER = "hls"
THUMBNAIL_FOLDER = "thumbnails"
# The progressive MP4 download: a file group at <prefix>/mp4/master, modifier _<rung>.
MP4_FOLDER = "mp4"
PROCESSED_SUFFIX = "_processed"
DEFAULT_BASE_NAME = "master"


def master_playlist_name(base: str) -> str:
    return f"{base}.m3u8"


def media_playlist_name(base: str, name_modifier: str) -> str:
    return f"{base}{name_modifier}.m3u8"


def iframe_playlist_name(base: str, name_modifier: str) -> str:
    """MediaConvert's I-frame-only playlist beside a rendition's: ``master_720p_I-Frame.m3u8``."""
    return f"{base}{name_modifier}_I-Frame.m3u8"


def segment_pattern(base: str, name_modifier: str) -> str:
    """printf-style pattern of a rendition's segments (ffmpeg's ``%05d``)."""
    return f"{base}{name_modifier}_%05d.ts"


def segment_name(base: str, name_modifier: str, index: int) -> str:
    return f"{base}{name_modifier}_{index:05d}.ts"


def thumbnail_pattern(base: str, name_modifier: str) -> str:
    return f"{base}{name_modifier}.%07d.jpg"


def thumbnail_name(base: str, name_modifier: str, index: int) -> str:
    return f"{base}{name_modifier}.{index:07d}.jpg"


def thumbnail_regex(base: str, name_modifier: str) -> re.Pattern[str]:
    return re.compile(re.escape(f"{base}{name_modifier}") + r"\.(\d{7})\.jpg")


# Any frame capture: its name (base + modifier) and its 7-digit index.
CAPTURE_FILE = re.compile(r"^(?P<prefix>.*)\.(?P<index>\d{7})\.jpg$")


def file_output_name(base: str, name_modifier: str, extension: str) -> str:
    """A file group's output: ``master`` + ``_720p`` + ``mp4`` -> ``master_720p.mp4``."""
    return f"{base}{name_modifier}.{extension}"


def default_output_prefix(input_uri: str) -> str:
    """``video/u/2024/01/x-clip.mp4`` -> ``video/u/2024/01/x-clip_processed``."""
    stem, _ext = posixpath.splitext(input_uri.rstrip("/"))
    return stem + PROCESSED_SUFFIX


def join_uri(prefix: str, *parts: str) -> str:
    return "/".join([prefix.rstrip("/"), *parts])


def split_destination(destination: str) -> tuple[str, str]:
    """``s3://b/p/hls/master`` -> (``s3://b/p/hls``, ``master``).

    A destination ending in ``/`` has no base name; MediaConvert then uses the input file's
    name, which the caller must supply (see :func:`destination_base`).
    """
    folder, _, base = destination.rpartition("/")
    return folder, base


def thumbnail_folder_beside(hls_folder: str) -> str:
    """The frame captures' folder beside an HLS folder: ``.../x_processed/hls`` ->
    ``.../x_processed/thumbnails`` (a folder not named ``hls`` gets ``thumbnails/`` inside)."""
    parent, _, last = hls_folder.rpartition("/")
    root = parent if last == HLS_FOLDER else hls_folder
    return join_uri(root, THUMBNAIL_FOLDER)


def destination_base(destination: str, input_uri: str) -> tuple[str, str]:
    """Folder and base name of a destination, the base defaulting to the input's stem."""
    folder, base = split_destination(destination)
    if not base:
        base = posixpath.splitext(posixpath.basename(input_uri))[0]
    return folder, base


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sanitize_filename(name: str, max_length: int = 120) -> str:
    """A user-supplied file name made safe for an object key.

    Keeps letters, digits, ``.``, ``_`` and ``-`` (accents folded to ASCII, everything else to
    ``-``), drops any directory part and leading dots, so a name can never escape its prefix
    (``../../etc/passwd`` -> ``passwd``) or hide as a dot-file.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, ext = posixpath.splitext(base)
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("-", folded).strip("-.")
    ext = _UNSAFE.sub("", ext)[:16]
    stem = stem[: max(1, max_length - len(ext))] or "file"
    return stem + ext
