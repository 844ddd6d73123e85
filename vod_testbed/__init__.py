"""vod-testbed: an S3 -> MediaConvert -> HLS -> webhook video pipeline, offline and for real.

Everything installs under this one package so that nothing of ours can shadow a platform's own
``pipeline`` or ``fixtures``; see docs/ARCHITECTURE.md for the parts and their arrows.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vod-testbed")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0"
