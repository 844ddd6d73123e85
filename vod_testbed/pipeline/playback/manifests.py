"""DASH and CMAF playback from the private bucket: the tokened path (docs/playback.md,
"DASH and CMAF").

An MPD names its segments by templates (``$Number$``, ``$Time$``) a player expands, so no
presigned URL can be written into it ahead of time. The pipeline therefore serves a
video's manifests under a path that carries the playback token,
``/play/{id}/t/{token}/{folder}/{manifest}``: every relative URL of the manifest resolves
under that same path, and a segment request there is answered with a redirect to a
presigned S3 GET (or signed CDN URL) that lives only a few minutes. The MPD is served as
written, once it has been checked: parsed without DTDs or entities, static, and every URL
in it relative and inside the video's outputs. HLS playlists under the same path are
rewritten as the ``/play/{id}/{name}`` ones are (every URI, ``EXT-X-MAP`` included,
presigned), so CMAF HLS segments never pass through Python.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from vod_testbed.pipeline.playback.mpd import MPD_NAMESPACE, MpdError, sign_mpd
from vod_testbed.pipeline.playback.rewrite import PlaylistError, is_absolute, rewrite_uris
from vod_testbed.pipeline.playback.service import KEY_NAME, PlaybackService, PlaylistNotFound

DASH_MIME = "application/dash+xml"
HLS_MIME = "application/vnd.apple.mpegurl"
# A redirect's presigned URL is used at once: it lives this long (never past the token).
REDIRECT_URL_S = 300
# Attributes and elements of an MPD that hold URLs (ISO/IEC 23009-1, 5.3.9 and 5.6).
_URL_ATTRIBUTES = {
    "SegmentTemplate": ("media", "initialization", "index", "bitstreamSwitching"),
    "SegmentURL": ("media", "index"),
    "Initialization": ("sourceURL",),
    "RepresentationIndex": ("sourceURL",),
    "BitstreamSwitching": ("sourceURL",),
}
_URL_ELEMENTS = ("BaseURL", "Location", "PatchLocation")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SEGMENT_NAME = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


class ManifestError(PlaylistError):
    """A manifest the pipeline will not hand to a player; the message says why."""


@dataclass(frozen=True)
class Served:
    """What a tokened path answers: a manifest's text, or a redirect to the media."""

    text: str | None = None
    mimetype: str = ""
    redirect: str | None = None


def _local_name(tag: str) -> tuple[str, str]:
    namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return namespace, name


def _check_url(url: str, where: str) -> None:
    if not url:
        return
    if _SCHEME.match(url) or is_absolute(url) or url.startswith("//"):
        raise ManifestError(f"{where} is an absolute URL ({url[:80]!r}); only relative ones play")
    if any(part == ".." for part in url.split("?", 1)[0].split("/")):
        raise ManifestError(f"{where} climbs out of the video's folder ({url[:80]!r})")


def check_mpd(text: str) -> None:
    """Refuse an MPD a player must not be handed through the tokened path.

    Raises:
        ManifestError: not XML, a DTD or entity, not an MPD, a dynamic (live) MPD, or a URL
            that is absolute or leaves the folder (it would bypass the token check).
    """
    try:
        root: Element = fromstring(text, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ManifestError(f"the MPD is not well-formed XML without a DTD: {exc}") from None
    namespace, name = _local_name(root.tag)
    if name != "MPD" or namespace != MPD_NAMESPACE:
        raise ManifestError(f"the document is not an MPD of {MPD_NAMESPACE} (root {name!r})")
    if root.get("type", "static") != "static":
        raise ManifestError("the MPD is dynamic; only static (on-demand) MPDs are served")
    for element in root.iter():
        _, tag = _local_name(element.tag)
        if tag in _URL_ELEMENTS:
            _check_url((element.text or "").strip(), tag)
        for attribute in _URL_ATTRIBUTES.get(tag, ()):
            _check_url(element.get(attribute, ""), f"{tag}@{attribute}")


class TokenedPaths:
    """Serves ``/play/{id}/t/{token}/{rest}`` for one :class:`PlaybackService`."""

    def __init__(self, service: PlaybackService, redirect_url_s: int = REDIRECT_URL_S) -> None:
        self.service = service
        self.redirect_url_s = redirect_url_s

    def serve(self, video_id: str, token: str, rest: str) -> Served:
        """The manifest ``rest`` (a path under the video's outputs folder) or a redirect to
        the object there.

        Raises:
            PlaybackDenied: the token does not grant this video now.
            PlaylistNotFound: not a ready video, or no such manifest.
            ManifestError: the manifest is refused (the message names why).
        """
        expires_at = self.service.tokens.check(token, video_id)
        video = self.service.video(video_id)
        if video is None:
            raise PlaylistNotFound(f"video {video_id} has no playable outputs")
        if not _SEGMENT_NAME.match(rest) or any(p in (".", "..") for p in rest.split("/")):
            raise PlaylistNotFound(f"{rest!r} is not an output name")
        key = video.outputs_prefix + rest
        if rest.endswith(".mpd"):
            text = self.service.text(key)
            check_mpd(text)
            sign = self.service.signer.batch(expires_at, video.outputs_prefix)

            def inside(target: str) -> str:
                if not target.startswith(video.outputs_prefix):
                    raise ManifestError(f"{target!r} is outside the video's outputs")
                return sign(target)

            try:
                signed = sign_mpd(text, posixpath.dirname(key), inside)
            except MpdError as exc:
                raise ManifestError(str(exc)) from None
            return Served(text=signed, mimetype=DASH_MIME)
        if rest.endswith(".m3u8"):
            # An encrypted playlist's key is the service's /play/{id}/key, for this token.
            key_uri = "../" * (rest.count("/") + 2) + f"{KEY_NAME}?token={token}"
            text = self._playlist(video.outputs_prefix, key, expires_at, key_uri)
            return Served(text=text, mimetype=HLS_MIME)
        now = int(self.service.tokens.clock())
        sign = self.service.signer.batch(
            min(expires_at, now + self.redirect_url_s), video.outputs_prefix
        )
        return Served(redirect=sign(key))

    def _playlist(self, prefix: str, key: str, expires_at: int, key_uri: str) -> str:
        """An HLS playlist under the tokened path: a multivariant one unchanged (its
        relative URIs stay under the path), a media one with every URI presigned."""
        text = self.service.text(key)
        if "#EXT-X-STREAM-INF" in text or "#EXT-X-MEDIA:" in text:
            for line in text.splitlines():
                uri = line.strip()
                if uri and not uri.startswith("#"):
                    _check_url(uri, "a variant URI")
            for uri in re.findall(r'URI="([^"]*)"', text):
                _check_url(uri, "a URI attribute")
            return text
        folder = posixpath.dirname(key)
        sign = self.service.signer.batch(expires_at, prefix)

        def presign(uri: str) -> str:
            _check_url(uri, "a segment URI")
            target = posixpath.normpath(posixpath.join(folder, uri.split("?", 1)[0]))
            if not target.startswith(prefix):
                raise ManifestError(f"{uri!r} leaves the video's folder")
            return sign(target)

        return rewrite_uris(text, presign, key_uri if "#EXT-X-KEY:" in text else None)


__all__ = ["ManifestError", "PlaylistNotFound", "Served", "TokenedPaths", "check_mpd"]
