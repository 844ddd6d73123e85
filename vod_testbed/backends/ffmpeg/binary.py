"""Choosing the ffmpeg to run (docs/ARCHITECTURE.md, "FFmpeg") under the project's ffmpeg policy.

Supported: ffmpeg 5.1 (Debian 12's) or newer, built with the libx264 and AAC encoders. The
candidates are, in order, ``FFMPEG_BINARY``, ``ffmpeg`` on PATH, and the binary the
imageio-ffmpeg wheel ships. ``FFMPEG_BINARY`` is an explicit choice: if it is unusable it is
refused, never silently replaced. An unusable ffmpeg on PATH is passed over for the wheel's,
with one log line that says why.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass

from vod_testbed.common.settings import BackendSettings

log = logging.getLogger(__name__)

MIN_RELEASE = (5, 1)
# ffmpeg 5.1's libavcodec: git snapshots ("N-113226-g...") print no release, only this.
MIN_LIBAVCODEC = (59, 37)
REQUIRED_ENCODERS = ("libx264", "aac")
QUERY_TIMEOUT_S = 30.0

_RELEASE_RE = re.compile(r"^ffmpeg version n?(\d+)\.(\d+)", re.MULTILINE)
_VERSION_RE = re.compile(r"^ffmpeg version (\S+)", re.MULTILINE)
_LIBAVCODEC_RE = re.compile(r"^libavcodec\s+(\d+)\.\s*(\d+)\.", re.MULTILINE)
# "-encoders" rows: six capability flags, the encoder's name, its description.
_ENCODER_ROW_RE = re.compile(r"^ [VAS.][F.][S.][X.][B.][D.] (\S+)", re.MULTILINE)


class UnusableFFmpegError(ValueError):
    """The ffmpeg that was asked for cannot be used (missing, broken, too old, or lacking an
    encoder the ladder needs); the message says which and why."""


@dataclass(frozen=True)
class FFmpegBuild:
    """What one ffmpeg binary says about itself.

    Attributes:
        path: the binary.
        version: as ffmpeg prints it (``5.1.9-0+deb12u1``, ``n9.0.2-17-g2a571b6068``).
        release: (major, minor) read from ``version``; None for git snapshots.
        libavcodec: (major, minor) of the libavcodec it runs with.
        encoders: names of the encoders it was built with.
    """

    path: str
    version: str
    release: tuple[int, int] | None
    libavcodec: tuple[int, int] | None
    encoders: frozenset[str]

    @property
    def problem(self) -> str | None:
        """Why the project cannot use this build, or None when it can."""
        if self.release is not None:
            if self.release < MIN_RELEASE:
                oldest = _dotted(MIN_RELEASE)
                return f"ffmpeg {self.version} is older than {oldest}, the oldest supported"
        elif self.libavcodec is None:
            return f"its version ({self.version}) cannot be read"
        elif self.libavcodec < MIN_LIBAVCODEC:
            return (
                f"ffmpeg {self.version} has libavcodec {_dotted(self.libavcodec)}, older than "
                f"ffmpeg {_dotted(MIN_RELEASE)}'s {_dotted(MIN_LIBAVCODEC)}"
            )
        missing = [name for name in REQUIRED_ENCODERS if name not in self.encoders]
        if missing:
            return f"ffmpeg {self.version} lacks the {' and '.join(missing)} encoder(s)"
        return None


def _dotted(version: tuple[int, int]) -> str:
    return ".".join(map(str, version))


def parse_build(path: str, version_text: str, encoders_text: str) -> FFmpegBuild:
    """Read an :class:`FFmpegBuild` from the output of ``-version`` and ``-encoders``."""
    version = _VERSION_RE.search(version_text)
    release = _RELEASE_RE.search(version_text)
    libavcodec = _LIBAVCODEC_RE.search(version_text)
    return FFmpegBuild(
        path=path,
        version=version.group(1) if version else "unknown",
        release=(int(release.group(1)), int(release.group(2))) if release else None,
        libavcodec=(int(libavcodec.group(1)), int(libavcodec.group(2))) if libavcodec else None,
        encoders=frozenset(_ENCODER_ROW_RE.findall(encoders_text)),
    )


@functools.cache
def describe_ffmpeg(path: str) -> FFmpegBuild:
    """Ask the binary at ``path`` for its version and encoders.

    Raises:
        UnusableFFmpegError: it does not run, fails, or takes too long to answer.
    """
    outputs = []
    for query in ("-version", "-encoders"):
        try:
            done = subprocess.run(
                [path, "-hide_banner", query],
                capture_output=True,
                text=True,
                errors="replace",
                timeout=QUERY_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UnusableFFmpegError(f"{path} does not run as ffmpeg: {exc}") from exc
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            raise UnusableFFmpegError(f"{path} {query} failed: {detail}")
        outputs.append(done.stdout)
    return parse_build(path, *outputs)


def wheel_ffmpeg() -> str:
    """The ffmpeg binary shipped in the imageio-ffmpeg wheel (the ``ffmpeg`` extra).

    Raises:
        UnusableFFmpegError: the extra is not installed.
    """
    try:
        import imageio_ffmpeg
    except ImportError:
        raise UnusableFFmpegError(
            f"no usable ffmpeg: put ffmpeg {_dotted(MIN_RELEASE)} or newer with "
            f"{' and '.join(REQUIRED_ENCODERS)} on PATH, set FFMPEG_BINARY, or install "
            "vod-testbed[ffmpeg] for one in a wheel"
        ) from None
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def find_ffmpeg(configured: str | None = None) -> str:
    """Path of the ffmpeg to run, chosen under the policy in the module docstring.

    Args:
        configured: a path or command name; None reads ``FFMPEG_BINARY``.

    Raises:
        UnusableFFmpegError: the configured ffmpeg is missing or unusable, or no usable
            ffmpeg exists.
    """
    if configured is None:
        configured = BackendSettings.from_env().ffmpeg_binary
    return choose_ffmpeg(configured)


@functools.cache
def choose_ffmpeg(configured: str | None) -> str:
    """:func:`find_ffmpeg` for an explicit ``FFMPEG_BINARY`` value (None: not set); the
    choice, and the log line of an ffmpeg passed over, happen once per process."""
    if configured:
        found = shutil.which(configured)
        if not found:
            raise UnusableFFmpegError(f"FFMPEG_BINARY={configured!r} is not an executable")
        problem = _problem_of(found)
        if problem:
            raise UnusableFFmpegError(
                f"FFMPEG_BINARY={configured!r} cannot be used: {problem}. Unset it to use "
                f"the imageio-ffmpeg wheel's ffmpeg, or point it at ffmpeg "
                f"{_dotted(MIN_RELEASE)} or newer with {' and '.join(REQUIRED_ENCODERS)}."
            )
        return found
    on_path = shutil.which("ffmpeg")
    if on_path:
        problem = _problem_of(on_path)
        if problem is None:
            return on_path
        log.warning("ffmpeg on PATH (%s) passed over for the wheel's: %s", on_path, problem)
    wheel = wheel_ffmpeg()
    problem = _problem_of(wheel)
    if problem:
        raise UnusableFFmpegError(f"the imageio-ffmpeg wheel's ffmpeg cannot be used: {problem}")
    return wheel


def _problem_of(path: str) -> str | None:
    try:
        return describe_ffmpeg(path).problem
    except UnusableFFmpegError as exc:
        return str(exc)
