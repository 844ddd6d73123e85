"""Jobs with clipped and stitched inputs, selected, remixed and normalised audio, watermarks,
segment modifiers, system presets and automated ABR, written from AWS's documentation
(service model; user guide, "Setting up an assembly workflow job", "Using variables in your
job settings", "Automated ABR rules"), run through boto3 on the emulator with real output.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import create, done
from tests.support.fakes import WebhookReceiver
from tests.support.inputs import (
    dominant_frequency,
    h264_output,
    hls_group,
    image,
    pixel,
    write_source,
)
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.loudness import measure
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.probe import probe
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e
OTT_720P = "System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_3.5Mbps"


@pytest.fixture
def upload(tmp_path: Path, put_clip: Callable[..., str]) -> Callable[..., str]:
    """Write a small source with :func:`write_source` and put it in this test's S3 folder."""

    def put(name: str, **kwargs: Any) -> str:
        return put_clip(write_source(tmp_path / name, **kwargs), name)

    return put


def finished(receiver: WebhookReceiver, job_id: str) -> list[dict[str, Any]]:
    return receiver.wait_for(done(job_id), timeout=180)


def complete(receiver: WebhookReceiver, job_id: str) -> dict[str, Any]:
    events = finished(receiver, job_id)
    assert events[-1]["detail"]["status"] == "COMPLETE", events[-1]["detail"]
    return events[-1]["detail"]


def fetch_variant(storage: Storage, detail: dict[str, Any], tmp_path: Path) -> Path:
    uri = detail["outputGroupDetails"][0]["outputDetails"][0]["outputFilePaths"][0]
    folder = uri.rsplit("/", 1)[0]
    playlist = tmp_path / "variant.m3u8"
    storage.fetch(uri, playlist)
    segments = [line for line in playlist.read_text().splitlines() if line.endswith(".ts")]
    joined = tmp_path / "joined.ts"
    with joined.open("wb") as out:
        for number, name in enumerate(segments):
            part = tmp_path / f"part{number}.ts"
            storage.fetch(f"{folder}/{name}", part)
            out.write(part.read_bytes())
    return joined


def test_two_inputs_each_clipped_are_stitched_into_one_ladder(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str,
    storage: Storage, tmp_path: Path,
) -> None:  # fmt: skip
    first = upload("bumper.mp4", duration_s=3)
    second = upload("feature.mp4", duration_s=4)
    settings = {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [
            {
                "FileInput": first,
                "TimecodeSource": "ZEROBASED",
                "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}},
                "InputClippings": [{"StartTimecode": "00:00:00:00", "EndTimecode": "00:00:00:29"}],
            },
            {
                "FileInput": second,
                "TimecodeSource": "ZEROBASED",
                "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}},
                "InputClippings": [
                    {"StartTimecode": "00:00:01:00", "EndTimecode": "00:00:01:29"},
                    {"StartTimecode": "00:00:03:00"},
                ],
            },
        ],
        "OutputGroups": [
            hls_group(f"{s3_prefix}/out/hls/master", h264_output("_180p")),
            {
                "Name": "File Group",
                "OutputGroupSettings": {
                    "Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": f"{s3_prefix}/out/thumbnails/master"},
                },
                "Outputs": [
                    {
                        "NameModifier": "_thumb",
                        "ContainerSettings": {"Container": "RAW"},
                        "VideoDescription": {
                            "Width": 160,
                            "Height": 90,
                            "CodecSettings": {
                                "Codec": "FRAME_CAPTURE",
                                "FrameCaptureSettings": {
                                    "FramerateNumerator": 1,
                                    "FramerateDenominator": 1,
                                    "MaxCaptures": 10,
                                    "Quality": 80,
                                },
                            },
                        },
                    }
                ],
            },
        ],
    }
    job = create(real_mc, Settings=settings)
    detail = complete(receiver, job["Id"])
    group, captures = detail["outputGroupDetails"]
    # One capture a second of the 3 s timeline: 0, 1, 2 (the last named in the event).
    (capture,) = captures["outputDetails"]
    assert capture["outputFilePaths"] == [f"{s3_prefix}/out/thumbnails/master_thumb.0000002.jpg"]
    assert storage.exists(f"{s3_prefix}/out/thumbnails/master_thumb.0000000.jpg")
    (output,) = group["outputDetails"]
    # 1 s + 1 s + 1 s of clips, as one input's output: one variant, segments from 00001.
    assert 2800 <= output["durationInMs"] <= 3200
    report = validate_hls(group["playlistFilePaths"][0], storage=storage, source_duration_s=3.0)
    assert report.ok, report.render_text()
    joined = fetch_variant(storage, detail, tmp_path)
    assert abs((probe(joined).video_duration_s or 0) - 3.0) < 0.2
    assert storage.exists(f"{s3_prefix}/out/hls/master_180p_00001.ts")


def test_an_empty_clipping_list_is_the_whole_input(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str
) -> None:
    source = upload("in.mp4", duration_s=2)
    settings = {
        "Inputs": [{"FileInput": source, "InputClippings": [], "AudioSelectors": {
            "Audio Selector 1": {"DefaultSelection": "DEFAULT"}}}],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", h264_output("_180p"))],
    }  # fmt: skip
    detail = complete(receiver, create(real_mc, Settings=settings)["Id"])
    assert 1800 <= detail["outputGroupDetails"][0]["outputDetails"][0]["durationInMs"] <= 2200


def test_a_clip_past_the_input_ends_the_job_in_error(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str
) -> None:
    source = upload("in.mp4", duration_s=1)
    settings = {
        "Inputs": [{"FileInput": source, "TimecodeSource": "ZEROBASED",
                    "InputClippings": [{"StartTimecode": "00:00:05:00"}],
                    "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}}}],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", h264_output("_180p"))],
    }  # fmt: skip
    events = finished(receiver, create(real_mc, Settings=settings)["Id"])
    error = events[-1]["detail"]
    assert (error["status"], error["errorCode"]) == ("ERROR", 1040)
    assert error["errorMessage"].startswith("Input 1: Input clip 1 starts at 00:00:05:00")


def test_audio_selected_by_language_remixed_and_normalised(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str,
    storage: Storage, tmp_path: Path,
) -> None:  # fmt: skip
    source = upload(
        "two_languages.mov", duration_s=3, tracks=((440, "eng", 2), (660, "spa", 2)), volume_db=12
    )
    output = h264_output("_180p")
    output["AudioDescriptions"][0].update(
        {
            "AudioSourceName": "Spanish",
            "AudioNormalizationSettings": {
                "Algorithm": "ITU_BS_1770_4",
                "TargetLkfs": -23,
                "LoudnessLogging": "LOG",
                "PeakCalculation": "TRUE_PEAK",
            },
            "RemixSettings": {
                "ChannelsIn": 2,
                "ChannelsOut": 2,
                "ChannelMapping": {
                    "OutputChannels": [{"InputChannels": [0, -60]}, {"InputChannels": [-60, 0]}]
                },
            },
        }
    )
    settings = {
        "Inputs": [
            {
                "FileInput": source,
                "AudioSelectors": {
                    "English": {"SelectorType": "LANGUAGE_CODE", "LanguageCode": "ENG"},
                    "Spanish": {"SelectorType": "LANGUAGE_CODE", "LanguageCode": "SPA"},
                },
            }
        ],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", output)],
    }
    detail = complete(receiver, create(real_mc, Settings=settings)["Id"])
    joined = fetch_variant(storage, detail, tmp_path)
    assert abs(measure(binary.find_ffmpeg(), joined).integrated_lkfs - -23) <= 1.0
    # The log MediaConvert writes when asked (LoudnessLogging LOG), beside the outputs.
    log = tmp_path / "loudness.csv"
    storage.fetch(f"{s3_prefix}/out/master_loudness.csv", log)
    header, row = log.read_text().splitlines()
    assert header.startswith("output,track,algorithm,integrated_lkfs,true_peak_dbtp")
    assert row.split(",")[2] == "ITU_BS_1770_4"
    assert abs(float(row.split(",")[3]) - -23) <= 0.5
    # The Spanish track's 660 Hz tone, not the English 440 Hz one.
    assert dominant_frequency(joined) == pytest.approx(660, abs=30)


def test_a_missing_language_ends_the_job_with_1021(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str
) -> None:
    source = upload("english.mov", duration_s=1, tracks=((440, "eng", 2),))
    output = h264_output("_180p")
    output["AudioDescriptions"][0]["AudioSourceName"] = "French"
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": {
            "French": {"SelectorType": "LANGUAGE_CODE", "LanguageCode": "FRA"}}}],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", output)],
    }  # fmt: skip
    error = finished(receiver, create(real_mc, Settings=settings)["Id"])[-1]["detail"]
    assert (error["status"], error["errorCode"]) == ("ERROR", 1021)
    assert "no audio track in language [FRA]" in error["errorMessage"]


def test_an_input_watermark_and_a_dt_segment_modifier(
    real_mc: Any, upload: Callable[..., str], put_clip: Callable[..., str],
    receiver: WebhookReceiver, s3_prefix: str, storage: Storage, tmp_path: Path,
) -> None:  # fmt: skip
    source = upload("in.mp4", duration_s=2)
    logo = put_clip(image(tmp_path / "logo.png"), "logo.png")
    output = h264_output("_180p")
    output["OutputSettings"] = {"HlsSettings": {"SegmentModifier": "$dt$"}}
    settings = {
        "Inputs": [
            {
                "FileInput": source,
                "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}},
                "ImageInserter": {
                    "InsertableImages": [{"ImageInserterInput": logo, "ImageX": 10, "ImageY": 10,
                                          "Opacity": 100, "Layer": 1}]
                },
            }
        ],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", output)],
    }  # fmt: skip
    detail = complete(receiver, create(real_mc, Settings=settings)["Id"])
    playlist = tmp_path / "v.m3u8"
    storage.fetch(
        detail["outputGroupDetails"][0]["outputDetails"][0]["outputFilePaths"][0], playlist
    )
    names = [line for line in playlist.read_text().splitlines() if line.endswith(".ts")]
    assert names and all(re.fullmatch(r"master_180p\d{8}T\d{6}_\d{5}\.ts", n) for n in names)
    joined = fetch_variant(storage, detail, tmp_path)
    red, green, blue = pixel(joined, 0.5, 20, 20)
    assert red > 180 and green < 80 and blue < 80


def test_a_watermark_that_is_not_an_image_ends_the_job_in_error(
    real_mc: Any, upload: Callable[..., str], put_clip: Callable[..., str],
    receiver: WebhookReceiver, s3_prefix: str, tmp_path: Path,
) -> None:  # fmt: skip
    source = upload("in.mp4", duration_s=1)
    fake = tmp_path / "logo.png"
    fake.write_text("not a picture")
    logo = put_clip(fake, "logo.png")
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": {"Audio Selector 1": {}},
                    "ImageInserter": {"InsertableImages": [
                        {"ImageInserterInput": logo, "ImageX": 0, "ImageY": 0}]}}],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", h264_output("_180p"))],
    }  # fmt: skip
    error = finished(receiver, create(real_mc, Settings=settings)["Id"])[-1]["detail"]
    assert (error["status"], error["errorCode"]) == ("ERROR", 1010)
    assert f"{logo} is not a PNG or TGA image" in error["errorMessage"]


def test_a_system_preset_in_a_job_template_runs(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str,
    storage: Storage,
) -> None:  # fmt: skip
    # As AWS's samples write it: outputs name a system preset and a NameModifier only.
    source = upload("in.mp4", duration_s=3)
    template = {
        "Inputs": [{"AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}}}],
        "OutputGroups": [
            {
                "Name": "Apple HLS",
                "OutputGroupSettings": {
                    "Type": "HLS_GROUP_SETTINGS",
                    "HlsGroupSettings": {
                        "Destination": f"{s3_prefix}/out/master",
                        "SegmentLength": 6,
                        "MinSegmentLength": 0,
                    },
                },
                "Outputs": [{"Preset": OTT_720P, "NameModifier": "_720p"}],
            }
        ],
    }
    real_mc.create_job_template(Name="system-ladder", Settings=template)
    job = create(real_mc, JobTemplate="system-ladder", Settings={"Inputs": [{"FileInput": source}]})
    detail = complete(receiver, job["Id"])
    (output,) = detail["outputGroupDetails"][0]["outputDetails"]
    assert (output["videoDetails"]["widthInPx"], output["videoDetails"]["heightInPx"]) == (
        1280,
        720,
    )
    got = real_mc.get_job(Id=job["Id"])["Job"]
    assert got["Settings"]["OutputGroups"][0]["Outputs"][0]["Preset"] == OTT_720P
    # The preset's HE-AAC is approximated, and the job says so.
    assert any("HEV1" in m for m in got["Messages"]["Warning"])
    report = validate_hls(detail["outputGroupDetails"][0]["playlistFilePaths"][0], storage=storage)
    assert report.ok, report.render_text()


def test_a_generic_system_preset_makes_the_mp4_its_name_spells(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str,
    storage: Storage, tmp_path: Path,
) -> None:  # fmt: skip
    # A Generic name outside the listed ones: its settings are read from the name on use.
    name = "System-Generic_Sd_Mp4_Avc_Aac_4x3_640x480p_25Hz_1Mbps"
    source = upload("in.mp4", duration_s=2)
    group = {
        "Name": "File Group",
        "OutputGroupSettings": {
            "Type": "FILE_GROUP_SETTINGS",
            "FileGroupSettings": {"Destination": f"{s3_prefix}/out/"},
        },
        "Outputs": [{"Preset": name, "NameModifier": "_sd"}],
    }
    audio = {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}}
    inputs = [{"FileInput": source, "AudioSelectors": audio}]
    job = create(real_mc, Settings={"Inputs": inputs, "OutputGroups": [group]})
    detail = complete(receiver, job["Id"])
    (path,) = detail["outputGroupDetails"][0]["outputDetails"][0]["outputFilePaths"]
    assert path == f"{s3_prefix}/out/in_sd.mp4"
    local = tmp_path / "out.mp4"
    storage.fetch(path, local)
    video = probe(local).video
    assert video is not None and video.codec == "h264"
    assert (video.width, video.height, video.base_rate) == (640, 480, 25)
    warnings = real_mc.get_job(Id=job["Id"])["Job"]["Messages"]["Warning"]
    assert any(f"the settings of {name} are read from its name" in w for w in warnings)


def test_automated_abr_makes_a_ladder_within_the_limits(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str
) -> None:
    source = upload("in.mp4", duration_s=2, size="640x360")
    base = h264_output("_video", width=640, height=360)
    group = hls_group(f"{s3_prefix}/out/master", base)
    group["AutomatedEncodingSettings"] = {
        "AbrSettings": {"MaxRenditions": 3, "MaxAbrBitrate": 2_000_000, "MinAbrBitrate": 300_000}
    }
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": {"Audio Selector 1": {}}}],
        "OutputGroups": [group],
    }
    job = create(real_mc, Settings=settings)
    detail = complete(receiver, job["Id"])
    outputs = detail["outputGroupDetails"][0]["outputDetails"]
    heights = [o["videoDetails"]["heightInPx"] for o in outputs]
    assert len(heights) == 3 and heights[0] == 360 and heights == sorted(heights, reverse=True)
    warnings = real_mc.get_job(Id=job["Id"])["Job"]["Messages"]["Warning"]
    assert any("deterministic ladder" in w for w in warnings)


def test_an_external_audio_file_gives_a_silent_video_its_sound(
    real_mc: Any, upload: Callable[..., str], put_clip: Callable[..., str],
    receiver: WebhookReceiver, s3_prefix: str, storage: Storage, tmp_path: Path,
) -> None:  # fmt: skip
    # "With sidecar audio files, MediaConvert ... lines up the start of the audio file with
    # the start of the video file" (user guide, "Setting up an assembly workflow job").
    video = upload("silent.mp4", duration_s=2, tracks=())
    dub = tmp_path / "dub.m4a"
    subprocess.run(
        [binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "sine=frequency=660:duration=2", "-ac", "2", "-c:a", "aac", str(dub)],
        check=True, timeout=60,
    )  # fmt: skip
    settings = {
        "Inputs": [
            {
                "FileInput": video,
                "AudioSelectors": {
                    "Audio Selector 1": {"ExternalAudioFileInput": put_clip(dub, "dub.m4a")}
                },
            }
        ],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", h264_output("_180p"))],
    }
    detail = complete(receiver, create(real_mc, Settings=settings)["Id"])
    joined = fetch_variant(storage, detail, tmp_path)
    assert probe(joined).audio is not None
    assert dominant_frequency(joined) == pytest.approx(660, abs=30)


def test_audio_by_pid_and_a_selector_group(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str,
    storage: Storage, tmp_path: Path,
) -> None:  # fmt: skip
    # ffmpeg's MPEG-TS muxer gives the video PID 256 and the audio tracks 257, 258.
    source = upload("two_tracks.ts", duration_s=2, tracks=((440, None, 2), (660, None, 2)))
    by_pid = h264_output("_pid")
    by_pid["AudioDescriptions"][0]["AudioSourceName"] = "Second"
    grouped = h264_output("_group")
    grouped["AudioDescriptions"][0]["AudioSourceName"] = "Both"
    settings = {
        "Inputs": [
            {
                "FileInput": source,
                "AudioSelectors": {
                    "First": {"Tracks": [1]},
                    "Second": {"SelectorType": "PID", "Pids": [258]},
                },
                "AudioSelectorGroups": {"Both": {"AudioSelectorNames": ["First", "Second"]}},
            }
        ],
        "OutputGroups": [
            hls_group(f"{s3_prefix}/pid/master", by_pid),
            hls_group(f"{s3_prefix}/group/master", grouped),
        ],
    }
    detail = complete(receiver, create(real_mc, Settings=settings)["Id"])
    pid_group = {**detail, "outputGroupDetails": detail["outputGroupDetails"][:1]}
    assert dominant_frequency(fetch_variant(storage, pid_group, tmp_path)) == pytest.approx(
        660, abs=30
    )
    group_dir = tmp_path / "group"
    group_dir.mkdir()
    both = {**detail, "outputGroupDetails": detail["outputGroupDetails"][1:]}
    assert probe(fetch_variant(storage, both, group_dir)).audio is not None


def test_an_output_watermark_on_the_jobs_clock(
    real_mc: Any, upload: Callable[..., str], put_clip: Callable[..., str],
    receiver: WebhookReceiver, s3_prefix: str, storage: Storage, tmp_path: Path,
) -> None:  # fmt: skip
    # Output overlays follow the output timeline (user guide, "Output timeline").
    source = upload("in.mp4", duration_s=2, timecode="01:00:00:00")
    logo = put_clip(image(tmp_path / "logo.png"), "logo.png")
    output = h264_output("_180p")
    output["VideoDescription"]["VideoPreprocessors"] = {
        "ImageInserter": {
            "InsertableImages": [{"ImageInserterInput": logo, "ImageX": 10, "ImageY": 10,
                                  "Opacity": 100, "StartTime": "00:00:01:00"}]
        }
    }  # fmt: skip
    settings = {
        "TimecodeConfig": {"Source": "ZEROBASED"},
        "Inputs": [{"FileInput": source, "AudioSelectors": {"Audio Selector 1": {}}}],
        "OutputGroups": [hls_group(f"{s3_prefix}/out/master", output)],
    }
    detail = complete(receiver, create(real_mc, Settings=settings)["Id"])
    joined = fetch_variant(storage, detail, tmp_path)
    red, green, blue = pixel(joined, 1.5, 20, 20)
    assert red > 180 and green < 80 and blue < 80
    assert pixel(joined, 0.3, 20, 20) != (red, green, blue)  # not before 00:00:01:00


def test_date_identifiers_in_a_destination_are_the_jobs_start(
    real_mc: Any, upload: Callable[..., str], receiver: WebhookReceiver, s3_prefix: str,
    storage: Storage,
) -> None:  # fmt: skip
    # "For Destination you might enter s3://amzn-s3-demo-bucket1/$d$/ ... the service will
    # create your outputs in s3://amzn-s3-demo-bucket1/20200604/" (user guide, "Using
    # variables in your job settings"); $fn$ is the input's name without its extension.
    source = upload("lecture.mp4", duration_s=1)
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": {"Audio Selector 1": {}}}],
        "OutputGroups": [hls_group(f"{s3_prefix}/$d$/$fn$/", h264_output("_180p"))],
    }
    detail = complete(receiver, create(real_mc, Settings=settings)["Id"])
    master = detail["outputGroupDetails"][0]["playlistFilePaths"][0]
    assert re.fullmatch(re.escape(s3_prefix) + r"/20\d{6}/lecture/lecture\.m3u8", master), master
    assert storage.exists(master)


def test_identifiers_a_destination_does_not_take_are_refused(real_mc: Any, s3_prefix: str) -> None:
    settings = {
        "Inputs": [
            {"FileInput": f"{s3_prefix}/in.mp4", "AudioSelectors": {"Audio Selector 1": {}}}
        ],
        "OutputGroups": [hls_group(f"{s3_prefix}/$rv$/", h264_output("_180p"))],
    }
    with pytest.raises(real_mc.exceptions.BadRequestException, match=r"\$rv\$ is not a format"):
        create(real_mc, Settings=settings)
