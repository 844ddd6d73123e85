"""A finished job's thumbnails are listed from storage, so a video gets all of them whether
its completion arrived as MediaConvert's event (which names the last one) or in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.support.pipeline import complete_detail, mc_event, record_job
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.thumbnails import list_thumbnails, thumbnails_folder
from vod_testbed.storage.s3 import Storage

ROOT = "s3://media/video/u/clip_processed"


class FolderStorage(Storage):
    """Storage whose listing is a fixed set of objects."""

    def __init__(self, objects: list[str]) -> None:
        super().__init__(BackendSettings())
        self.objects = objects

    def list(self, prefix_uri: str) -> Iterator[str]:
        return iter(sorted(o for o in self.objects if o.startswith(prefix_uri)))


def capture(index: int, name: str = "master_thumb") -> str:
    return f"{ROOT}/thumbnails/{name}.{index:07d}.jpg"


def test_every_capture_of_the_named_one_is_listed_in_capture_order() -> None:
    storage = FolderStorage(
        [capture(10), capture(2), capture(0), capture(1, "other"), f"{ROOT}/thumbnails/x.txt"]
    )
    found = list_thumbnails(storage, f"{ROOT}/hls/master.m3u8", [capture(10)])
    assert found == (capture(0), capture(2), capture(10))


def test_without_a_named_capture_the_folder_beside_hls_is_listed() -> None:
    storage = FolderStorage([capture(0), capture(1), f"{ROOT}/hls/master_1080p_00001.ts"])
    assert thumbnails_folder(f"{ROOT}/hls/master.m3u8", []) == f"{ROOT}/thumbnails"
    assert list_thumbnails(storage, f"{ROOT}/hls/master.m3u8") == (capture(0), capture(1))


def test_a_listing_that_misses_the_named_capture_keeps_what_was_named() -> None:
    assert list_thumbnails(FolderStorage([]), f"{ROOT}/hls/master.m3u8", [capture(3)]) == (
        capture(3),
    )


def test_a_complete_event_naming_the_last_capture_records_every_capture(
    service: ContentService,
    new_asset: Callable[..., dict[str, Any]],
    post_event: Callable[..., Any],
    storage: Storage,
    backend_settings: BackendSettings,
    tmp_path: Path,
) -> None:
    prefix = f"s3://{backend_settings.s3_bucket}/video/u/{tmp_path.name}_processed"
    image = tmp_path / "thumb.jpg"
    image.write_bytes(b"\xff\xd8\xff\xd9")
    for index in (0, 1):
        storage.put(image, f"{prefix}/thumbnails/master_thumb.{index:07d}.jpg")
    asset = new_asset()
    record_job(service, asset, "job-1")
    # complete_detail names master_thumb.0000001.jpg only, as AWS names the last capture.
    response = post_event(mc_event("COMPLETE", "job-1", asset["id"], **complete_detail(prefix)))
    assert response.status_code == 200, response.get_json()
    video = service.get(asset["id"])
    assert video is not None
    key = prefix.removeprefix(f"s3://{backend_settings.s3_bucket}/")
    assert video["thumbnail_keys"] == [
        f"{key}/thumbnails/master_thumb.0000000.jpg",
        f"{key}/thumbnails/master_thumb.0000001.jpg",
    ]
