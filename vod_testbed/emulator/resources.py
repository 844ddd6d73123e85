"""Named resources of the emulated service (job templates, presets, queues): the
create/get/list/update/delete rules the three share. No HTTP here; errors are the modelled
ones of :mod:`emulator.exceptions`."""

from __future__ import annotations

import time
from typing import Any

from vod_testbed.emulator import pagination
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.exceptions import ConflictException, NotFoundException
from vod_testbed.emulator.store import Store


def now_s() -> int:
    return int(time.time())


class NamedResources:
    """Create/get/list/update/delete of one kind of named resource (templates, presets,
    queues): the rules the three share."""

    def __init__(self, store: Store, settings: EmulatorSettings, kind: str, label: str) -> None:
        self.store = store
        self.settings = settings
        self.kind = kind  # also the ARN resource type: jobTemplates, presets, queues
        self.label = label  # how messages name it: "job template", "preset", "queue"

    def create(self, name: str, fields: dict[str, Any], type_: str = "CUSTOM") -> dict[str, Any]:
        stamp = now_s()
        body = {
            "arn": self.settings.arn(self.kind, name),
            "name": name,
            "type": type_,
            "createdAt": stamp,
            "lastUpdated": stamp,
            # createdAt has one-second resolution; this orders CREATION_DATE listings.
            "_createdNs": time.time_ns(),
            **{k: v for k, v in fields.items() if v is not None},
        }
        if not self.store.put_resource(self.kind, name, body, create=True):
            raise ConflictException(f"A {self.label} named {name!r} already exists.")
        return body

    def get(self, name: str) -> dict[str, Any]:
        body = self.store.get_resource(self.kind, name)
        if body is None:
            raise NotFoundException(f"The {self.label} {name!r} does not exist.")
        return body

    def update(self, name: str, fields: dict[str, Any]) -> dict[str, Any]:
        body = self.get(name)
        body.update({k: v for k, v in fields.items() if v is not None})
        body["lastUpdated"] = now_s()
        if not self.store.put_resource(self.kind, name, body, create=False):
            raise NotFoundException(f"The {self.label} {name!r} does not exist.")
        return body

    def delete(self, name: str) -> None:
        if not self.store.delete_resource(self.kind, name):
            raise NotFoundException(f"The {self.label} {name!r} does not exist.")

    def list(
        self, params: dict[str, Any], default_list_by: str
    ) -> tuple[list[dict[str, Any]], str | None]:
        items = self.store.list_resources(self.kind)
        list_by = params.get("listBy", default_list_by)
        if list_by == "SYSTEM":
            items = [i for i in items if i.get("type") == "SYSTEM"]
        if params.get("category"):
            items = [i for i in items if i.get("category") == params["category"]]
        descending = params.get("order") == "DESCENDING"

        def key(item: dict[str, Any]) -> Any:
            if list_by == "CREATION_DATE":
                return [item.get("_createdNs", 0), item["name"]]
            return [item["name"]]

        items.sort(key=key, reverse=descending)
        return pagination.page(
            items,
            key,
            descending=descending,
            token=params.get("nextToken"),
            max_results=params.get("maxResults"),
        )
