"""A finished job's thumbnails, listed from storage.

MediaConvert's COMPLETE event names only the *last* frame capture; the in-process backend
names them all. Listing the thumbnails folder on COMPLETE gives a video the same
thumbnails whichever way its job's completion arrived.
"""

from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from vod_testbed.backends import naming
from vod_testbed.storage.s3 import Storage


def thumbnails_folder(master_playlist_uri: str, named: Sequence[str]) -> str:
    """Where the job's frame captures are: the folder of one it names, else
    ``thumbnails/`` beside the HLS folder (``.../x_processed/hls/master.m3u8`` ->
    ``.../x_processed/thumbnails``)."""
    if named:
        return named[0].rpartition("/")[0]
    hls_folder, _ = naming.split_destination(master_playlist_uri)
    return naming.thumbnail_folder_beside(hls_folder)


def list_thumbnails(
    storage: Storage, master_playlist_uri: str, named: Sequence[str] = ()
) -> tuple[str, ...]:
    """Every frame capture of the job, in capture order.

    Captures share the named ones' file name (base and modifier) when the job names any.

    Raises:
        botocore errors: the folder could not be listed (a retry may work).
    """
    folder = thumbnails_folder(master_playlist_uri, named)
    wanted = {_capture_prefix(uri) for uri in named} - {None}
    found: list[tuple[int, str]] = []
    try:
        listed_uris = list(storage.list(folder + "/"))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchBucket":
            raise
        listed_uris = []  # nothing there to list: what the event names is all there is
    for uri in listed_uris:
        name = uri[len(folder) + 1 :]
        match = naming.CAPTURE_FILE.match(name)
        if match is None or "/" in name or (wanted and match["prefix"] not in wanted):
            continue
        found.append((int(match["index"]), uri))
    listed = tuple(uri for _, uri in sorted(found))
    # Never fewer than the event named: a listing that misses them is not to be trusted.
    return listed if set(named) <= set(listed) else tuple(named)


def _capture_prefix(uri: str) -> str | None:
    match = naming.CAPTURE_FILE.match(uri.rpartition("/")[2])
    return match["prefix"] if match else None
