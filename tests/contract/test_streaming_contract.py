"""CMAF and DASH ISO groups through both backends: the FFmpeg backend packages the model
in-process; the MediaConvert backend renders it into Settings and the emulator runs those.
Same object keys, same manifests reported, both validated (docs/jobs.md, "CMAF and DASH")."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.contract import Run, model_request, relative_keys, run_on_both
from tests.support.streaming_examples import cmaf_job, dash_job
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.common.settings import BackendSettings
from vod_testbed.hls.dash import validate_dash
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def streaming_request(source: str, out: str) -> JobRequest:
    settings = cmaf_job(source, f"{out}/cmaf/index", iframes=True)
    settings["OutputGroups"] += dash_job(source, f"{out}/dash/")["OutputGroups"]
    return model_request(settings)


@pytest.fixture(scope="module")
def runs(
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    backend_settings: BackendSettings,
) -> dict[str, Run]:
    return run_on_both(
        make_transcoder, storage, backend_settings.s3_bucket, "small", streaming_request
    )


def test_both_backends_write_the_same_files_and_report_the_same_manifests(
    runs: dict[str, Run], storage: Storage
) -> None:
    reported = {}
    for name, run in runs.items():
        assert run.job.status is JobStatus.COMPLETE, run.job.error_message
        assert run.job.outputs is not None
        reported[name] = [
            (g.type, [u.removeprefix(run.prefix) for u in (g.playlist_uri, *g.more_playlist_uris)])
            for g in run.job.outputs.groups
        ]
    keys = {name: relative_keys(storage, run.prefix) for name, run in runs.items()}
    assert keys["ffmpeg"] == keys["mediaconvert"]
    assert (
        reported["ffmpeg"]
        == reported["mediaconvert"]
        == [
            ("CMAF_GROUP", ["/out/cmaf/index.m3u8", "/out/cmaf/index.mpd"]),
            ("DASH_ISO_GROUP", ["/out/dash/small.mpd"]),
        ]
    )
    for run in runs.values():
        cmaf, dash = run.job.outputs.groups  # type: ignore[union-attr]
        report = validate_hls(cmaf.playlist_uri, storage=storage, fragment_seconds=1)
        assert report.ok, [(c.id, c.message) for c in report.errors]
        for mpd in (cmaf.more_playlist_uris[0], dash.playlist_uri):
            assert validate_dash(mpd, storage=storage, fragment_seconds=1).ok
