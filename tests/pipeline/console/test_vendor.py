"""hls.js for the console: taken only from a tarball whose integrity is the pinned one."""

from __future__ import annotations

import io
import re
import tarfile
from pathlib import Path

import pytest

from vod_testbed.pipeline.console.blueprint import hls_js_integrity
from vod_testbed.pipeline.console.vendor import (
    PINNED,
    Pinned,
    VendorError,
    extract,
    sri_sha512,
    verify,
)


def tarball(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "hls.js-1.0.0.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_a_tarball_with_another_integrity_is_refused(tmp_path: Path) -> None:
    path = tarball(tmp_path, {"package/dist/hls.min.js": b"var Hls;"})
    with pytest.raises(VendorError, match="is not the pinned sha512-AAAA"):
        verify(path, "sha512-AAAA")


def test_the_pinned_tarball_gives_its_minified_player(tmp_path: Path) -> None:
    path = tarball(tmp_path, {"package/dist/hls.min.js": b"var Hls;", "package/x": b"-"})
    verify(path, sri_sha512(path.read_bytes()))
    target = extract(path, tmp_path / "vendor" / "hls.min.js")
    assert target.read_bytes() == b"var Hls;"


def test_a_tarball_without_the_player_is_refused(tmp_path: Path) -> None:
    path = tarball(tmp_path, {"package/README.md": b"-"})
    with pytest.raises(VendorError, match=re.escape("holds no package/dist/hls.min.js")):
        extract(path, tmp_path / "hls.min.js")


def test_the_page_pins_the_served_file_by_its_sha384(tmp_path: Path) -> None:
    file = tmp_path / "hls.min.js"
    file.write_bytes(b"abc")
    expected = "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
    assert hls_js_integrity(file) == expected
    assert hls_js_integrity(tmp_path / "absent.js") is None


@pytest.mark.parametrize("pinned", PINNED, ids=lambda p: p.package)
def test_each_vendored_player_is_the_pinned_release(pinned: Pinned) -> None:
    """What ``make install`` put in the static folder came out of the tarball whose
    sha512 is the pinned ``dist.integrity``."""
    tarball = Path(".cache/npm") / pinned.tarball_name
    if not (pinned.target.is_file() and tarball.is_file()):
        pytest.skip(f"{pinned.package} is not vendored here (make install fetches it)")
    assert pinned.stamp.read_text().strip() == pinned.integrity
    verify(tarball, pinned.integrity)
    with tarfile.open(tarball, "r:gz") as archive:
        member = archive.extractfile(pinned.member)
        assert member is not None
        assert member.read() == pinned.target.read_bytes()
