"""AAC profiles on the ffmpeg at hand: HE-AAC v1/v2 where it has an HE-AAC encoder, else
AAC-LC at the same bitrate with a job warning.

MediaConvert's ``AacSettings.CodecProfile`` is ``LC`` (the default), ``HEV1`` (HE-AAC v1:
spectral band replication), ``HEV2`` (HE-AAC v2: plus parametric stereo) or ``XHE``
(service model). ffmpeg's own ``aac`` encoder writes only AAC-LC; HE-AAC needs
``libfdk_aac``, which neither the imageio-ffmpeg wheel's ffmpeg nor Debian's is built with
(its licence keeps it out of redistributed builds). So on those, an HE-AAC output is
AAC-LC at the bitrate asked for: it plays everywhere HE-AAC plays, at the same size, but
its ``CODECS`` is ``mp4a.40.2`` rather than ``mp4a.40.5``/``mp4a.40.29``, and at low
bitrates it sounds worse than HE-AAC would.
"""

from __future__ import annotations

from dataclasses import dataclass

FDK = "libfdk_aac"
# CodecProfile -> libfdk_aac's profile option.
FDK_PROFILES = {"LC": "aac_low", "HEV1": "aac_he", "HEV2": "aac_he_v2"}
# The HLS CODECS attribute (RFC 6381) of each profile's audio object type.
CODECS = {"LC": "mp4a.40.2", "HEV1": "mp4a.40.5", "HEV2": "mp4a.40.29"}


@dataclass(frozen=True)
class AacEncoding:
    """How one AAC output is encoded: ffmpeg options for audio stream ``index`` and the
    job warning, if the profile is approximated."""

    options: dict[str, str]
    codecs: str
    warning: str | None = None


def aac_encoding(profile: str, index: int, encoders: frozenset[str]) -> AacEncoding:
    """The encoder for ``CodecProfile`` ``profile`` given the ffmpeg's ``encoders``."""
    if profile in ("HEV1", "HEV2") and FDK in encoders:
        return AacEncoding(
            {f"c:a:{index}": FDK, f"profile:a:{index}": FDK_PROFILES[profile]}, CODECS[profile]
        )
    options = {f"c:a:{index}": "aac"}
    if profile == "LC":
        return AacEncoding(options, CODECS["LC"])
    return AacEncoding(
        options,
        CODECS["LC"],
        f"AAC profile {profile} is encoded as AAC-LC at the same bitrate: this ffmpeg has no "
        f"HE-AAC encoder ({FDK}); players see mp4a.40.2.",
    )
