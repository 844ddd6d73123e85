"""The contract every Transcoder keeps, checked against each backend alike.

For the same input and request the FFmpeg backend and the MediaConvert backend (through
the emulator) must go through the same lifecycle and write the same object keys, with
playlists that validate alike (docs/ARCHITECTURE.md: "The ladder", "The object-name contract",
"Staging is a setting").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import m3u8
import pytest

from tests.support.contract import BACKENDS, TIMEOUT_S, Run, relative_keys, run_on_both
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder, PortraitPolicy, UpscalePolicy
from vod_testbed.common import errors
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.probe import probe
from vod_testbed.media.segments import SegmentMedia, inspect_segment
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

LANDSCAPE_BOXES = [(1920, 1080), (1280, 720), (854, 480), (640, 360)]


def default_request(source: str, out: str) -> JobRequest:
    return JobRequest.for_prefix(source, out, user_metadata={"videoId": "contract"})


@pytest.fixture(scope="module")
def runs(
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    backend_settings: BackendSettings,
) -> dict[str, Run]:
    """The same request on the same 640x360 clip, once per backend."""
    return run_on_both(
        make_transcoder, storage, backend_settings.s3_bucket, "small", default_request
    )


@pytest.mark.parametrize("name", BACKENDS)
def test_lifecycle(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    job = run.job
    assert job.status is JobStatus.COMPLETE, (job.error_code, job.error_message)
    assert job.percent_complete == 100
    assert job.request.user_metadata == {"videoId": "contract"}
    assert job.started_at is not None and job.finished_at is not None
    assert job.created_at <= job.started_at <= job.finished_at
    statuses = [s.status for s in run.snapshots]
    assert statuses[0] is JobStatus.SUBMITTED
    assert statuses[-1] is JobStatus.COMPLETE
    order = [JobStatus.SUBMITTED, JobStatus.PROGRESSING, JobStatus.COMPLETE]
    assert [order.index(s) for s in statuses] == sorted(order.index(s) for s in statuses)
    assert run.backend.get(job.id).status is JobStatus.COMPLETE
    assert job.id in [j.id for j in run.backend.list(JobStatus.COMPLETE)]
    with pytest.raises(errors.InvalidRequestError):
        run.backend.cancel(job.id)
    with pytest.raises(errors.JobNotFoundError):
        run.backend.get("1700000000000-nosuch")


@pytest.mark.parametrize("name", BACKENDS)
def test_outputs_name_what_was_written(runs: dict[str, Run], storage: Storage, name: str) -> None:
    run = runs[name]
    outputs = run.job.outputs
    assert outputs is not None
    written = set(storage.list(f"{run.prefix}/out/"))
    assert outputs.master_playlist_uri == f"{run.prefix}/out/hls/master.m3u8"
    assert [r.name for r in outputs.renditions] == [r.name for r in DEFAULT_LADDER.rungs]
    assert [(r.width, r.height) for r in outputs.renditions] == [
        (r.width, r.height) for r in DEFAULT_LADDER.rungs
    ]
    assert {outputs.master_playlist_uri, *(r.playlist_uri for r in outputs.renditions)} <= written
    assert all(r.duration_ms > 2500 for r in outputs.renditions)
    assert outputs.thumbnail_uris and set(outputs.thumbnail_uris) <= written
    assert (outputs.thumbnail_width, outputs.thumbnail_height) == (1280, 720)


def test_both_backends_write_the_same_keys_and_valid_playlists(
    runs: dict[str, Run], storage: Storage
) -> None:
    keys = {name: relative_keys(storage, run.prefix) for name, run in runs.items()}
    assert keys["ffmpeg"] == keys["mediaconvert"]
    assert "hls/master.m3u8" in keys["ffmpeg"]
    assert "hls/master_1080p_00001.ts" in keys["ffmpeg"]
    assert "thumbnails/master_thumb.0000000.jpg" in keys["ffmpeg"]
    reports = {}
    for name, run in runs.items():
        assert run.job.outputs is not None
        reports[name] = validate_hls(
            run.job.outputs.master_playlist_uri, expected=DEFAULT_LADDER, storage=storage
        )
    assert reports["ffmpeg"].ok, [c.message for c in reports["ffmpeg"].errors]
    assert reports["mediaconvert"].ok, [c.message for c in reports["mediaconvert"].errors]
    failed = {name: sorted((c.id, c.rendition) for c in r.warnings) for name, r in reports.items()}
    assert failed["ffmpeg"] == failed["mediaconvert"]


# The policies both backends must resolve alike: clip, ladder, the boxes expected.
PARITY_CASES: dict[str, tuple[str, Ladder, list[tuple[int, int]]]] = {
    "default": ("small", DEFAULT_LADDER, LANDSCAPE_BOXES),
    # 640x360 source: DROP keeps only the rung that needs no upscaling.
    "no-upscale": ("small", DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP), [(640, 360)]),
    # 1080x1920 source: pillarboxed in the landscape boxes, or in boxes turned portrait.
    "portrait-pad": ("portrait", DEFAULT_LADDER, LANDSCAPE_BOXES),
    "portrait-rotate-box": (
        "portrait",
        DEFAULT_LADDER.with_policies(portrait=PortraitPolicy.ROTATE_BOX),
        [(1080, 1920), (720, 1280), (480, 854), (360, 640)],
    ),
    "no-audio": ("no_audio", DEFAULT_LADDER, LANDSCAPE_BOXES),
    # 1440x1080 stored with 4:3 pixels: 1920x1080 on screen, square pixels out.
    "anamorphic": ("anamorphic", DEFAULT_LADDER, LANDSCAPE_BOXES),
    "variable-frame-rate": ("variable_frame_rate", DEFAULT_LADDER, LANDSCAPE_BOXES),
}


@dataclass(frozen=True)
class Parity:
    """One policy case run on both backends, and the media of what each wrote."""

    case: str
    ladder: Ladder
    boxes: list[tuple[int, int]]
    runs: dict[str, Run]
    media: dict[str, dict[str, list[SegmentMedia]]]  # backend -> rendition -> segments


def written_media(storage: Storage, run: Run, folder: Path) -> dict[str, list[SegmentMedia]]:
    """Each rendition's segments, downloaded and read packet by packet."""
    storage.download_tree(f"{run.prefix}/out/hls", folder)
    assert run.job.outputs is not None
    media = {}
    for rendition in run.job.outputs.renditions:
        playlist = m3u8.load(str(folder / rendition.playlist_uri.rsplit("/", 1)[-1]))
        media[rendition.name] = [inspect_segment(folder / s.uri) for s in playlist.segments]
    return media


@pytest.fixture(scope="module", params=sorted(PARITY_CASES))
def parity(
    request: pytest.FixtureRequest,
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    backend_settings: BackendSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Parity:
    case: str = request.param
    clip, ladder, boxes = PARITY_CASES[case]

    def policy_request(source: str, out: str) -> JobRequest:
        return JobRequest.for_prefix(source, out, ladder=ladder)

    if case == "default":  # the lifecycle tests' runs are this very case
        runs: dict[str, Run] = request.getfixturevalue("runs")
    else:
        runs = run_on_both(
            make_transcoder, storage, backend_settings.s3_bucket, clip, policy_request
        )
    for run in runs.values():
        assert run.job.status is JobStatus.COMPLETE, (case, run.job.error_message)
    media = {
        name: written_media(storage, run, tmp_path_factory.mktemp(f"{case}-{name}"))
        for name, run in runs.items()
    }
    return Parity(case, ladder, boxes, runs, media)


def test_policies_give_the_same_keys_on_both_backends(parity: Parity, storage: Storage) -> None:
    keys = {name: relative_keys(storage, run.prefix) for name, run in parity.runs.items()}
    assert keys["ffmpeg"] == keys["mediaconvert"]


def test_policies_give_the_same_resolutions_on_both_backends(parity: Parity) -> None:
    for run in parity.runs.values():
        assert run.job.request.ladder == parity.ladder  # the caller's request, policies included
        assert run.job.outputs is not None
        assert [(r.width, r.height) for r in run.job.outputs.renditions] == parity.boxes
    for media in parity.media.values():
        written = [(segments[0].width, segments[0].height) for segments in media.values()]
        assert written == parity.boxes


def test_policies_give_audio_on_both_backends_or_on_neither(parity: Parity) -> None:
    present = {
        name: sorted({seg.audio is not None for segs in media.values() for seg in segs})
        for name, media in parity.media.items()
    }
    expected = [False] if parity.case == "no-audio" else [True]
    assert present == {"ffmpeg": expected, "mediaconvert": expected}


def test_policies_give_the_same_keyframe_times_and_rate_on_both_backends(parity: Parity) -> None:
    def timeline(media: dict[str, list[SegmentMedia]]) -> dict[str, list[float]]:
        return {
            name: [round(t, 2) for seg in segments for t in seg.keyframe_times]
            for name, segments in media.items()
        }

    ffmpeg, mediaconvert = parity.media["ffmpeg"], parity.media["mediaconvert"]
    assert timeline(ffmpeg) == timeline(mediaconvert)
    # The fixed 2 s grid: the same IDRs in every rung.
    assert len({tuple(times) for times in timeline(ffmpeg).values()}) == 1
    rates = {name: {s[0].frame_rate for s in m.values()} for name, m in parity.media.items()}
    assert rates["ffmpeg"] == rates["mediaconvert"]
    # About 21 fps on average: MediaConvert rounds a variable rate up to 24.
    expected = {Fraction(24)} if parity.case == "variable-frame-rate" else {Fraction(30)}
    assert rates["ffmpeg"] == expected


def test_policies_give_the_same_thumbnails_on_both_backends(parity: Parity) -> None:
    lists = {}
    for name, run in parity.runs.items():
        assert run.job.outputs is not None
        lists[name] = [uri[len(run.prefix) :] for uri in run.job.outputs.thumbnail_uris]
    assert lists["ffmpeg"] == lists["mediaconvert"]
    assert lists["ffmpeg"][0] == "/out/thumbnails/master_thumb.0000000.jpg"


def test_policies_give_playlists_that_validate(parity: Parity, storage: Storage) -> None:
    clip = PARITY_CASES[parity.case][0]
    source_s = probe(clip_path(clip)).duration_s
    for name, run in parity.runs.items():
        assert run.job.outputs is not None
        report = validate_hls(
            run.job.outputs.master_playlist_uri,
            expected=parity.ladder,
            source_duration_s=source_s,
            storage=storage,
        )
        assert report.ok, (name, [c.message for c in report.errors])


# A missing S3 input: the FFmpeg backend reads with credentials that may list the bucket
# (S3 answers 404: 1404); MediaConvert's staging role may not, and without s3:ListBucket S3
# answers 403 for a missing object (Amazon S3 API reference, GetObject, "Permissions"), so
# AWS, and the emulator, report a permissions error (1401).
MISSING_INPUT_CODES = {"ffmpeg": errors.FILE_NOT_FOUND, "mediaconvert": errors.PERMISSIONS_ERROR}


@pytest.mark.parametrize("name", BACKENDS)
def test_a_missing_input_ends_in_error(
    make_transcoder: Callable[[str], Transcoder], backend_settings: BackendSettings, name: str
) -> None:
    transcoder = make_transcoder(name)
    missing = f"s3://{backend_settings.s3_bucket}/contract-missing/{uuid.uuid4().hex}.mp4"
    job = transcoder.submit(JobRequest.for_prefix(missing))
    finished = transcoder.wait(job.id, timeout=TIMEOUT_S)
    assert finished.status is JobStatus.ERROR
    assert finished.error_code == MISSING_INPUT_CODES[name]
    assert finished.error_message
