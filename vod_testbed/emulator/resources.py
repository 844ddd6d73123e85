"""Create/get/list/update/delete of the named resources: job templates, presets, queues."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any, Generic

from vod_testbed.common.clock import Clock
from vod_testbed.emulator import pagination
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.exceptions import (
    BadRequestException,
    ConflictException,
    NotFoundException,
)
from vod_testbed.emulator.store import Named, Store


class NamedResources(Generic[Named]):
    """The rules the three kinds of named resource share.

    Args:
        record_type: the record of the kind (its ``KIND`` is also the ARN's resource type).
        label: how messages name it: "job template", "preset", "queue".
        clock: the time ``createdAt`` and ``lastUpdated`` are stamped with.
        system_catalogue: SYSTEM resources of this kind are AWS's own (system presets and
            templates): listed only by ``listBy`` SYSTEM, and never updated or deleted.
        system_by_name: the fields of a SYSTEM resource that exists by its name alone (AWS's
            Generic presets, read from their names), or None; made on first use.
    """

    def __init__(
        self,
        store: Store,
        settings: EmulatorSettings,
        record_type: type[Named],
        label: str,
        clock: Clock,
        *,
        system_catalogue: bool = False,
        system_by_name: Callable[[str], dict[str, Any] | None] | None = None,
    ) -> None:
        self.system_by_name = system_by_name
        self.store = store
        self.system_catalogue = system_catalogue
        self.settings = settings
        self.record_type = record_type
        self.label = label
        self.clock = clock

    def record(self, name: str, fields: dict[str, Any], type_: str = "CUSTOM") -> Named:
        """A new resource, not yet stored; ``fields`` are record fields (None: not set)."""
        stamp = int(self.clock())
        return self.record_type(
            arn=self.settings.arn(self.record_type.KIND, name),
            name=name,
            type=type_,
            created_at=stamp,
            last_updated=stamp,
            # An ordering stamp, not a time: resources created in one clock tick keep their order.
            created_ns=time.time_ns(),
            **{k: v for k, v in fields.items() if v is not None},
        )

    def create(self, name: str, fields: dict[str, Any], type_: str = "CUSTOM") -> Named:
        """Store a new resource; ``fields`` are record fields (None: not set)."""
        record = self.record(name, fields, type_)
        if not self.store.put_resource(record, create=True):
            raise ConflictException(f"A {self.label} named {name!r} already exists.")
        return record

    def get(self, name: str) -> Named:
        record = self.store.get_resource(self.record_type, name)
        fields = None if record or not self.system_by_name else self.system_by_name(name)
        if record is None and fields is not None:
            try:
                return self.create(name, fields, "SYSTEM")
            except ConflictException:  # made by a concurrent request meanwhile
                record = self.store.get_resource(self.record_type, name)
        if record is None:
            raise NotFoundException(f"The {self.label} {name!r} does not exist.")
        return record

    def _changeable(self, name: str) -> Named:
        record = self.get(name)
        if self.system_catalogue and record.type == "SYSTEM":
            raise BadRequestException(
                f"The {self.label} {name!r} is a system {self.label}; it cannot be changed or "
                "deleted."
            )
        return record

    def update(self, name: str, fields: dict[str, Any]) -> Named:
        """Change the fields given a value (None: unchanged)."""
        changes = {k: v for k, v in fields.items() if v is not None}
        current = self._changeable(name)
        record = dataclasses.replace(current, **changes, last_updated=int(self.clock()))
        if not self.store.put_resource(record, create=False):
            raise NotFoundException(f"The {self.label} {name!r} does not exist.")
        return record

    def delete(self, name: str) -> None:
        self._changeable(name)
        if not self.store.delete_resource(self.record_type, name):
            raise NotFoundException(f"The {self.label} {name!r} does not exist.")

    def list_page(
        self, params: dict[str, Any], default_list_by: str
    ) -> tuple[list[Named], str | None]:
        """One page of a List operation (``listBy``, ``category``, ``order``, paging)."""
        items = self.store.list_resources(self.record_type)
        list_by = params.get("listBy", default_list_by)
        if list_by == "SYSTEM":
            items = [i for i in items if i.type == "SYSTEM"]
        elif self.system_catalogue:
            # As on AWS, listing by name or date shows your own presets and templates.
            items = [i for i in items if i.type != "SYSTEM"]
        if params.get("category"):
            items = [i for i in items if getattr(i, "category", None) == params["category"]]
        descending = params.get("order") == "DESCENDING"

        def key(item: Named) -> Any:
            if list_by == "CREATION_DATE":
                return [item.created_ns, item.name]
            return [item.name]

        items.sort(key=key, reverse=descending)
        return pagination.page(
            items,
            key,
            descending=descending,
            token=params.get("nextToken"),
            max_results=params.get("maxResults"),
        )
