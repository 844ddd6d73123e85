"""What MediaConvert refuses at CreateJob, the emulator refuses with BadRequestException:
the AAC table and the H.264 output size limit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.emulator import ROLE, ladder_settings


def refusal(mc: Any, settings: dict[str, Any]) -> str:
    with pytest.raises(mc.exceptions.BadRequestException) as caught:
        mc.create_job(Role=ROLE, Settings=settings)
    message: str = caught.value.response["Error"]["Message"]
    return message


def aac(settings: dict[str, Any], output: int) -> dict[str, Any]:
    description = settings["OutputGroups"][0]["Outputs"][output]["AudioDescriptions"][0]
    aac_settings: dict[str, Any] = description["CodecSettings"]["AacSettings"]
    return aac_settings


def test_an_aac_bitrate_below_the_table_for_its_sample_rate_is_refused(mc: Any) -> None:
    """AAC LC 2.0 at 48 kHz takes 64000 bit/s and more: "Choose a Bitrate that falls within
    the range that is supported for that sample rate" (MediaConvert user guide, "AAC output
    reference tables", CBR)."""
    settings = ladder_settings()
    aac(settings, 3)["Bitrate"] = 48_000
    assert refusal(mc, settings) == (
        "/outputGroups/0/outputs/3/audioDescriptions/0/codecSettings/aacSettings/bitrate: "
        "48000 is not a valid bitrate for AAC LC 2.0 at 48000 Hz; valid bitrates are 64000 "
        "to 576000"
    )


def test_an_aac_bitrate_the_sample_rate_cannot_carry_is_refused(mc: Any) -> None:
    """AAC LC 2.0 at 22.05 kHz allows 32000 bit/s only (user guide, "AAC output reference
    tables": "LC 2.0, 22050, 24000: 32000")."""
    settings = ladder_settings()
    for output in range(4):
        aac(settings, output)["SampleRate"] = 22_050
    assert refusal(mc, settings).endswith(
        "128000 is not a valid bitrate for AAC LC 2.0 at 22050 Hz; valid bitrates are 32000"
    )


def test_a_mono_aac_bitrate_within_its_table_row_is_accepted(mc: Any) -> None:
    """AAC LC 1.0 at 44.1 kHz allows 56000 to 256000 bit/s (user guide, "AAC output
    reference tables")."""
    settings = ladder_settings()
    for output in range(4):
        aac(settings, output).update(
            {"CodingMode": "CODING_MODE_1_0", "SampleRate": 44_100, "Bitrate": 64_000}
        )
    job = mc.create_job(Role=ROLE, Settings=settings)["Job"]
    assert job["Status"] == "SUBMITTED"


def test_an_h264_output_above_4096x2160_is_refused(mc: Any) -> None:
    """AVC (H.264) outputs go up to "4096x2160 or 2160x4096" (user guide, "Maximum supported
    output resolutions"); the service model alone allows 8192."""
    settings = ladder_settings()
    video = settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]
    video.update({"Width": 4608, "Height": 2592})
    assert refusal(mc, settings) == (
        "/outputGroups/0/outputs/0/videoDescription: 4608x2592 exceeds the maximum AVC "
        "(H.264) output resolution of 4096x2160 or 2160x4096"
    )


def test_a_portrait_h264_output_up_to_2160x4096_is_accepted(mc: Any) -> None:
    """ "4096x2160 or 2160x4096" (user guide, "Maximum supported output resolutions")."""
    settings = ladder_settings()
    video = settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]
    video.update({"Width": 2160, "Height": 4096})
    assert mc.create_job(Role=ROLE, Settings=settings)["Job"]["Status"] == "SUBMITTED"
