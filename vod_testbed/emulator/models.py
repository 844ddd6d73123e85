"""The MediaConvert service's state and rules: jobs, job templates, presets and queues.

No HTTP here. Operations take wire-form (camelCase) parameters, return typed records
(:mod:`vod_testbed.emulator.records`) and raise the modelled errors of
:mod:`emulator.exceptions`; :mod:`emulator.api` only parses and serialises. Running jobs
is :mod:`vod_testbed.emulator.runner`'s business, reached through the small
:class:`JobControl` interface.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from vod_testbed.backends.job import JobStatus, new_job_id
from vod_testbed.backends.mediaconvert import generic_presets, system_presets
from vod_testbed.backends.mediaconvert.parse import EMULATION_WARNING
from vod_testbed.common.clock import Clock, system_clock
from vod_testbed.emulator import pagination, quotas, validation
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.exceptions import (
    BadRequestException,
    ConflictException,
    NotFoundException,
)
from vod_testbed.emulator.records import (
    DEFAULT_STATUS_UPDATE_INTERVAL,
    JobRecord,
    JobTemplateRecord,
    PresetRecord,
    QueueRecord,
    snake_case,
)
from vod_testbed.emulator.resources import NamedResources
from vod_testbed.emulator.settings_merge import apply_presets, deep_merge
from vod_testbed.emulator.store import Store

View = TypeVar("View")

DEFAULT_QUEUE = "Default"
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/\S+$")
# Members of a job template a job inherits when it does not set them itself.
TEMPLATE_DEFAULTS = ("priority", "statusUpdateInterval", "accelerationSettings", "hopDestinations")
# CreateJob members a job echoes without acting on them: request key -> JobRecord field.
ECHOED_MEMBERS = {
    "jobTemplate": "job_template",
    "clientRequestToken": "client_request_token",
    "hopDestinations": "hop_destinations",
    "jobEngineVersion": "job_engine_version_requested",
}


class JobControl(Protocol):
    """What the model needs from the job runner."""

    def wake(self) -> None:
        """Something changed (a job was submitted, a queue resumed): schedule again."""

    def cancel(self, job_id: str) -> JobRecord:
        """Cancel a SUBMITTED or PROGRESSING job; return it as now stored."""


class MediaConvertModel:
    """The emulated service. Thread-safe: every state change goes through :class:`Store`."""

    def __init__(
        self,
        store: Store,
        settings: EmulatorSettings,
        control: JobControl,
        clock: Clock = system_clock,
    ) -> None:
        self.store = store
        self.settings = settings
        self.control = control
        self.clock = clock
        self.templates = NamedResources(
            store, settings, JobTemplateRecord, "job template", clock, system_catalogue=True
        )
        self.presets = NamedResources(
            store,
            settings,
            PresetRecord,
            "preset",
            clock,
            system_catalogue=True,
            system_by_name=_generic_preset_fields,
        )
        self.queues = NamedResources(store, settings, QueueRecord, "queue", clock)
        # Held from the token lookup to the insert: two concurrent retries carrying one
        # clientRequestToken must create one job, not two.
        self._create_lock = threading.Lock()
        self.ensure_system_resources()

    def ensure_system_resources(self) -> None:
        """The SYSTEM queue every account has, and AWS's system presets."""
        # One transaction for all of them: one each made every start tens of ms slower.
        self.store.add_missing_resources(
            [self.queues.record(DEFAULT_QUEUE, {}, "SYSTEM")]
            + [
                self.presets.record(preset.name, _preset_fields(preset), "SYSTEM")
                for preset in system_presets.system_presets()
            ]
        )

    # -- jobs -----------------------------------------------------------------------------

    def create_job(self, params: dict[str, Any]) -> JobRecord:
        """CreateJob. Returns the stored job (the original one on a token replay)."""
        validation.validate_request("CreateJob", params, presence_only=("settings",))
        with self._create_lock:
            return self._create_job(params)

    def _create_job(self, params: dict[str, Any]) -> JobRecord:
        token = params.get("clientRequestToken")
        if token:
            since_ms = int((self.clock() - self.settings.idempotency_window_s) * 1000)
            original = self.store.job_for_token(token, since_ms)
            if original is not None:
                return original
        role = params["role"]
        if not ROLE_ARN.match(role):
            raise BadRequestException(
                f"/role: {role!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
            )
        fields, settings = self._apply_template(params)
        settings = apply_presets(settings, lambda name: self.presets.get(name).settings or {})
        user_metadata = dict(params.get("userMetadata") or {})
        parsed = validation.parse_settings(settings, user_metadata)
        queue = self.queue_arn(fields.get("queue") or DEFAULT_QUEUE)
        job_id = new_job_id()
        stamp = int(self.clock())
        job = JobRecord(
            id=job_id,
            arn=self.settings.arn("jobs", job_id),
            status=JobStatus.SUBMITTED,
            created_at=stamp,
            timing={"submitTime": stamp},
            role=role,
            queue=queue,
            settings=settings,
            user_metadata=user_metadata,
            priority=fields.get("priority", 0),
            status_update_interval=fields.get("statusUpdateInterval")
            or DEFAULT_STATUS_UPDATE_INTERVAL,
            acceleration_settings=fields.get("accelerationSettings") or {"mode": "DISABLED"},
            billing_tags_source=fields.get("billingTagsSource") or "JOB",
            simulate_reserved_queue=fields.get("simulateReservedQueue") or "DISABLED",
            settings_warnings=[list(w) for w in parsed.warnings] + _name_read_presets(settings),
        )
        for request_key, job_field in ECHOED_MEMBERS.items():
            if fields.get(request_key) is not None:
                setattr(job, job_field, fields[request_key])
        self.store.insert_job(job, token)
        self.control.wake()
        return job

    def _apply_template(self, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The request's members and settings with its job template (if any) underneath."""
        fields = dict(params)
        settings: dict[str, Any] = params["settings"]
        if params.get("jobTemplate"):
            template = self.templates.get(self._resource_name(params["jobTemplate"])).to_wire()
            settings = deep_merge(template.get("settings", {}), settings)
            for key in (*TEMPLATE_DEFAULTS, "queue"):
                if fields.get(key) is None and template.get(key) is not None:
                    fields[key] = template[key]
        return fields, settings

    def get_job(self, job_id: str) -> JobRecord:
        job = self.store.get_job(job_id)
        if job is None:
            raise _no_such_job(job_id)
        return job

    def job_view(self, job_id: str, render: Callable[[JobRecord], View]) -> View:
        """GetJob as ``render`` shows it, rendered once per change of the job (see
        :meth:`Store.job_view`)."""
        view = self.store.job_view(job_id, render)
        if view is None:
            raise _no_such_job(job_id)
        return view

    def list_jobs(self, params: dict[str, Any]) -> tuple[list[JobRecord], str | None]:
        """ListJobs: newest first unless ``order`` is ASCENDING; keyset-paged."""
        validation.validate_request("ListJobs", params)
        descending = params.get("order", "DESCENDING") == "DESCENDING"
        limit = params.get("maxResults") or pagination.DEFAULT_MAX_RESULTS
        after = None
        if params.get("nextToken"):
            after = pagination.decode_token(params["nextToken"])
            if not isinstance(after, int):
                raise BadRequestException(f"Invalid nextToken: {params['nextToken']!r}")
        queue = self.queue_arn(params["queue"]) if params.get("queue") else None
        rows = self.store.list_jobs(
            status=params.get("status"),
            queue=queue,
            descending=descending,
            after_seq=after,
            limit=limit + 1,
        )
        token = pagination.encode_token(rows[limit - 1].seq) if len(rows) > limit else None
        return [row.job for row in rows[:limit]], token

    def cancel_job(self, job_id: str) -> None:
        """CancelJob: SUBMITTED and PROGRESSING jobs end CANCELED (a running transcode is
        stopped). A finished job answers ConflictException."""
        job = self.get_job(job_id)
        if job.status.is_final:
            raise ConflictException(
                f"The job {job_id} is {job.status} and can no longer be canceled."
            )
        self.control.cancel(job_id)

    # -- job templates --------------------------------------------------------------------

    def _template_fields(self, params: dict[str, Any]) -> dict[str, Any]:
        fields = {
            snake_case(key): params.get(key)
            for key in ("settings", "description", "category", *TEMPLATE_DEFAULTS)
        }
        if params.get("queue"):
            fields["queue"] = self.queue_arn(params["queue"])
        return fields

    def create_job_template(self, params: dict[str, Any]) -> JobTemplateRecord:
        validation.validate_request("CreateJobTemplate", params)
        fields = self._template_fields(params)
        fields["status_update_interval"] = (
            fields["status_update_interval"] or DEFAULT_STATUS_UPDATE_INTERVAL
        )
        fields["priority"] = params.get("priority", 0)
        return self.templates.create(params["name"], fields)

    def update_job_template(self, params: dict[str, Any]) -> JobTemplateRecord:
        validation.validate_request("UpdateJobTemplate", params)
        return self.templates.update(params["name"], self._template_fields(params))

    def list_job_templates(
        self, params: dict[str, Any]
    ) -> tuple[list[JobTemplateRecord], str | None]:
        """ListJobTemplates: by name unless ``listBy`` says otherwise (no SYSTEM templates)."""
        validation.validate_request("ListJobTemplates", params)
        return self.templates.list_page(params, default_list_by="NAME")

    # -- presets --------------------------------------------------------------------------

    def create_preset(self, params: dict[str, Any]) -> PresetRecord:
        validation.validate_request("CreatePreset", params)
        fields = {key: params.get(key) for key in ("settings", "description", "category")}
        return self.presets.create(params["name"], fields)

    def update_preset(self, params: dict[str, Any]) -> PresetRecord:
        validation.validate_request("UpdatePreset", params)
        fields = {key: params.get(key) for key in ("settings", "description", "category")}
        return self.presets.update(params["name"], fields)

    def list_presets(self, params: dict[str, Any]) -> tuple[list[PresetRecord], str | None]:
        """ListPresets: by name unless ``listBy`` says otherwise (SYSTEM: AWS's presets)."""
        validation.validate_request("ListPresets", params)
        return self.presets.list_page(params, default_list_by="NAME")

    # -- queues ---------------------------------------------------------------------------

    def _resource_name(self, name_or_arn: str) -> str:
        return name_or_arn.rsplit("/", 1)[-1] if name_or_arn.startswith("arn:") else name_or_arn

    def queue_arn(self, name_or_arn: str) -> str:
        """The ARN of an existing queue given by name or ARN. Raises NotFoundException."""
        if name_or_arn.startswith("arn:") and not name_or_arn.startswith(
            self.settings.arn("queues", "")
        ):
            raise NotFoundException(
                f"The queue {name_or_arn} does not exist in account {self.settings.account_id}"
                f" and region {self.settings.region}."
            )
        return self.queues.get(self._resource_name(name_or_arn)).arn

    def queue_concurrency(self, queue: QueueRecord) -> int:
        return queue.concurrent_jobs or self.settings.queue_concurrency

    def describe_queue(self, queue: QueueRecord) -> dict[str, Any]:
        """A queue as the API returns it, with its live job counts."""
        return {
            **queue.to_wire(),
            "concurrentJobs": self.queue_concurrency(queue),
            "submittedJobsCount": self.store.count_jobs(
                status=JobStatus.SUBMITTED, queue=queue.arn
            ),
            "progressingJobsCount": self.store.count_jobs(
                status=JobStatus.PROGRESSING, queue=queue.arn
            ),
        }

    def _queue_fields(self, params: dict[str, Any]) -> dict[str, Any]:
        concurrent = params.get("concurrentJobs")
        if concurrent is not None and concurrent < 1:
            raise BadRequestException(
                f"/concurrentJobs: {concurrent} is less than the minimum of 1"
            )
        if params.get("reservationPlanSettings") is not None:
            # Reserved pricing buys dedicated capacity on AWS; there is nothing to reserve here.
            raise BadRequestException(
                "/reservationPlanSettings: reserved queues are not supported by the emulator."
            )
        return {
            "description": params.get("description"),
            "status": params.get("status"),
            "concurrent_jobs": concurrent,
        }

    def _check_quota(self, name: str, concurrent_jobs: int) -> None:
        queues = self.store.list_resources(QueueRecord)
        quotas.check_queue_concurrency(
            name, concurrent_jobs, queues, self.queue_concurrency, self.settings
        )

    def create_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        validation.validate_request("CreateQueue", params)
        if params.get("pricingPlan") == "RESERVED":
            raise BadRequestException(
                "/pricingPlan: reserved queues are not supported by the emulator."
            )
        fields = self._queue_fields(params)
        self._check_quota(
            params["name"], fields["concurrent_jobs"] or self.settings.queue_concurrency
        )
        queue = self.queues.create(params["name"], fields)
        self.control.wake()
        return self.describe_queue(queue)

    def update_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        validation.validate_request("UpdateQueue", params)
        fields = self._queue_fields(params)
        if fields["concurrent_jobs"] is not None:
            self.queues.get(params["name"])  # an unknown queue is NotFound, not over quota
            self._check_quota(params["name"], fields["concurrent_jobs"])
        queue = self.queues.update(params["name"], fields)
        self.control.wake()
        return self.describe_queue(queue)

    def delete_queue(self, name: str) -> None:
        queue = self.queues.get(name)
        if queue.type == "SYSTEM":
            raise BadRequestException(
                f"The queue {name!r} is a system queue and cannot be deleted."
            )
        if self.store.count_jobs(
            status=JobStatus.SUBMITTED, queue=queue.arn
        ) or self.store.count_jobs(status=JobStatus.PROGRESSING, queue=queue.arn):
            raise ConflictException(
                f"The queue {name!r} has jobs that are SUBMITTED or PROGRESSING; "
                "wait for them or cancel them first."
            )
        self.queues.delete(name)

    def list_queues(self, params: dict[str, Any]) -> dict[str, Any]:
        validation.validate_request("ListQueues", params)
        queues, token = self.queues.list_page(params, default_list_by="CREATION_DATE")
        described = [self.describe_queue(q) for q in queues]
        every = self.store.list_resources(QueueRecord)
        result: dict[str, Any] = {
            "queues": described,
            **quotas.queue_totals(every, self.queue_concurrency, self.settings),
        }
        if token:
            result["nextToken"] = token
        return result

    # -- endpoints ------------------------------------------------------------------------

    def describe_endpoints(self, params: dict[str, Any], endpoint_url: str) -> dict[str, Any]:
        """DescribeEndpoints (deprecated on AWS): the one endpoint is this emulator."""
        validation.validate_request("DescribeEndpoints", params)
        return {"endpoints": [{"url": endpoint_url.rstrip("/")}]}


def _preset_fields(preset: system_presets.SystemPreset) -> dict[str, Any]:
    return {
        "settings": preset.settings,
        "description": preset.description,
        "category": preset.category,
    }


def _generic_preset_fields(name: str) -> dict[str, Any] | None:
    preset = system_presets.generic_preset(name)
    return None if preset is None else _preset_fields(preset)


def _name_read_presets(settings: dict[str, Any]) -> list[list[Any]]:
    """A warning for each output whose Generic preset's settings were read from its name."""
    return [
        [
            EMULATION_WARNING,
            f"/outputGroups/{index}/outputs/{number}/preset: the settings of {name} are read "
            "from its name (AWS does not publish them); GetPreset shows them",
        ]
        for index, group in enumerate(settings.get("outputGroups", []))
        for number, output in enumerate(group.get("outputs", []))
        if (name := output.get("preset")) and generic_presets.describe(name)
    ]


def _no_such_job(job_id: str) -> NotFoundException:
    return NotFoundException(f"The job {job_id} does not exist.")
