"""AWS's system presets by name, as the AWS CLI reference shows them ("list-presets --list-by
SYSTEM": ``Type`` SYSTEM, their ARNs under ``presets/``) and as jobs and templates use them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from vod_testbed.backends.mediaconvert import model
from vod_testbed.backends.mediaconvert.system_presets import source, system_presets

HD = "System-Avc_16x9_1080p_29_97fps_8500kbps"
OTT_720P = "System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_3.5Mbps"


def test_the_catalogue_names_its_source_and_every_preset_is_valid() -> None:
    assert "Export JSON" in source()
    names = [p.name for p in system_presets()]
    assert HD in names and OTT_720P in names
    for preset in system_presets():
        assert preset.name.startswith("System-")
        model.validate(model.shape("PresetSettings"), preset.settings)


def test_system_presets_are_listed_by_system_only(mc: Any) -> None:
    listed = mc.list_presets(ListBy="SYSTEM")["Presets"]
    assert {p["Name"] for p in listed} == {p.name for p in system_presets()}
    hd = next(p for p in listed if p["Name"] == HD)
    # The CLI reference's example entry for this preset.
    assert hd["Type"] == "SYSTEM"
    assert hd["Description"] == "Wifi, 1920x1080, 16:9, 29.97fps, 8500kbps"
    assert hd["Arn"] == f"arn:aws:mediaconvert:us-east-1:123456789012:presets/{HD}"
    # Listing by name shows the account's own presets.
    assert mc.list_presets()["Presets"] == []


def test_get_preset_answers_the_published_settings(mc: Any) -> None:
    settings = mc.get_preset(Name=HD)["Preset"]["Settings"]
    h264 = settings["VideoDescription"]["CodecSettings"]["H264Settings"]
    assert (settings["VideoDescription"]["Width"], settings["VideoDescription"]["Height"]) == (
        1920,
        1080,
    )
    assert (h264["RateControlMode"], h264["Bitrate"], h264["CodecProfile"]) == (
        "CBR",
        8_500_000,
        "HIGH",
    )
    assert settings["ContainerSettings"]["Container"] == "M3U8"


def test_system_presets_cannot_be_changed_or_deleted(mc: Any) -> None:
    with pytest.raises(mc.exceptions.BadRequestException, match=re.escape(f"'{HD}' is a system")):
        mc.update_preset(Name=HD, Description="mine")
    with pytest.raises(mc.exceptions.BadRequestException, match="cannot be changed or deleted"):
        mc.delete_preset(Name=HD)
    assert mc.get_preset(Name=HD)["Preset"]["Type"] == "SYSTEM"


GENERIC_720P = "System-Generic_Hd_Mp4_Avc_Aac_16x9_1280x720p_24Hz_4.5Mbps"


def test_generic_presets_are_listed_with_settings_read_from_their_names(mc: Any) -> None:
    listed = {p["Name"]: p for p in mc.list_presets(ListBy="SYSTEM")["Presets"]}
    preset = listed[GENERIC_720P]
    assert preset["Category"] == "GENERIC"
    assert "settings read from the name" in preset["Description"]
    settings = mc.get_preset(Name=GENERIC_720P)["Preset"]["Settings"]
    video = settings["VideoDescription"]
    h264 = video["CodecSettings"]["H264Settings"]
    assert (video["Width"], video["Height"]) == (1280, 720)
    assert (h264["RateControlMode"], h264["Bitrate"]) == ("CBR", 4_500_000)
    assert (h264["FramerateNumerator"], h264["FramerateDenominator"], h264["GopSize"]) == (
        24,
        1,
        48,
    )
    assert settings["ContainerSettings"]["Container"] == "MP4"


def test_any_generic_name_of_the_grammar_is_a_system_preset_on_first_use(mc: Any) -> None:
    name = "System-Generic_Uhd_Mp4_Hevc_Aac_16x9_Sdr_3840x2160p_29.97Hz_20Mbps_Qvbr_Vq8"
    preset = mc.get_preset(Name=name)["Preset"]
    assert preset["Type"] == "SYSTEM"
    h265 = preset["Settings"]["VideoDescription"]["CodecSettings"]["H265Settings"]
    assert (h265["RateControlMode"], h265["MaxBitrate"]) == ("QVBR", 20_000_000)
    assert h265["QvbrSettings"]["QvbrQualityLevel"] == 8
    assert (h265["FramerateNumerator"], h265["FramerateDenominator"]) == (30000, 1001)
    # Once made, it is listed and, like every system preset, cannot be deleted.
    assert name in {p["Name"] for p in mc.list_presets(ListBy="SYSTEM")["Presets"]}
    with pytest.raises(mc.exceptions.BadRequestException, match="cannot be changed or deleted"):
        mc.delete_preset(Name=name)


@pytest.mark.parametrize(
    "name",
    [
        "System-Generic_Hd_Mp4_Avc_Aac_16x9_99999x720p_24Hz_4.5Mbps",  # wider than any tier
        "System-Generic_Hd_Mp4_Avc_Aac_16x9_1280x720i_24Hz_4.5Mbps",  # interlaced: not read
        "System-Generic_Hd_Mov_Avc_Aac_16x9_1280x720p_24Hz_4.5Mbps",  # not MP4
        "System-Generic_Hd_Mp4_Avc_Aac_16x9_1280x720p_24Hz_4.5Mbps_Extra",
    ],
)
def test_names_outside_the_grammar_stay_unknown(mc: Any, name: str) -> None:
    with pytest.raises(mc.exceptions.NotFoundException, match="does not exist"):
        mc.get_preset(Name=name)
