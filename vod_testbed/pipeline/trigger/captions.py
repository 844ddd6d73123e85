"""Caption files of a video upload: what ``POST /videos`` accepts for them, where they are
stored, and how the upload trigger finds them again without a database (docs/captions.md).

A caption file is uploaded, presigned like the video, *before* the video, to

    <upload key without extension>_processed/captions/<n>.<language>.<ext>

beside the pinned source, so deleting a video deletes its captions. Registering them also
writes ``captions/manifest.json`` there (each track's key, format, language and label), so
the trigger, which has no database, knows what to expect: when the video arrives it reads
the manifest, checks that every caption file is there, and hands the tracks to the job; the
job checks each file as captions (a bad one ends it in ERROR with its reason).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.captions import CaptionTrack, language_name
from vod_testbed.backends.mediaconvert.model import shape
from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.media.captions import CaptionFormat

CAPTION_FOLDER = "captions"
MAX_CAPTION_FILES = 8
MAX_CAPTION_BYTES = 2 * 1024 * 1024  # hours of captions; a caption file is text
MAX_LABEL_LENGTH = 64
MANIFEST_NAME = "manifest.json"
CAPTION_FIELDS = frozenset({"filename", "content_type", "size", "language", "label"})
# What browsers and tools send for caption files (none is registered for SCC or SRT).
CAPTION_CONTENT_TYPES = frozenset(
    {"text/vtt", "text/plain", "application/x-subrip", "text/srt", "application/octet-stream"}
)
_EXTENSIONS = {CaptionFormat.SRT: "srt", CaptionFormat.WEBVTT: "vtt", CaptionFormat.SCC: "scc"}


@cache
def language_codes() -> frozenset[str]:
    """MediaConvert's ``LanguageCode`` values (ISO 639-2/3), lower case as the API takes
    them, from botocore's service model: the languages a caption track may name."""
    codes: list[str] = shape("LanguageCode").enum  # type: ignore[attr-defined]
    return frozenset(code.lower() for code in codes)


_LABEL = re.compile(rf"[^\x00-\x1f\x7f]{{1,{MAX_LABEL_LENGTH}}}")


@dataclass(frozen=True)
class CaptionUpload:
    """One caption file a client registered with its video."""

    source_format: CaptionFormat
    content_type: str
    size: int
    language: str
    label: str


def check_caption_uploads(value: Any) -> list[CaptionUpload]:
    """The ``captions`` field of ``POST /videos``: a list of ``{filename, content_type,
    size, language, label}`` (absent: an empty list; ``null`` is refused, as the schema
    says). Raises InvalidRequestError naming the field (``captions[1].language``)."""
    if not isinstance(value, list | tuple) or len(value) > MAX_CAPTION_FILES:
        raise InvalidRequestError(
            "captions", f"must be a list of at most {MAX_CAPTION_FILES} caption files"
        )
    return [_check_one(item, f"captions[{i}]") for i, item in enumerate(value)]


def _check_one(item: Any, field: str) -> CaptionUpload:
    if not isinstance(item, dict):
        raise InvalidRequestError(field, "must be an object")
    unknown = sorted(set(item) - CAPTION_FIELDS)
    if unknown:
        raise InvalidRequestError(f"{field}.{unknown[0]}", "is not a field of a caption file")
    filename = item.get("filename")
    fmt = CaptionFormat.from_name(filename) if isinstance(filename, str) else None
    if fmt is None:
        raise InvalidRequestError(
            f"{field}.filename", "must name an SRT, WebVTT or SCC file (.srt, .vtt, .scc)"
        )
    content_type = item.get("content_type")
    if not isinstance(content_type, str) or content_type not in CAPTION_CONTENT_TYPES:
        raise InvalidRequestError(
            f"{field}.content_type", f"must be one of {', '.join(sorted(CAPTION_CONTENT_TYPES))}"
        )
    size = item.get("size")
    if isinstance(size, float) and size.is_integer():
        size = int(size)  # JSON Schema's integer: 866.0 is one
    if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_CAPTION_BYTES:
        raise InvalidRequestError(
            f"{field}.size", f"must be an integer from 1 to {MAX_CAPTION_BYTES} bytes"
        )
    language = item.get("language")
    if not isinstance(language, str) or language not in language_codes():
        raise InvalidRequestError(
            f"{field}.language",
            "must be a lower-case three-letter ISO 639 code MediaConvert knows (eng)",
        )
    label = item.get("label", language_name(language))
    if not isinstance(label, str) or not _LABEL.fullmatch(label):
        raise InvalidRequestError(
            f"{field}.label", f"must be 1-{MAX_LABEL_LENGTH} characters, no control characters"
        )
    # A blank label names the track by its language.
    return CaptionUpload(
        fmt, content_type, size, language, label.strip() or language_name(language)
    )


def caption_folder(upload_key: str) -> str:
    """``video/.../x-lecture.mp4`` -> ``video/.../x-lecture_processed/captions``."""
    return f"{naming.default_output_prefix(upload_key)}/{CAPTION_FOLDER}"


def caption_key(upload_key: str, index: int, upload: CaptionUpload) -> str:
    name = f"{index + 1}.{upload.language}.{_EXTENSIONS[upload.source_format]}"
    return f"{caption_folder(upload_key)}/{name}"


def manifest_key(upload_key: str) -> str:
    return f"{caption_folder(upload_key)}/{MANIFEST_NAME}"


def manifest(upload_key: str, uploads: list[CaptionUpload]) -> bytes:
    """What the trigger reads back: each track's key, format, language and label."""
    tracks = [
        {
            "key": caption_key(upload_key, i, upload),
            "format": upload.source_format.value,
            "language": upload.language,
            "label": upload.label,
        }
        for i, upload in enumerate(uploads)
    ]
    return json.dumps({"captions": tracks}, ensure_ascii=False).encode("utf-8")


def presign_caption_uploads(
    presigner: Any, bucket: str, upload_key: str, uploads: list[CaptionUpload], expires_s: int
) -> list[dict[str, Any]]:
    """Each caption file's PUT: URL, the headers it must carry (signed), key, language."""
    tickets = []
    for i, upload in enumerate(uploads):
        key = caption_key(upload_key, i, upload)
        url = presigner.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": bucket,
                "Key": key,
                "ContentType": upload.content_type,
                "ContentLength": upload.size,
            },
            ExpiresIn=expires_s,
            HttpMethod="PUT",
        )
        tickets.append(
            {
                "upload_url": url,
                "upload_method": "PUT",
                "upload_headers": {
                    "Content-Type": upload.content_type,
                    "Content-Length": str(upload.size),
                },
                "key": key,
                "language": upload.language,
                "label": upload.label,
                "format": upload.source_format.value,
            }
        )
    return tickets


def read_manifest(data: bytes, upload_key: str) -> list[dict[str, str]]:
    """The tracks a manifest lists; entries whose key is not this upload's are dropped
    (a manifest only names files in its own folder)."""
    folder = caption_folder(upload_key) + "/"
    tracks = json.loads(data.decode("utf-8")).get("captions", [])
    return [t for t in tracks if isinstance(t, dict) and str(t.get("key", "")).startswith(folder)]


def missing_captions(tracks: list[dict[str, str]], present: set[str]) -> str | None:
    """Why the registered caption files are not all there, or None."""
    missing = [i + 1 for i, t in enumerate(tracks) if t["key"] not in present]
    if not missing:
        return None
    return (
        f"caption file(s) {', '.join(map(str, missing))} of {len(tracks)} were not uploaded "
        "before the video; upload caption files first"
    )


def caption_tracks(bucket: str, tracks: list[dict[str, str]]) -> tuple[CaptionTrack, ...]:
    """The job's caption tracks: WebVTT renditions, in the order they were registered."""
    languages = [t["language"] for t in tracks]
    return tuple(
        CaptionTrack(
            source_uri=f"s3://{bucket}/{t['key']}",
            source_format=CaptionFormat(t["format"]),
            language=t["language"],
            name=t.get("label") or language_name(t["language"]),
            # Two tracks in one language (plain and SDH) need names of their own.
            name_modifier=(
                f"_captions_{i + 1}_{t['language']}" if languages.count(t["language"]) > 1 else ""
            ),
        )
        for i, t in enumerate(tracks)
    )
