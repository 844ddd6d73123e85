"""Fetching the console's player library, hls.js, at install time (``make install``).

``npm pack`` downloads the pinned release's tarball from the npm registry; its sha512 must
equal the ``integrity`` pinned here (the value the registry publishes for that release)
before ``package/dist/hls.min.js`` is extracted into the console's static folder. Nothing
is fetched at run time, and nothing of hls.js is kept in the repository.
``vod-testbed fetch-player`` does it; it is a no-op when the file is already there and
matches.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
from pathlib import Path

HLS_JS_VERSION = "1.6.15"
# The registry's published ``dist.integrity`` of that release.
HLS_JS_INTEGRITY = (
    "sha512-"
    "E3a5VwgXimGHwpRGV+WxRTKeSp2DW5DI5MWv34ulL3t5UNmyJWCQ1KmLEHbYzcfThfXG8amBL+fCYPneGHC4VA=="
)
MEMBER = "package/dist/hls.min.js"
TARGET = Path(__file__).parent / "static" / "vendor" / "hls.min.js"
STAMP = TARGET.with_suffix(".version")


class VendorError(RuntimeError):
    """The tarball could not be fetched, or is not the pinned one."""


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def verify(tarball: Path, integrity: str = HLS_JS_INTEGRITY) -> None:
    """Raise VendorError unless ``tarball``'s sha512 is ``integrity``."""
    found = sri_sha512(tarball.read_bytes())
    if found != integrity:
        raise VendorError(f"{tarball.name}: integrity {found} is not the pinned {integrity}")


def extract(tarball: Path, target: Path = TARGET) -> Path:
    """Copy ``package/dist/hls.min.js`` out of the (verified) tarball into ``target``."""
    with tarfile.open(tarball, "r:gz") as archive:
        try:
            member = archive.getmember(MEMBER)
        except KeyError:
            raise VendorError(f"{tarball.name} holds no {MEMBER}") from None
        source = archive.extractfile(member)
        if source is None:
            raise VendorError(f"{MEMBER} in {tarball.name} is not a file")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        with source, partial.open("wb") as out:
            shutil.copyfileobj(source, out)
        partial.replace(target)
    return target


def pack(cache: Path, version: str = HLS_JS_VERSION) -> Path:
    """``npm pack hls.js@version`` into ``cache``; returns the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is not installed: it fetches hls.js for the console")
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"hls.js-{version}.tgz"
    if not tarball.is_file():
        run = subprocess.run(
            [npm, "pack", f"hls.js@{version}", "--silent", "--pack-destination", str(cache)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if run.returncode != 0 or not tarball.is_file():
            raise VendorError(f"npm pack hls.js@{version} failed: {run.stderr.strip()[-500:]}")
    return tarball


def install(cache: Path) -> bool:
    """Fetch, verify and extract the pinned hls.js unless it is already there and matches;
    whether it fetched. Raises VendorError."""
    if TARGET.is_file() and STAMP.is_file() and STAMP.read_text().strip() == HLS_JS_INTEGRITY:
        return False
    tarball = pack(cache)
    verify(tarball)
    extract(tarball)
    STAMP.write_text(HLS_JS_INTEGRITY + "\n")
    return True
