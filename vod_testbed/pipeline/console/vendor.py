"""Fetching the console's player libraries, hls.js and dash.js, at install time
(``make install``).

``npm pack`` downloads each pinned release's tarball from the npm registry; its sha512 must
equal the ``integrity`` pinned here (the value the registry publishes for that release)
before its minified player is extracted into the console's static folder. Nothing is
fetched at run time, and nothing of either library is kept in the repository.
``vod-testbed fetch-player`` does it; it is a no-op when the file is already there and
matches.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).parent / "static" / "vendor"


@dataclass(frozen=True)
class Pinned:
    """One npm release: its ``dist.integrity`` as the registry publishes it, the file
    taken out of its tarball and where that file goes."""

    package: str
    version: str
    integrity: str
    member: str
    target: Path

    @property
    def stamp(self) -> Path:
        return self.target.with_suffix(".version")

    @property
    def tarball_name(self) -> str:
        return f"{self.package}-{self.version}.tgz"


HLS_JS = Pinned(
    "hls.js",
    "1.6.15",
    "sha512-"
    "E3a5VwgXimGHwpRGV+WxRTKeSp2DW5DI5MWv34ulL3t5UNmyJWCQ1KmLEHbYzcfThfXG8amBL+fCYPneGHC4VA==",
    "package/dist/hls.min.js",
    VENDOR / "hls.min.js",
)
# dash.js plays the DASH outputs; its browser build (UMD, for a <script> tag).
DASH_JS = Pinned(
    "dashjs",
    "5.2.1",
    "sha512-"
    "axcJmLeJCTJMLUfQRErUJB1KOiU5iHF+DMLBc3FKeox1HPYtGUQlC6Xm5Mm6vhBUR3CHHLIPOqw0JDIqMtP+Dw==",
    "package/dist/modern/umd/dash.all.min.js",
    VENDOR / "dash.all.min.js",
)
PINNED = (HLS_JS, DASH_JS)
# The names hls.js had alone, kept for its callers.
HLS_JS_VERSION, HLS_JS_INTEGRITY, MEMBER = HLS_JS.version, HLS_JS.integrity, HLS_JS.member
TARGET, STAMP = HLS_JS.target, HLS_JS.stamp


class VendorError(RuntimeError):
    """The tarball could not be fetched, or is not the pinned one."""


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def verify(tarball: Path, integrity: str = HLS_JS_INTEGRITY) -> None:
    """Raise VendorError unless ``tarball``'s sha512 is ``integrity``."""
    found = sri_sha512(tarball.read_bytes())
    if found != integrity:
        raise VendorError(f"{tarball.name}: integrity {found} is not the pinned {integrity}")


def extract(tarball: Path, target: Path = TARGET, name: str = MEMBER) -> Path:
    """Copy the player ``name`` out of the (verified) tarball into ``target``."""
    with tarfile.open(tarball, "r:gz") as archive:
        try:
            member = archive.getmember(name)
        except KeyError:
            raise VendorError(f"{tarball.name} holds no {name}") from None
        source = archive.extractfile(member)
        if source is None:
            raise VendorError(f"{name} in {tarball.name} is not a file")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        with source, partial.open("wb") as out:
            shutil.copyfileobj(source, out)
        partial.replace(target)
    return target


def pack(cache: Path, pinned: Pinned = HLS_JS) -> Path:
    """``npm pack <package>@<version>`` into ``cache``; returns the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError(f"npm is not installed: it fetches {pinned.package} for the console")
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / pinned.tarball_name
    spec = f"{pinned.package}@{pinned.version}"
    if not tarball.is_file():
        run = subprocess.run(
            [npm, "pack", spec, "--silent", "--pack-destination", str(cache)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if run.returncode != 0 or not tarball.is_file():
            raise VendorError(f"npm pack {spec} failed: {run.stderr.strip()[-500:]}")
    return tarball


def vendor(pinned: Pinned, cache: Path) -> bool:
    """Fetch, verify and extract one release; False when it was already in place."""
    stamp = pinned.stamp.read_text().strip() if pinned.stamp.is_file() else ""
    if pinned.target.is_file() and stamp == pinned.integrity:
        return False
    tarball = pack(cache, pinned)
    verify(tarball, pinned.integrity)
    extract(tarball, pinned.target, pinned.member)
    pinned.stamp.write_text(pinned.integrity + "\n")
    return True
