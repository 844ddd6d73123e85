"""Settings AWS accepts, read into the job model: any mix of output groups, file outputs,
and the defaults AWS documents for what a job leaves blank. Each test names the AWS
document it follows."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest

from tests.support.job_examples import (
    aac,
    console_mp4_job,
    file_group,
    frame_capture_job,
    frame_capture_output,
    hls_group,
    hls_with_downloads_job,
    mp4_job,
    mp4_output,
)
from vod_testbed.backends.jobmodel import names
from vod_testbed.backends.jobmodel.codecs import H264, H265, Aac, Ac3, FrameCapture, Mp3, Wav
from vod_testbed.backends.jobmodel.model import FileGroup, HlsGroup, Mp4
from vod_testbed.backends.ladder import RateControl
from vod_testbed.backends.mediaconvert.model import ValidationError, to_wire_case
from vod_testbed.backends.mediaconvert.parse import ParsedJob, parse_job_settings

SOURCE = "s3://media/in/lecture.mp4"


def parsed(settings: dict[str, Any]) -> ParsedJob:
    return parse_job_settings(to_wire_case(settings))


def only_output(job: ParsedJob, group: int = 0) -> Any:
    return job.job.output_groups[group].outputs[0]


def test_an_mp4_file_job_is_a_model_and_not_a_ladder() -> None:
    # User guide, "Example job settings": an MP4 output in a file group.
    job = parsed(mp4_job(SOURCE, "s3://media/out/"))
    assert job.ladder is None
    (group,) = job.job.output_groups
    assert isinstance(group, FileGroup)
    # FileGroupSettings.Destination (API reference): "If you do not specify the base
    # filename in the URI, the service will use the filename of the input file."
    assert group.destination == "s3://media/out/lecture"
    output = group.outputs[0]
    assert isinstance(output.container, Mp4) and output.container.moov_first
    assert output.video is not None and isinstance(output.video.codec, H264)
    assert (output.video.width, output.video.height) == (640, 360)
    assert isinstance(output.audio[0].codec, Aac)
    # Output.Extension (API reference): "MPEG-4 container, mp4".
    assert names.file_name("lecture", output) == "lecture.mp4"


def test_a_frame_capture_alone_is_a_job() -> None:
    job = parsed(frame_capture_job(SOURCE, "s3://media/out/poster"))
    output = only_output(job)
    assert output.is_frame_capture and isinstance(output.video.codec, FrameCapture)
    assert names.capture_pattern("poster", output) == "poster_thumb.%07d.jpg"


def test_hls_beside_file_outputs_keeps_every_group_in_order() -> None:
    job = parsed(hls_with_downloads_job(SOURCE, "s3://media/out"))
    hls, files = job.job.output_groups
    assert isinstance(hls, HlsGroup) and isinstance(files, FileGroup)
    assert [o.name_modifier for o in hls.outputs] == ["_720p", "_360p"]
    hevc, m4a, mp3, wav = files.outputs
    assert hevc.video is not None and isinstance(hevc.video.codec, H265)
    assert hevc.video.codec.sample_entry == "hvc1"
    # Mp4Settings.MoovPlacement (API reference): "To place the MOOV at the end of your
    # output: Choose Normal."
    assert isinstance(hevc.container, Mp4) and not hevc.container.moov_first
    # Ac3Settings.Bitrate (API reference): "coding mode 2/0: Default: 192000".
    assert hevc.audio[0].codec == Ac3(bitrate=192_000, channels=2)
    assert [names.file_name("lecture", o) for o in (m4a, mp3, wav)] == [
        "lecture_audio.m4a",
        "lecture_mp3.mp3",
        "lecture_wav.wav",
    ]
    assert isinstance(mp3.audio[0].codec, Mp3) and isinstance(wav.audio[0].codec, Wav)


def test_several_hls_groups_with_their_own_destinations() -> None:
    settings = {
        "Inputs": mp4_job(SOURCE, "s3://m/o/")["Inputs"],
        "OutputGroups": [
            hls_group("s3://media/out/a/index", ("_720p", 1280, 720, 3_000_000)),
            hls_group("s3://media/out/b/index", ("_360p", 640, 360, 800_000)),
        ],
    }
    job = parsed(settings)
    assert job.ladder is None
    assert [g.destination for g in job.job.output_groups] == [
        "s3://media/out/a/index",
        "s3://media/out/b/index",
    ]


def test_the_ladder_job_is_still_a_ladder_job() -> None:
    settings = {
        "Inputs": mp4_job(SOURCE, "s3://m/o/")["Inputs"],
        "OutputGroups": [
            hls_group("s3://media/out/hls/master", ("_720p", 1280, 720, 3_000_000)),
            file_group("s3://media/out/thumbnails/master", frame_capture_output()),
        ],
    }
    job = parsed(settings)
    assert job.ladder is not None
    assert [r.name for r in job.ladder.ladder.rungs] == ["720p"]
    assert job.ladder.ladder.thumbnails is not None


def test_aac_lc_stereo_at_44_1_khz_starts_at_64_kbps() -> None:
    # User guide, "AAC output reference tables": LC, 2.0, 44.1 kHz starts at 64000.
    settings = mp4_job(SOURCE, "s3://media/out/")
    output = settings["OutputGroups"][0]["Outputs"][0]
    output["AudioDescriptions"] = [aac(SampleRate=44100, Bitrate=64000)]
    assert only_output(parsed(settings)).audio[0].codec.bitrate == 64_000
    output["AudioDescriptions"] = [aac(SampleRate=44100, Bitrate=56000)]
    with pytest.raises(ValidationError, match="valid bitrates are 64000 to 512000"):
        parsed(settings)


def test_aac_without_a_bitrate_takes_a_default() -> None:
    # AacSettings.Bitrate (API reference): "Default values depend on Bitrate control mode
    # and Profile"; the emulator's values are in emulator/COVERAGE.md.
    settings = mp4_job(SOURCE, "s3://media/out/")
    description = settings["OutputGroups"][0]["Outputs"][0]["AudioDescriptions"][0]
    del description["CodecSettings"]["AacSettings"]["Bitrate"]
    assert only_output(parsed(settings)).audio[0].codec.bitrate == 96_000
    description["CodecSettings"]["AacSettings"]["CodingMode"] = "CODING_MODE_1_0"
    assert only_output(parsed(settings)).audio[0].codec.bitrate == 64_000


def test_h264_without_a_rate_control_mode_is_cbr_at_its_bitrate() -> None:
    # H264Settings.Bitrate (API reference): "Required for VBR and CBR"; a Bitrate with no
    # mode is read as CBR.
    settings = mp4_job(SOURCE, "s3://media/out/")
    h264 = settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["CodecSettings"]
    h264["H264Settings"] = {"Bitrate": 1_500_000}
    rate = only_output(parsed(settings)).video.codec.rate
    assert (rate.mode, rate.bitrate) == (RateControl.CBR, 1_500_000)


@pytest.mark.parametrize("size", [0.5, 1.5, 2.0])
def test_a_gop_size_in_seconds_may_be_a_decimal(size: float) -> None:
    # H264Settings.GopSize (API reference): "a whole number of frames or a decimal value of
    # seconds".
    settings = mp4_job(SOURCE, "s3://media/out/")
    settings["OutputGroups"][0]["Outputs"][0] = mp4_output(GopSize=size, GopSizeUnits="SECONDS")
    assert only_output(parsed(settings)).video.codec.gop.seconds == Fraction(str(size))


def test_a_decimal_gop_in_hls_divides_the_segments_or_adds_keyframes_at_them() -> None:
    settings = {
        "Inputs": mp4_job(SOURCE, "s3://m/o/")["Inputs"],
        "OutputGroups": [hls_group("s3://media/out/hls/index", ("_360p", 640, 360, 800_000))],
    }
    h264 = settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["CodecSettings"][
        "H264Settings"
    ]
    h264["GopSize"] = 1.5
    ladder = parsed(settings).ladder
    assert ladder is not None and ladder.ladder.gop_seconds == Fraction(3, 2)
    # A GOP that does not divide the 6 s segments (EXACT, the default): the ladder keeps
    # both, and forces keyframes at the segment boundaries too.
    h264["GopSize"] = 2.5
    ladder = parsed(settings).ladder
    assert ladder is not None
    assert (ladder.ladder.gop_seconds, ladder.ladder.segment_seconds) == (Fraction(5, 2), 6)
    assert ladder.ladder.exact_segments


def test_deinterlacer_and_noise_reducer_are_accepted_the_noise_reducer_with_a_warning() -> None:
    settings = mp4_job(SOURCE, "s3://media/out/")
    video = settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]
    video["VideoPreprocessors"] = {
        # Deinterlacer.Mode (API reference): "Default is Deinterlace."
        "Deinterlacer": {"Algorithm": "INTERPOLATE", "Control": "NORMAL"},
        "NoiseReducer": {"Filter": "SPATIAL", "SpatialFilterSettings": {"Strength": 8}},
    }
    job = parsed(settings)
    preprocessors = only_output(job).video.preprocessors
    assert (preprocessors.deinterlace, preprocessors.noise_reducer) == ("DEINTERLACE", "SPATIAL")
    assert [m for _, m in job.warnings if "noise reducer" in m]


def test_what_is_still_refused_is_refused_by_name() -> None:
    settings = mp4_job(SOURCE, "s3://media/out/")
    mov = copy.deepcopy(settings)
    mov["OutputGroups"][0]["Outputs"][0]["ContainerSettings"] = {"Container": "MOV"}
    with pytest.raises(ValidationError, match="/containerSettings/container: MOV file outputs"):
        parsed(mov)
    twice = copy.deepcopy(settings)
    twice["OutputGroups"][0]["Outputs"].append(mp4_output())
    twice["OutputGroups"][0]["Outputs"][0]["NameModifier"] = "_a"
    twice["OutputGroups"][0]["Outputs"][1]["NameModifier"] = "_a"
    with pytest.raises(ValidationError, match=r"outputs/1/nameModifier: writes .*_a\.mp4"):
        parsed(twice)


def test_an_mp4_job_as_the_console_exports_it_is_accepted() -> None:
    job = parsed(console_mp4_job(SOURCE, "s3://media/out/"))
    output = only_output(job)
    assert output.video.width is None  # no size: the source's
    assert output.video.codec.rate.mode is RateControl.CBR
    # GopSize 90 in FRAMES is emulated as 3 s (exact at 30 fps), and says so.
    assert output.video.codec.gop.seconds == 3
    assert [m for _, m in job.warnings if "90 frames" in m]
