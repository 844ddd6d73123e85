"""The pipeline's job with MP4_DOWNLOADS on: the ladder plus one progressive MP4, as a model
both backends run, rendered as MediaConvert accepts it."""

from __future__ import annotations

from tests.support.settings_builders import INPUT, PREFIX, assert_valid_for_boto3
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.from_ladder import ladder_job
from vod_testbed.backends.jobmodel.model import FileGroup, Mp4
from vod_testbed.backends.ladder import DEFAULT_LADDER, UpscalePolicy
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings
from vod_testbed.pipeline.trigger.handler import mp4_request


def _request() -> JobRequest:
    return mp4_request(JobRequest.for_prefix(INPUT, ladder=DEFAULT_LADDER))


def test_the_job_is_the_ladder_plus_one_mp4_group_beside_hls() -> None:
    plain = JobRequest.for_prefix(INPUT, ladder=DEFAULT_LADDER)
    model = _request().model
    assert model is not None
    assert model.output_groups[:-1] == ladder_job(plain).output_groups
    group = model.output_groups[-1]
    assert isinstance(group, FileGroup)
    assert group.destination == f"{PREFIX}/mp4/master"
    (output,) = group.outputs
    assert output.name_modifier == "_720p"
    assert output.container == Mp4(moov_first=True)
    assert output.video is not None
    assert (output.video.width, output.video.height) == (1280, 720)
    assert output.video.scaling is UpscalePolicy.FIT_NO_UPSCALE
    assert len(output.audio) == 1


def test_the_mp4_group_renders_as_mediaconvert_accepts_it() -> None:
    model = _request().model
    assert model is not None
    rendered = render_model_settings(model)
    assert_valid_for_boto3(rendered)
    settings = to_wire_case(rendered)
    group = settings["outputGroups"][-1]
    assert group["outputGroupSettings"] == {
        "type": "FILE_GROUP_SETTINGS",
        "fileGroupSettings": {"destination": f"{PREFIX}/mp4/master"},
    }
    (output,) = group["outputs"]
    assert output["containerSettings"] == {
        "container": "MP4",
        "mp4Settings": {"moovPlacement": "PROGRESSIVE_DOWNLOAD"},
    }
    assert output["videoDescription"]["codecSettings"]["codec"] == "H_264"
    assert output["videoDescription"]["scalingBehavior"] == "FIT_NO_UPSCALE"
    assert output["audioDescriptions"][0]["codecSettings"]["codec"] == "AAC"
    # Read back, the settings are the same job.
    assert parse_job_settings(settings).job == model
