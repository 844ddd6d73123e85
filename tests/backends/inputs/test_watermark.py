"""Image insertion as the service model documents ``InsertableImage`` (position, opacity
default 50, start timecode, duration including the fade-in, PNG or TGA only)."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import ffmpeg
import pytest

from tests.support.inputs import image, pixel, write_source
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.watermark import check_image, image_window, overlaid
from vod_testbed.backends.jobmodel.inputs import InsertedImage
from vod_testbed.backends.mediaconvert.coverage import SettingsError
from vod_testbed.backends.mediaconvert.parse_inputs import images as images_of
from vod_testbed.common import errors


def test_defaults_follow_the_service_model() -> None:
    (image,) = images_of(
        {"insertableImages": [{"imageInserterInput": "s3://b/l.png", "imageX": 5, "imageY": 6}]},
        "/x",
    )
    assert image == InsertedImage(uri="s3://b/l.png", x=5, y=6, opacity=50)
    assert image_window(image, Fraction(30)) == (0.0, None)
    # Duration includes the fade-in but not the fade-out.
    timed = InsertedImage(
        "s3://b/l.png", 0, 0, start="00:00:01:00", duration_ms=2000, fade_out_ms=500
    )
    assert image_window(timed, Fraction(25)) == (1.0, 3.5)


def test_layers_are_stacked_bottom_first() -> None:
    images = images_of(
        {"insertableImages": [
            {"imageInserterInput": "s3://b/top.png", "imageX": 0, "imageY": 0, "layer": 9},
            {"imageInserterInput": "s3://b/bottom.png", "imageX": 0, "imageY": 0, "layer": 1},
        ]},
        "/x",
    )  # fmt: skip
    assert [i.uri for i in images] == ["s3://b/bottom.png", "s3://b/top.png"]


def test_an_opaque_image_is_laid_over_its_window_only(tmp_path: Path) -> None:
    source = write_source(tmp_path / "in.mp4", duration_s=2, tracks=())
    logo = image(tmp_path / "logo.png")
    assert check_image(logo, "s3://b/logo.png") == "png"
    inserted = InsertedImage("s3://b/logo.png", x=10, y=10, opacity=100, start="00:00:01:00")
    video = overlaid(ffmpeg.input(str(source))["v:0"], [(inserted, logo)], rate=Fraction(30))
    out = tmp_path / "out.mp4"
    argv = ffmpeg.output(
        video, str(out), **{"c:v": "libx264", "preset": "ultrafast", "qp": "0"}
    ).compile(cmd=binary.find_ffmpeg(), overwrite_output=True)
    subprocess.run(argv, check=True, capture_output=True, timeout=120)
    red, green, blue = pixel(out, 1.5, 20, 20)
    assert red > 200 and green < 60 and blue < 60
    assert pixel(out, 0.2, 20, 20) != (red, green, blue)  # not before its start time


def test_tga_images_are_accepted(tmp_path: Path) -> None:
    assert check_image(image(tmp_path / "logo.tga"), "s3://b/logo.tga") == "tga"


@pytest.mark.parametrize(
    "content", [b"not an image at all", b"\x89PNG\r\n\x1a\n truncated", b"\xff\xd8\xff\xe0jpeg"]
)
def test_what_is_not_a_png_or_tga_image_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(content)
    with pytest.raises(errors.TranscodeError) as caught:
        check_image(path, "s3://b/logo.png")
    assert caught.value.code == errors.INPUT_ERROR
    assert "s3://b/logo.png is not a PNG or TGA image" in caught.value.message


def test_settings_name_what_an_image_lacks() -> None:
    with pytest.raises(SettingsError, match="imageY is required"):
        images_of({"insertableImages": [{"imageInserterInput": "s3://b/l.png", "imageX": 1}]}, "/i")
    with pytest.raises(SettingsError, match="must be a PNG or TGA file"):
        images_of(
            {
                "insertableImages": [
                    {"imageInserterInput": "s3://b/l.jpg", "imageX": 1, "imageY": 1}
                ]
            },
            "/i",
        )
