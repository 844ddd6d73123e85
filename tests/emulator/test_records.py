"""The emulator's typed records and their one conversion to the wire."""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.emulator import job_record
from vod_testbed.backends.job import JobStatus
from vod_testbed.emulator.records import (
    STORED_AS,
    JobRecord,
    JobTemplateRecord,
    PresetRecord,
    QueueRecord,
    WireRecord,
    wire_names,
)

RECORDS = [JobRecord, JobTemplateRecord, PresetRecord, QueueRecord]


@pytest.mark.parametrize("record_type", RECORDS, ids=lambda r: r.__name__)
def test_every_field_of_a_record_is_a_member_of_its_model_shape(
    record_type: type[WireRecord],
) -> None:
    members = wire_names(record_type.SHAPE)
    sent = [f.name for f in dataclasses.fields(record_type) if STORED_AS not in f.metadata]
    assert [name for name in sent if name not in members] == []


def test_a_job_goes_on_the_wire_in_camel_case_without_unset_members_or_bookkeeping() -> None:
    wire = job_record().to_wire()
    assert wire["statusUpdateInterval"] == "SECONDS_60"
    assert wire["userMetadata"] == {}
    assert wire["settings"] == {"inputs": [{"fileInput": "s3://in/a.mp4"}]}
    assert "errorCode" not in wire
    assert "_warnings" not in wire
    assert not [key for key in wire if "_" in key]


def test_a_stored_job_reads_back_equal_with_its_bookkeeping() -> None:
    original = job_record(error_code=1010, error_message="not a media file", status=JobStatus.ERROR)
    stored = original.to_stored()
    assert stored["_warnings"] == [[230005, "a warning"]]
    read = JobRecord.from_stored(stored)
    assert read == original
    assert read.status is JobStatus.ERROR


def test_a_queue_keeps_its_creation_order_stamp_off_the_wire() -> None:
    queue = QueueRecord(
        arn="arn:aws:mediaconvert:us-east-1:123456789012:queues/q",
        name="q",
        created_at=1,
        last_updated=1,
        created_ns=42,
    )
    assert "_createdNs" not in queue.to_wire()
    assert QueueRecord.from_stored(queue.to_stored()).created_ns == 42
