"""The emulator's state as typed records, and their one conversion to and from the wire.

A record's fields are the members of its MediaConvert shape (``Job``, ``Queue``, ``Preset``,
``JobTemplate``) in snake_case; nested values (``settings``, ``timing``, ``messages`` ...)
stay in wire form, as the API received or will send them. :meth:`WireRecord.to_wire` names
each field as the service model does (its ``locationName``) and leaves out unset ones and the
emulator's own bookkeeping, which only :meth:`WireRecord.to_stored` keeps.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from botocore.model import StructureShape

from vod_testbed.backends.job import JobStatus
from vod_testbed.backends.mediaconvert.model import shape, wire_name

DEFAULT_STATUS_UPDATE_INTERVAL = "SECONDS_60"
# The metadata key of a field that is bookkeeping: stored under this key, never on the wire.
STORED_AS = "stored_as"


def snake_case(member: str) -> str:
    """``StatusUpdateInterval`` -> ``status_update_interval``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", member).lower()


@functools.cache
def wire_names(shape_name: str) -> dict[str, str]:
    """snake_case field name -> wire name, for every member of a model shape."""
    structure = shape(shape_name)
    assert isinstance(structure, StructureShape)
    members = structure.members
    return {snake_case(m): wire_name(m, s) for m, s in members.items()}


@dataclass(kw_only=True)
class WireRecord:
    """A record of one model shape (:attr:`SHAPE`)."""

    SHAPE: ClassVar[str]

    def to_wire(self) -> dict[str, Any]:
        """The record as the API sends it: camelCase, unset members and bookkeeping left out."""
        names = wire_names(self.SHAPE)
        return {
            names[f.name]: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if STORED_AS not in f.metadata and getattr(self, f.name) is not None
        }

    def to_stored(self) -> dict[str, Any]:
        """The wire form plus the bookkeeping: what the store writes."""
        stored = self.to_wire()
        for f in dataclasses.fields(self):
            if STORED_AS in f.metadata:
                stored[f.metadata[STORED_AS]] = getattr(self, f.name)
        return stored

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Self:
        """Read back what :meth:`to_stored` wrote (keys no field has are ignored)."""
        by_key = {name: key for key, name in _field_keys(cls).items()}
        return cls(**{by_key[k]: v for k, v in stored.items() if k in by_key})


def _field_keys(cls: type[WireRecord]) -> dict[str, str]:
    names = wire_names(cls.SHAPE)
    return {
        f.name: f.metadata.get(STORED_AS) or names[f.name]
        for f in dataclasses.fields(cls)
        if f.init
    }


@dataclass(kw_only=True)
class JobRecord(WireRecord):
    """A job, from CreateJob to its final status."""

    SHAPE: ClassVar[str] = "Job"

    id: str
    arn: str
    status: JobStatus
    created_at: int
    role: str
    queue: str
    settings: dict[str, Any]
    timing: dict[str, int] = field(default_factory=dict)
    user_metadata: dict[str, str] = field(default_factory=dict)
    priority: int = 0
    status_update_interval: str = DEFAULT_STATUS_UPDATE_INTERVAL
    acceleration_settings: dict[str, Any] = field(default_factory=lambda: {"mode": "DISABLED"})
    acceleration_status: str = "NOT_APPLICABLE"
    billing_tags_source: str = "JOB"
    simulate_reserved_queue: str = "DISABLED"
    retry_count: int = 0
    messages: dict[str, list[str]] = field(default_factory=lambda: {"info": [], "warning": []})
    current_phase: str | None = None
    job_percent_complete: int | None = None
    warnings: list[dict[str, int]] | None = None
    error_code: int | None = None
    error_message: str | None = None
    output_group_details: list[dict[str, Any]] | None = None
    job_template: str | None = None
    client_request_token: str | None = None
    hop_destinations: list[dict[str, Any]] | None = None
    job_engine_version_requested: str | None = None
    # The settings' warnings ([code, message]), reported when the job starts.
    settings_warnings: list[list[Any]] = field(
        default_factory=list, metadata={STORED_AS: "_warnings"}
    )

    def __post_init__(self) -> None:
        self.status = JobStatus(self.status)


@dataclass(kw_only=True)
class NamedRecord(WireRecord):
    """What job templates, presets and queues share."""

    # The store's kind, also the ARN's resource type.
    KIND: ClassVar[str]

    arn: str
    name: str
    type: str = "CUSTOM"
    created_at: int
    last_updated: int
    description: str | None = None
    # createdAt has one-second resolution; this orders CREATION_DATE listings.
    created_ns: int = field(default=0, metadata={STORED_AS: "_createdNs"})


@dataclass(kw_only=True)
class PresetRecord(NamedRecord):
    """A preset: output settings a job's outputs can name."""

    SHAPE: ClassVar[str] = "Preset"
    KIND: ClassVar[str] = "presets"

    category: str | None = None
    settings: dict[str, Any] | None = None


@dataclass(kw_only=True)
class JobTemplateRecord(NamedRecord):
    """A job template: settings and defaults a job can start from."""

    SHAPE: ClassVar[str] = "JobTemplate"
    KIND: ClassVar[str] = "jobTemplates"

    category: str | None = None
    settings: dict[str, Any] | None = None
    priority: int | None = None
    status_update_interval: str | None = None
    acceleration_settings: dict[str, Any] | None = None
    hop_destinations: list[dict[str, Any]] | None = None
    queue: str | None = None


@dataclass(kw_only=True)
class QueueRecord(NamedRecord):
    """A queue (its live job counts are not stored: they are counted when described)."""

    SHAPE: ClassVar[str] = "Queue"
    KIND: ClassVar[str] = "queues"

    status: str = "ACTIVE"
    pricing_plan: str = "ON_DEMAND"
    concurrent_jobs: int | None = None
