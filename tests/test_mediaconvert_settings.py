"""The ladder <-> MediaConvert Settings contract (docs/ARCHITECTURE.md, "The settings contract")."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    DEFAULT_LADDER,
    AudioSpec,
    PortraitPolicy,
    RateControl,
    ThumbnailSpec,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert.coverage import SETTINGS_COVERAGE, coverage_markdown
from vod_testbed.backends.mediaconvert.model import ValidationError, from_wire_case, to_wire_case
from vod_testbed.backends.mediaconvert.parse import EMULATION_WARNING, parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.fixtures.jobs import aws_doc_ladder_settings

INPUT = "s3://media/video/u1/2024/01/abc-1700000000-clip.mp4"
MODEL = botocore.session.get_session().get_service_model("mediaconvert")


def request(**ladder_changes: Any) -> JobRequest:
    return JobRequest.for_prefix(INPUT, ladder=replace(DEFAULT_LADDER, **ladder_changes))


def wire(req: JobRequest) -> dict[str, Any]:
    return to_wire_case(render_job_settings(req))


def assert_valid_for_boto3(settings: dict[str, Any]) -> None:
    report = ParamValidator().validate(settings, MODEL.shape_for("JobSettings"))
    assert not report.has_errors(), report.generate_report()


# The job as AWS's documentation writes it (mediaconvert-wire.md section 6), boto3 form.
AWS_DOC_SETTINGS: dict[str, Any] = aws_doc_ladder_settings()


# --- render -------------------------------------------------------------------------------


def test_render_default_ladder_field_by_field() -> None:
    req = JobRequest.for_prefix(INPUT)
    settings = render_job_settings(req)
    assert_valid_for_boto3(settings)

    (source,) = settings["Inputs"]
    assert source["FileInput"] == INPUT
    assert list(source["AudioSelectors"]) == ["Audio Selector 1"]
    assert source["VideoSelector"]["Rotate"] == "AUTO"

    hls_group, file_group = settings["OutputGroups"]
    assert hls_group["OutputGroupSettings"]["Type"] == "HLS_GROUP_SETTINGS"
    hls = hls_group["OutputGroupSettings"]["HlsGroupSettings"]
    assert hls["Destination"] == (
        "s3://media/video/u1/2024/01/abc-1700000000-clip_processed/hls/master"
    )
    assert hls["SegmentLength"] == 6
    assert hls["SegmentControl"] == "SEGMENTED_FILES"
    assert hls["DirectoryStructure"] == "SINGLE_DIRECTORY"
    assert hls["ManifestDurationFormat"] == "FLOATING_POINT"
    assert hls["OutputSelection"] == "MANIFESTS_AND_SEGMENTS"

    expected = [
        ("_1080p", 1920, 1080, 5_000_000, 128_000),
        ("_720p", 1280, 720, 3_000_000, 128_000),
        ("_480p", 854, 480, 1_500_000, 96_000),
        ("_360p", 640, 360, 800_000, 64_000),
    ]
    assert len(hls_group["Outputs"]) == 4
    for output, (modifier, width, height, bitrate, aac_bitrate) in zip(
        hls_group["Outputs"], expected, strict=True
    ):
        assert output["NameModifier"] == modifier
        assert output["ContainerSettings"]["Container"] == "M3U8"
        video = output["VideoDescription"]
        assert (video["Width"], video["Height"]) == (width, height)
        assert video["ScalingBehavior"] == "DEFAULT"
        assert video["CodecSettings"]["Codec"] == "H_264"
        h264 = video["CodecSettings"]["H264Settings"]
        assert h264["RateControlMode"] == "VBR"
        assert h264["Bitrate"] == bitrate
        assert h264["MaxBitrate"] == round(bitrate * 1.07)
        assert h264["CodecProfile"] == "HIGH"
        assert (h264["GopSize"], h264["GopSizeUnits"]) == (2.0, "SECONDS")
        (audio,) = output["AudioDescriptions"]
        assert audio["AudioSourceName"] == "Audio Selector 1"
        assert audio["CodecSettings"]["Codec"] == "AAC"
        aac = audio["CodecSettings"]["AacSettings"]
        assert aac == {
            "Bitrate": aac_bitrate,
            "CodingMode": "CODING_MODE_2_0",
            "SampleRate": 48_000,
            "CodecProfile": "LC",
            "RateControlMode": "CBR",
        }

    assert file_group["OutputGroupSettings"]["Type"] == "FILE_GROUP_SETTINGS"
    assert file_group["OutputGroupSettings"]["FileGroupSettings"]["Destination"].endswith(
        "clip_processed/thumbnails/master"
    )
    (capture,) = file_group["Outputs"]
    assert capture["NameModifier"] == "_thumb"
    assert capture["Extension"] == "jpg"
    assert capture["ContainerSettings"] == {"Container": "RAW"}
    assert (capture["VideoDescription"]["Width"], capture["VideoDescription"]["Height"]) == (
        1280,
        720,
    )
    codec = capture["VideoDescription"]["CodecSettings"]
    assert codec["Codec"] == "FRAME_CAPTURE"
    assert codec["FrameCaptureSettings"] == {
        "FramerateNumerator": 1,
        "FramerateDenominator": 10,
        "MaxCaptures": 10_000,
        "Quality": 80,
    }


def test_render_qvbr_and_cbr_rungs() -> None:
    qvbr = replace(DEFAULT_LADDER.rungs[0], rate_control=RateControl.QVBR, qvbr_quality=8)
    cbr = replace(DEFAULT_LADDER.rungs[1], rate_control=RateControl.CBR)
    settings = render_job_settings(request(rungs=(qvbr, cbr)))
    assert_valid_for_boto3(settings)
    first, second = (
        o["VideoDescription"]["CodecSettings"]["H264Settings"]
        for o in settings["OutputGroups"][0]["Outputs"]
    )
    assert first["RateControlMode"] == "QVBR"
    assert first["MaxBitrate"] == qvbr.max_bitrate
    assert first["QvbrSettings"] == {"QvbrQualityLevel": 8}
    assert "Bitrate" not in first
    assert second["RateControlMode"] == "CBR"
    assert second["Bitrate"] == 3_000_000
    assert "MaxBitrate" not in second


def test_render_drop_policy_is_fit_no_upscale() -> None:
    settings = render_job_settings(request(upscale=UpscalePolicy.DROP))
    behaviours = {
        o["VideoDescription"]["ScalingBehavior"] for o in settings["OutputGroups"][0]["Outputs"]
    }
    assert behaviours == {"FIT_NO_UPSCALE"}


def test_render_resolves_policies_with_the_source_size() -> None:
    req = request(upscale=UpscalePolicy.DROP, portrait=PortraitPolicy.ROTATE_BOX)
    with pytest.raises(ValueError, match="ROTATE_BOX"):
        render_job_settings(req)
    # A 720x1280 portrait phone video: rotated boxes, nothing above 720x1280.
    settings = render_job_settings(req, source_size=(720, 1280))
    outputs = settings["OutputGroups"][0]["Outputs"]
    boxes = [(o["VideoDescription"]["Width"], o["VideoDescription"]["Height"]) for o in outputs]
    assert [o["NameModifier"] for o in outputs] == ["_720p", "_480p", "_360p"]
    assert boxes == [(720, 1280), (480, 854), (360, 640)]
    capture = settings["OutputGroups"][1]["Outputs"][0]["VideoDescription"]
    assert (capture["Width"], capture["Height"]) == (720, 1280)
    parsed = parse_job_settings(to_wire_case(settings)).request.ladder
    assert [(r.name, r.width, r.height) for r in parsed.rungs] == [
        ("720p", 720, 1280),
        ("480p", 480, 854),
        ("360p", 360, 640),
    ]
    assert parsed.upscale is UpscalePolicy.DROP


# --- round trips --------------------------------------------------------------------------


def _qvbr(rung: Any) -> Any:
    return replace(rung, rate_control=RateControl.QVBR, qvbr_quality=7)


ROUND_TRIPS: dict[str, Callable[[], JobRequest]] = {
    "default": lambda: JobRequest.for_prefix(INPUT, user_metadata={"videoId": "v-1"}),
    "drop": lambda: request(upscale=UpscalePolicy.DROP),
    "cbr": lambda: request(
        rungs=tuple(replace(r, rate_control=RateControl.CBR) for r in DEFAULT_LADDER.rungs)
    ),
    "qvbr": lambda: request(rungs=tuple(_qvbr(r) for r in DEFAULT_LADDER.rungs)),
    "qvbr-no-level": lambda: request(
        rungs=(replace(DEFAULT_LADDER.rungs[0], rate_control=RateControl.QVBR),)
    ),
    "vbr-explicit-peak": lambda: request(
        rungs=(replace(DEFAULT_LADDER.rungs[0], peak_bitrate=6_000_000, profile="main"),)
    ),
    "no-thumbnails": lambda: request(thumbnails=None),
    "integer-durations": lambda: request(integer_durations=True, segment_seconds=4),
    "mono-44k": lambda: request(audio=AudioSpec(channels=1, sample_rate=44_100)),
    "thumbs-custom": lambda: request(
        thumbnails=ThumbnailSpec(
            interval_s=5, width=640, height=360, quality=60, name_modifier="", max_captures=20
        )
    ),
    "gop-3": lambda: request(segment_seconds=6, gop_seconds=3),
    # Settings carry no AAC bitrate for video-only outputs: rungs read back with the default.
    "video-only": lambda: request(
        audio=None,
        rungs=tuple(replace(r, audio_bitrate=128_000) for r in DEFAULT_LADDER.rungs),
    ),
}


def test_outputs_without_audio_descriptions_make_a_video_only_ladder() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    for output in settings["outputGroups"][0]["outputs"]:
        output.pop("audioDescriptions")
    settings["inputs"][0].pop("audioSelectors")
    parsed = parse_job_settings(settings)
    assert parsed.request.ladder.audio is None
    assert [r.name for r in parsed.request.ladder.rungs] == ["1080p", "720p", "480p", "360p"]


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_round_trip_gives_the_same_request(name: str) -> None:
    req = ROUND_TRIPS[name]()
    settings = render_job_settings(req)
    assert_valid_for_boto3(settings)
    parsed = parse_job_settings(to_wire_case(settings), user_metadata=req.user_metadata)
    assert parsed.request == req
    assert parsed.warnings == ()


def test_case_conversion_is_driven_by_the_model() -> None:
    settings = render_job_settings(JobRequest.for_prefix(INPUT))
    converted = to_wire_case(settings)
    source = converted["inputs"][0]
    assert source["audioSelectors"] == {"Audio Selector 1": {"defaultSelection": "DEFAULT"}}
    h264 = converted["outputGroups"][0]["outputs"][0]["videoDescription"]["codecSettings"]
    assert "h264Settings" in h264
    assert "m3u8Settings" in converted["outputGroups"][0]["outputs"][0]["containerSettings"]
    assert from_wire_case(converted) == settings
    job = to_wire_case({"UserMetadata": {"AssetId": "x"}, "Settings": settings}, "Job")
    assert job["userMetadata"] == {"AssetId": "x"}


def test_trailing_slash_destination_takes_the_input_name() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    settings["outputGroups"][0]["outputGroupSettings"]["hlsGroupSettings"]["destination"] = (
        "s3://out/hls/"
    )
    parsed = parse_job_settings(settings)
    assert parsed.request.hls_destination == "s3://out/hls/abc-1700000000-clip"


# --- the job as AWS documents it ----------------------------------------------------------


def test_the_aws_documentation_job_parses() -> None:
    assert_valid_for_boto3(AWS_DOC_SETTINGS)
    parsed = parse_job_settings(to_wire_case(AWS_DOC_SETTINGS), user_metadata={"assetId": "a"})
    req = parsed.request
    assert parsed.warnings == ()
    assert req.input_uri == "s3://bucket/path/input/source.mp4"
    assert req.hls_destination == "s3://bucket/path/hls/master"
    assert req.thumbnail_destination == "s3://bucket/path/thumbnails/master"
    assert req.user_metadata == {"assetId": "a"}
    ladder = req.ladder
    assert [(r.name, r.width, r.height) for r in ladder.rungs] == [
        ("1080p", 1920, 1080),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    assert [r.rate_control for r in ladder.rungs] == [RateControl.QVBR] * 4
    assert [r.max_bitrate for r in ladder.rungs] == [5_000_000, 3_000_000, 1_500_000, 800_000]
    assert [r.qvbr_quality for r in ladder.rungs] == [8, 7, 7, 7]
    assert [r.profile for r in ladder.rungs] == ["high", "high", "main", "main"]
    assert [r.audio_bitrate for r in ladder.rungs] == [128_000, 128_000, 96_000, 64_000]
    assert (ladder.segment_seconds, ladder.gop_seconds) == (6, 2)
    assert ladder.audio == AudioSpec(channels=2, sample_rate=48_000)
    assert ladder.thumbnails == ThumbnailSpec(
        interval_s=10, width=1280, height=720, quality=80, name_modifier="_thumb", max_captures=100
    )
    assert ladder.upscale is UpscalePolicy.UPSCALE


def test_encoder_internals_are_accepted_and_change_nothing() -> None:
    base = wire(JobRequest.for_prefix(INPUT))
    tuned = copy.deepcopy(base)
    output = tuned["outputGroups"][0]["outputs"][0]
    h264 = output["videoDescription"]["codecSettings"]["h264Settings"]
    h264.update(
        {
            "qualityTuningLevel": "MULTI_PASS_HQ",
            "sceneChangeDetect": "DISABLED",
            "numberBFramesBetweenReferenceFrames": 3,
            "adaptiveQuantization": "HIGH",
        }
    )
    output["containerSettings"]["m3u8Settings"] = {"pcrControl": "PCR_EVERY_PES_PACKET"}
    output["videoDescription"]["sharpness"] = 50
    tuned["outputGroups"][0]["outputGroupSettings"]["hlsGroupSettings"]["destinationSettings"] = {
        "s3Settings": {"accessControl": {"cannedAcl": "PUBLIC_READ"}}
    }
    assert parse_job_settings(tuned).request == parse_job_settings(base).request


# --- refusals -----------------------------------------------------------------------------


def _hls(s: dict[str, Any]) -> dict[str, Any]:
    hls: dict[str, Any] = s["outputGroups"][0]["outputGroupSettings"]["hlsGroupSettings"]
    return hls


def _out(s: dict[str, Any], i: int = 0) -> dict[str, Any]:
    output: dict[str, Any] = s["outputGroups"][0]["outputs"][i]
    return output


def _h264(s: dict[str, Any], i: int = 0) -> dict[str, Any]:
    h264: dict[str, Any] = _out(s, i)["videoDescription"]["codecSettings"]["h264Settings"]
    return h264


def _aac(s: dict[str, Any], i: int = 0) -> dict[str, Any]:
    aac: dict[str, Any] = _out(s, i)["audioDescriptions"][0]["codecSettings"]["aacSettings"]
    return aac


def _mp4_group(s: dict[str, Any]) -> None:
    s["outputGroups"].append(
        {
            "outputGroupSettings": {
                "type": "FILE_GROUP_SETTINGS",
                "fileGroupSettings": {"destination": "s3://out/mp4/clip"},
            },
            "outputs": [copy.deepcopy(_out(s)) | {"containerSettings": {"container": "MP4"}}],
        }
    )


def _extra_group(kind: str) -> Callable[[dict[str, Any]], None]:
    def mutate(s: dict[str, Any]) -> None:
        group = copy.deepcopy(s["outputGroups"][0])
        group["outputGroupSettings"]["type"] = kind
        s["outputGroups"].append(group)

    return mutate


REFUSALS: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    (
        "mp4-file-output",
        _mp4_group,
        "/outputGroups/2/outputs/0/containerSettings/container",
        "MP4 file outputs are not supported by the emulator",
    ),
    (
        "dash-group",
        _extra_group("DASH_ISO_GROUP_SETTINGS"),
        "/outputGroups/2/outputGroupSettings/type",
        "DASH_ISO_GROUP_SETTINGS output groups are not supported",
    ),
    (
        "cmaf-group",
        _extra_group("CMAF_GROUP_SETTINGS"),
        "/outputGroups/2/outputGroupSettings/type",
        "CMAF_GROUP_SETTINGS output groups are not supported",
    ),
    (
        "two-hls-groups",
        _extra_group("HLS_GROUP_SETTINGS"),
        "/outputGroups/2",
        "only one HLS output group",
    ),
    (
        "two-inputs",
        lambda s: s["inputs"].append(copy.deepcopy(s["inputs"][0])),
        "/inputs",
        "exactly one input",
    ),
    (
        "input-clipping",
        lambda s: s["inputs"][0].update({"inputClippings": [{"startTimecode": "00:00:01:00"}]}),
        "/inputs/0/inputClippings",
        "not supported by the emulator",
    ),
    (
        "http-input",
        lambda s: s["inputs"][0].update({"fileInput": "https://example.com/a.mp4"}),
        "/inputs/0/fileInput",
        "only s3://",
    ),
    (
        "host-path-input",
        lambda s: s["inputs"][0].update({"fileInput": "/etc/passwd"}),
        "/inputs/0/fileInput",
        "'/etc/passwd' does not match",
    ),
    (
        "http-input",
        lambda s: s["inputs"][0].update({"fileInput": "https://example.com/clip.mp4"}),
        "/inputs/0/fileInput",
        "only s3://",
    ),
    (
        "captions",
        lambda s: _out(s).update({"captionDescriptions": [{"captionSelectorName": "c"}]}),
        "/outputGroups/0/outputs/0/captionDescriptions",
        "not supported by the emulator",
    ),
    (
        "drm",
        lambda s: _hls(s).update({"encryption": {"encryptionMethod": "AES128"}}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/encryption",
        "not supported by the emulator",
    ),
    (
        "single-file",
        lambda s: _hls(s).update({"segmentControl": "SINGLE_FILE"}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/segmentControl",
        "'SINGLE_FILE' is not supported",
    ),
    (
        "subdirectories",
        lambda s: _hls(s).update({"directoryStructure": "SUBDIRECTORY_PER_STREAM"}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/directoryStructure",
        "'SUBDIRECTORY_PER_STREAM' is not supported",
    ),
    (
        "unknown-key",
        lambda s: _hls(s).update({"fooBar": 1}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/fooBar",
        "fooBar is not a member of HlsGroupSettings in MediaConvert's API",
    ),
    (
        "h265",
        lambda s: _out(s)["videoDescription"]["codecSettings"].update({"codec": "H_265"}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/codec",
        "'H_265' is not supported",
    ),
    (
        "stretch",
        lambda s: _out(s)["videoDescription"].update({"scalingBehavior": "STRETCH_TO_OUTPUT"}),
        "/outputGroups/0/outputs/0/videoDescription/scalingBehavior",
        "'STRETCH_TO_OUTPUT' is not supported",
    ),
    (
        "mixed-scaling",
        lambda s: _out(s, 1)["videoDescription"].update({"scalingBehavior": "FIT_NO_UPSCALE"}),
        "/outputGroups/0/outputs/1/videoDescription/scalingBehavior",
        "same scalingBehavior",
    ),
    (
        "odd-width",
        lambda s: _out(s)["videoDescription"].update({"width": 853}),
        "/outputGroups/0/outputs/0/videoDescription/width",
        "must be even",
    ),
    (
        "tiny-width",
        lambda s: _out(s)["videoDescription"].update({"width": 16}),
        "/outputGroups/0/outputs/0/videoDescription/width",
        "16 is less than the minimum of 32",
    ),
    (
        "no-box",
        lambda s: _out(s)["videoDescription"].pop("height"),
        "/outputGroups/0/outputs/0/videoDescription",
        "height is required by the emulator",
    ),
    (
        "profile-10bit",
        lambda s: _h264(s).update({"codecProfile": "HIGH_10BIT"}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/codecProfile",
        "'HIGH_10BIT' is not supported",
    ),
    (
        "qvbr-level-11",
        lambda s: _h264(s).update(
            {"rateControlMode": "QVBR", "qvbrSettings": {"qvbrQualityLevel": 11}}
        ),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/qvbrSettings/qvbrQualityLevel",
        "11 is greater than the maximum of 10",
    ),
    (
        "qvbr-without-cap",
        lambda s: (_h264(s).update({"rateControlMode": "QVBR"}), _h264(s).pop("maxBitrate")),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings",
        "maxBitrate is required when rateControlMode is QVBR",
    ),
    (
        "cbr-without-bitrate",
        lambda s: (_h264(s).update({"rateControlMode": "CBR"}), _h264(s).pop("bitrate")),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings",
        "bitrate is required when rateControlMode is CBR",
    ),
    (
        "gop-not-dividing-segment",
        lambda s: [_h264(s, i).update({"gopSize": 4.0}) for i in range(4)],
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/gopSize",
        "a 4 s GOP must divide segmentLength (6 s)",
    ),
    (
        "gop-differs-between-outputs",
        lambda s: _h264(s, 2).update({"gopSize": 3.0}),
        "/outputGroups/0/outputs/2/videoDescription/codecSettings/h264Settings/gopSize",
        "the same GOP",
    ),
    (
        "fractional-gop",
        lambda s: _h264(s).update({"gopSize": 1.5}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/gopSize",
        "whole seconds",
    ),
    (
        "missing-modifier",
        lambda s: _out(s, 1).pop("nameModifier"),
        "/outputGroups/0/outputs/1",
        "nameModifier is required when the group has several outputs",
    ),
    (
        "modifier-without-underscore",
        lambda s: _out(s).update({"nameModifier": "1080p"}),
        "/outputGroups/0/outputs/0/nameModifier",
        "'_<rung name>'",
    ),
    (
        "duplicate-modifier",
        lambda s: _out(s, 1).update({"nameModifier": "_1080p"}),
        "/outputGroups/0/outputs/1/nameModifier",
        "used by another output",
    ),
    (
        "format-identifier",
        lambda s: _out(s).update({"nameModifier": "_$h$p"}),
        "/outputGroups/0/outputs/0/nameModifier",
        "format identifiers",
    ),
    (
        "audio-in-some-outputs-only",
        lambda s: _out(s).pop("audioDescriptions"),
        "/outputGroups/0/outputs/1/audioDescriptions",
        "needs audio, or none does",
    ),
    (
        "input-without-audio-selectors",
        lambda s: s["inputs"][0].pop("audioSelectors"),
        "/outputGroups/0/outputs/0/audioDescriptions/0/audioSourceName",
        "does not name an audio selector",
    ),
    (
        "aac-bitrate-off-the-list",
        lambda s: _aac(s).update({"bitrate": 100_000}),
        "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/aacSettings/bitrate",
        "100000 is not a valid AAC bitrate",
    ),
    (
        "aac-5-1",
        lambda s: _aac(s).update({"codingMode": "CODING_MODE_5_1"}),
        "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/aacSettings/codingMode",
        "'CODING_MODE_5_1' is not supported",
    ),
    (
        "mixed-sample-rates",
        lambda s: _aac(s, 3).update({"sampleRate": 44_100}),
        "/outputGroups/0/outputs/3/audioDescriptions/0/codecSettings/aacSettings",
        "must be the same in every output",
    ),
    (
        "no-rate-control-mode",
        lambda s: _h264(s).pop("rateControlMode"),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings",
        "rateControlMode is required",
    ),
    (
        "no-aac-bitrate",
        lambda s: _aac(s).pop("bitrate"),
        "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/aacSettings",
        "bitrate is required",
    ),
    (
        "negative-gop",
        lambda s: _h264(s).update({"gopSize": -2.0}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/gopSize",
        "a positive gopSize",
    ),
    (
        "mp3-audio",
        lambda s: _out(s)["audioDescriptions"][0]["codecSettings"].update({"codec": "MP3"}),
        "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/codec",
        "'MP3' is not supported",
    ),
    (
        "fractional-capture-interval",
        lambda s: s["outputGroups"][1]["outputs"][0]["videoDescription"]["codecSettings"][
            "frameCaptureSettings"
        ].update({"framerateNumerator": 3}),
        "/outputGroups/1/outputs/0/videoDescription/codecSettings/frameCaptureSettings",
        "whole-second intervals",
    ),
    (
        "no-hls-group",
        lambda s: s["outputGroups"].pop(0),
        "/outputGroups",
        "an HLS output group is required",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [pytest.param(m, p, f, id=name) for name, m, p, f in REFUSALS],
)
def test_settings_it_cannot_honour_are_refused_by_path(
    mutate: Callable[[dict[str, Any]], Any], path: str, fragment: str
) -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    mutate(settings)
    with pytest.raises(ValidationError) as caught:
        parse_job_settings(settings)
    assert caught.value.path == path
    assert fragment in caught.value.message
    assert str(caught.value) == f"{path}: {caught.value.message}"


# --- warnings -----------------------------------------------------------------------------


def test_frames_gop_is_converted_with_a_warning() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    for i in range(4):
        _h264(settings, i).update({"gopSize": 60.0, "gopSizeUnits": "FRAMES"})
    parsed = parse_job_settings(settings)
    assert parsed.request.ladder.gop_seconds == 2
    assert len(parsed.warnings) == 4
    code, message = parsed.warnings[0]
    assert code == EMULATION_WARNING
    assert message.startswith("/outputGroups/0/outputs/0/videoDescription/codecSettings/")
    assert "60 frames" in message


def test_approximated_rate_settings_warn() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    _h264(settings, 0).pop("maxBitrate")  # VBR without a cap
    _h264(settings, 1).update(
        {"rateControlMode": "QVBR", "qvbrSettings": {"qvbrQualityLevel": 7}}
    )  # keeps bitrate, which QVBR does not use
    parsed = parse_job_settings(settings)
    messages = [m for _, m in parsed.warnings]
    assert any("VBR without maxBitrate" in m for m in messages)
    assert any(m.endswith("bitrate has no effect with QVBR; maxBitrate caps") for m in messages)
    assert parsed.request.ladder.rungs[0].peak_bitrate is None


# --- the coverage table -------------------------------------------------------------------


def test_coverage_table_names_real_settings_and_values() -> None:
    for shape_name, members in SETTINGS_COVERAGE.items():
        shape = MODEL.shape_for(shape_name)
        by_wire = {m[0].lower() + m[1:]: m for m in shape.members}
        assert set(members) <= set(by_wire), (shape_name, set(members) - set(by_wire))
        for wire_name, cov in members.items():
            enum = shape.members[by_wire[wire_name]].metadata.get("enum")
            if enum and cov.values is not None:
                assert cov.values <= set(enum), (shape_name, wire_name)


def test_coverage_markdown_lists_every_entry() -> None:
    table = coverage_markdown()
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == sum(len(m) for m in SETTINGS_COVERAGE.values())
    assert "| H264Settings | `qualityTuningLevel` | ignored |" in table


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"audio": AudioSpec(channels=6)}, "6 audio channels"),
        ({"audio": AudioSpec(sample_rate=47_000)}, "47000 Hz"),
        ({"audio": AudioSpec(codec="opus")}, "only AAC LC"),
        (
            {"rungs": (replace(DEFAULT_LADDER.rungs[0], audio_bitrate=100_000),)},
            "100000 is not an AAC bitrate",
        ),
        ({"rungs": (replace(DEFAULT_LADDER.rungs[0], profile="high10"),)}, "profile 'high10'"),
    ],
)
def test_render_refuses_what_mediaconvert_cannot_encode(
    changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        render_job_settings(request(**changes))
