"""Job templates, presets and queues through boto3, and how jobs use them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.emulator import ROLE, create, ladder_settings, template_settings, wait_status
from tests.support.fakes import FakeTranscoder
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder


def preset_settings(
    width: int = 1920, height: int = 1080, bitrate: int = 5_000_000
) -> dict[str, Any]:
    output = ladder_settings()["OutputGroups"][0]["Outputs"][0]
    video = output["VideoDescription"]
    video.update(Width=width, Height=height)
    video["CodecSettings"]["H264Settings"]["Bitrate"] = bitrate
    return {
        "ContainerSettings": output["ContainerSettings"],
        "VideoDescription": video,
        "AudioDescriptions": output["AudioDescriptions"],
    }


def test_job_template_crud(mc: Any) -> None:
    created = mc.create_job_template(
        Name="ladder 1", Settings=template_settings(), Description="HLS", Category="vod", Priority=5
    )["JobTemplate"]
    assert created["Arn"] == "arn:aws:mediaconvert:us-east-1:123456789012:jobTemplates/ladder 1"
    assert created["Type"] == "CUSTOM"
    assert created["Priority"] == 5
    assert mc.get_job_template(Name="ladder 1")["JobTemplate"]["Description"] == "HLS"
    updated = mc.update_job_template(Name="ladder 1", Description="HLS v2")["JobTemplate"]
    assert updated["Description"] == "HLS v2"
    assert updated["Settings"] == created["Settings"]
    assert mc.delete_job_template(Name="ladder 1")["ResponseMetadata"]["HTTPStatusCode"] == 202
    with pytest.raises(
        mc.exceptions.NotFoundException,
        match=re.escape("The job template 'ladder 1' does not exist."),
    ):
        mc.get_job_template(Name="ladder 1")


def test_duplicate_template_is_a_conflict(mc: Any) -> None:
    mc.create_job_template(Name="t", Settings=template_settings())
    with pytest.raises(
        mc.exceptions.ConflictException, match=re.escape("A job template named 't' already exists.")
    ):
        mc.create_job_template(Name="t", Settings=template_settings())


def test_job_from_template_merges_settings_and_defaults(mc: Any) -> None:
    mc.create_job_template(
        Name="ladder", Settings=template_settings(), Priority=7, StatusUpdateInterval="SECONDS_10"
    )
    job = mc.create_job(
        Role=ROLE, JobTemplate="ladder", Settings={"Inputs": [{"FileInput": "s3://media/in/x.mp4"}]}
    )["Job"]
    assert job["JobTemplate"] == "ladder"
    assert job["Priority"] == 7
    assert job["StatusUpdateInterval"] == "SECONDS_10"
    first_input = job["Settings"]["Inputs"][0]
    assert first_input["FileInput"] == "s3://media/in/x.mp4"
    assert first_input["AudioSelectors"] == {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}}
    assert len(job["Settings"]["OutputGroups"]) == 2
    assert wait_status(mc, job["Id"], "COMPLETE")


def test_job_values_override_the_template(mc: Any) -> None:
    mc.create_job_template(Name="ladder", Settings=template_settings(), Priority=7)
    job = mc.create_job(
        Role=ROLE,
        JobTemplate="ladder",
        Priority=-3,
        Settings={
            "Inputs": [{"FileInput": "s3://media/in/x.mp4"}],
            "OutputGroups": [{"OutputGroupSettings": {"HlsGroupSettings": {"SegmentLength": 4}}}],
        },
    )["Job"]
    assert job["Priority"] == -3
    hls = job["Settings"]["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
    assert hls["SegmentLength"] == 4
    assert hls["Destination"].endswith("/hls/master")


def test_unknown_template_is_not_found(mc: Any) -> None:
    with pytest.raises(
        mc.exceptions.NotFoundException, match=re.escape("The job template 'nope' does not exist.")
    ):
        mc.create_job(
            Role=ROLE, JobTemplate="nope", Settings={"Inputs": [{"FileInput": "s3://b/k.mp4"}]}
        )


def test_preset_crud_and_required_settings(mc: Any, client: Any) -> None:
    created = mc.create_preset(Name="hd", Settings=preset_settings(), Category="web")["Preset"]
    assert created["Arn"].endswith(":presets/hd")
    assert mc.get_preset(Name="hd")["Preset"]["Settings"]["VideoDescription"]["Width"] == 1920
    assert mc.update_preset(Name="hd", Description="1080p")["Preset"]["Description"] == "1080p"
    assert [p["Name"] for p in mc.list_presets()["Presets"]] == ["hd"]
    mc.delete_preset(Name="hd")
    assert mc.list_presets()["Presets"] == []
    raw = client.post("/2017-08-29/presets", json={"name": "x"})
    assert raw.status_code == 400
    assert raw.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert raw.get_json() == {"message": "The 'settings' field is required."}


def test_outputs_take_their_preset_settings(mc: Any, transcoder: FakeTranscoder) -> None:
    mc.create_preset(Name="p720", Settings=preset_settings(1280, 720, 3_000_000))
    settings = ladder_settings(ladder=Ladder(rungs=DEFAULT_LADDER.rungs[:1]))
    settings["OutputGroups"][0]["Outputs"].append({"NameModifier": "_720p", "Preset": "p720"})
    job = create(mc, Settings=settings)
    stored = job["Settings"]["OutputGroups"][0]["Outputs"][1]
    assert stored["Preset"] == "p720"
    assert stored["VideoDescription"]["Height"] == 720
    wait_status(mc, job["Id"], "COMPLETE")
    assert [(r.name, r.height) for r in transcoder.submitted[0].ladder.rungs] == [
        ("1080p", 1080),
        ("720p", 720),
    ]


def test_unknown_preset_is_not_found(mc: Any) -> None:
    settings = ladder_settings()
    settings["OutputGroups"][0]["Outputs"][0] = {"NameModifier": "_1080p", "Preset": "missing"}
    with pytest.raises(
        mc.exceptions.NotFoundException, match=re.escape("The preset 'missing' does not exist.")
    ):
        create(mc, Settings=settings)


def test_list_templates_by_name_and_creation_with_paginator(mc: Any) -> None:
    for name in ("c", "a", "d", "b", "e"):
        mc.create_job_template(Name=name, Settings=template_settings())
    pages = list(mc.get_paginator("list_job_templates").paginate(PaginationConfig={"PageSize": 2}))
    assert [[t["Name"] for t in p["JobTemplates"]] for p in pages] == [
        ["a", "b"],
        ["c", "d"],
        ["e"],
    ]
    by_date = mc.list_job_templates(ListBy="CREATION_DATE", Order="DESCENDING")["JobTemplates"]
    assert [t["Name"] for t in by_date] == ["e", "b", "d", "a", "c"]
    assert mc.list_job_templates(ListBy="SYSTEM")["JobTemplates"] == []


def test_default_queue_exists(mc: Any) -> None:
    queue = mc.get_queue(Name="Default")["Queue"]
    assert queue["Arn"] == "arn:aws:mediaconvert:us-east-1:123456789012:queues/Default"
    assert (queue["Type"], queue["Status"], queue["PricingPlan"]) == (
        "SYSTEM",
        "ACTIVE",
        "ON_DEMAND",
    )
    with pytest.raises(mc.exceptions.BadRequestException, match="system queue"):
        mc.delete_queue(Name="Default")


def test_queue_crud_and_listing(mc: Any) -> None:
    created = mc.create_queue(Name="fast", Description="urgent", ConcurrentJobs=2)["Queue"]
    assert created["Type"] == "CUSTOM" and created["ConcurrentJobs"] == 2
    listed = mc.list_queues()
    assert [q["Name"] for q in listed["Queues"]] == ["Default", "fast"]
    # The account quota, and what the two queues (1 + 2) leave of it.
    assert listed["TotalConcurrentJobs"] == 20
    assert listed["UnallocatedConcurrentJobs"] == 17
    assert mc.update_queue(Name="fast", Status="PAUSED")["Queue"]["Status"] == "PAUSED"
    mc.delete_queue(Name="fast")
    with pytest.raises(
        mc.exceptions.NotFoundException, match=re.escape("The queue 'fast' does not exist.")
    ):
        mc.get_queue(Name="fast")


def test_job_in_named_queue_by_name_or_arn(mc: Any) -> None:
    arn = mc.create_queue(Name="other")["Queue"]["Arn"]
    by_name = create(mc, Queue="other")
    by_arn = create(mc, Queue=arn)
    assert by_name["Queue"] == by_arn["Queue"] == arn
    assert {j["Id"] for j in mc.list_jobs(Queue="other")["Jobs"]} == {by_name["Id"], by_arn["Id"]}
    with pytest.raises(
        mc.exceptions.NotFoundException, match=re.escape("The queue 'nope' does not exist.")
    ):
        create(mc, Queue="nope")


def test_queue_with_waiting_jobs_cannot_be_deleted(mc: Any) -> None:
    mc.create_queue(Name="held", Status="PAUSED")
    create(mc, Queue="held")
    with pytest.raises(
        mc.exceptions.ConflictException, match="has jobs that are SUBMITTED or PROGRESSING"
    ):
        mc.delete_queue(Name="held")


def test_queue_runs_at_most_its_concurrency(app: Any, mc: Any, transcoder: FakeTranscoder) -> None:
    transcoder.gate.clear()
    mc.create_queue(Name="pair", ConcurrentJobs=2)
    jobs = [create(mc, Queue="pair")["Id"] for _ in range(4)]
    wait_status(mc, jobs[1], "PROGRESSING")
    app.extensions["emulator"].runner.run_once()  # a pass that would start a third if it could
    statuses = [mc.get_job(Id=j)["Job"]["Status"] for j in jobs]
    assert statuses == ["PROGRESSING", "PROGRESSING", "SUBMITTED", "SUBMITTED"]
    queue = mc.get_queue(Name="pair")["Queue"]
    assert (queue["ProgressingJobsCount"], queue["SubmittedJobsCount"]) == (2, 2)
    transcoder.gate.set()
    for job_id in jobs:
        wait_status(mc, job_id, "COMPLETE")


def test_waiting_jobs_start_by_priority_then_age(mc: Any, transcoder: FakeTranscoder) -> None:
    mc.update_queue(Name="Default", Status="PAUSED")
    for name, priority in (("low", -5), ("old", 10), ("new", 10), ("plain", 0)):
        create(mc, Priority=priority, UserMetadata={"name": name})
    mc.update_queue(Name="Default", Status="ACTIVE")
    for job in mc.list_jobs()["Jobs"]:
        wait_status(mc, job["Id"], "COMPLETE")
    # Default runs one job at a time, so the backend saw them in start order.
    assert [r.user_metadata["name"] for r in transcoder.submitted] == ["old", "new", "plain", "low"]


def test_templates_presets_and_queues_survive_a_restart(make_app: Any, serve: Any) -> None:
    from tests.support.emulator import boto_client

    first = serve(make_app())
    mc = boto_client(first.url)
    mc.create_job_template(Name="t", Settings=template_settings())
    mc.create_preset(Name="p", Settings=preset_settings())
    mc.create_queue(Name="q", ConcurrentJobs=3)
    first.stop()
    mc = boto_client(serve(make_app()).url)
    assert mc.get_job_template(Name="t")["JobTemplate"]["Settings"] == template_settings()
    assert mc.get_preset(Name="p")["Preset"]["Name"] == "p"
    assert mc.get_queue(Name="q")["Queue"]["ConcurrentJobs"] == 3
    assert [q["Name"] for q in mc.list_queues()["Queues"]] == ["Default", "q"]
