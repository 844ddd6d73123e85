"""The ladder is one instance of the job model: described as a model and read back, a
ladder job is the same job."""

from dataclasses import replace
from fractions import Fraction

from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel import names
from vod_testbed.backends.jobmodel.codecs import H264, Aac, FrameCapture, Mp3
from vod_testbed.backends.jobmodel.from_ladder import ladder_job
from vod_testbed.backends.jobmodel.ladder import hls_group_ladder, ladder_request
from vod_testbed.backends.jobmodel.model import (
    AudioDescription,
    FileGroup,
    HlsGroup,
    Mp4,
    Output,
    Raw,
    VideoDescription,
)
from vod_testbed.backends.ladder import DEFAULT_LADDER, AudioSpec, MissingAudio, RotatePolicy, Rung

# The pipeline's ladder with AWS's meaning of a silent source (its OMIT policy is the
# pipeline's own, outside MediaConvert).
AWS_LADDER = replace(DEFAULT_LADDER, audio=AudioSpec(when_absent=MissingAudio.FAIL))


def _request(**changes) -> JobRequest:
    request = JobRequest.for_prefix(
        "s3://in/video/u/clip.mp4", ladder=AWS_LADDER, user_metadata={"assetId": "a1"}
    )
    return replace(request, **changes)


def test_the_four_rung_ladder_round_trips_through_the_model() -> None:
    request = _request()
    job = ladder_job(request)
    hls, thumbnails = job.output_groups
    assert isinstance(hls, HlsGroup) and isinstance(thumbnails, FileGroup)
    assert [o.name_modifier for o in hls.outputs] == ["_1080p", "_720p", "_480p", "_360p"]
    assert thumbnails.outputs[0].is_frame_capture
    assert ladder_request(job) == request


def test_a_video_only_ladder_without_thumbnails_round_trips() -> None:
    # Without audio a rung's AAC bitrate means nothing, and the model keeps none.
    rungs = tuple(replace(r, audio_bitrate=Rung.audio_bitrate) for r in AWS_LADDER.rungs)
    ladder = replace(
        AWS_LADDER, rungs=rungs, audio=None, thumbnails=None, rotate=RotatePolicy.DEGREES_90
    )
    request = _request(ladder=ladder)
    assert ladder_request(ladder_job(request)) == request


def test_a_model_the_ladder_cannot_say_is_not_a_ladder_job() -> None:
    job = ladder_job(_request())
    mp4 = Output(
        Mp4(),
        "_dl",
        video=VideoDescription(H264(), 640, 360),
        audio=(AudioDescription(Aac()),),
    )
    with_mp4 = replace(job, output_groups=(*job.output_groups, FileGroup("s3://o/f/clip", (mp4,))))
    assert ladder_request(with_mp4) is None
    hls = job.output_groups[0]
    assert isinstance(hls, HlsGroup)
    # A GOP that does not divide the segments: exact segments (EXACT) are a ladder with
    # keyframes at the boundaries too; rounded up to a GOP multiple they would not be whole
    # seconds, a valid model but not a ladder.
    first = hls.outputs[0]
    video = first.video
    assert video is not None and isinstance(video.codec, H264)
    h264 = video.codec

    def with_gop(seconds: Fraction) -> HlsGroup:
        codec = replace(h264, gop=replace(h264.gop, seconds=seconds))
        return replace(hls, outputs=(replace(first, video=replace(video, codec=codec)),))

    exact = hls_group_ladder(with_gop(Fraction(5, 2)), job.inputs[0])
    assert exact is not None and exact.exact_segments
    rounded = replace(with_gop(Fraction(5, 2)), gop_multiple_segments=True)
    assert hls_group_ladder(rounded, job.inputs[0]) is None
    ladder = hls_group_ladder(with_gop(Fraction(3, 2)), job.inputs[0])
    assert ladder is not None and ladder.gop_seconds == Fraction(3, 2)
    assert not ladder.exact_segments


def test_file_outputs_are_named_as_mediaconvert_names_them() -> None:
    mp4 = Output(Mp4(), "_dl", video=VideoDescription(H264(), 640, 360))
    assert names.file_name("clip", mp4) == "clip_dl.mp4"
    m4a = Output(Mp4(), "_audio", extension="m4a", audio=(AudioDescription(Aac()),))
    assert names.file_name("clip", m4a) == "clip_audio.m4a"
    mp3 = Output(Raw(), "", audio=(AudioDescription(Mp3()),))
    assert names.file_name("clip", mp3) == "clip.mp3"
    capture = Output(Raw(), "_thumb", video=VideoDescription(FrameCapture(), 320, 180))
    assert names.capture_pattern("clip", capture) == "clip_thumb.%07d.jpg"
