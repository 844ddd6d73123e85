"""The settings matrix: jobs teams run (sidecar and burnt-in captions, an audio-only input,
clipping, two stitched inputs, loudness correction, a watermark) through both backends: the
FFmpeg backend runs each job model in-process; the MediaConvert backend renders it into
Settings and the emulator runs those. Each case is one job per backend on seconds-long
small sources, compared on what was written (object keys, groups, durations), what it holds
(each variant's tracks and caption tracks, its loudness within 1 LU) and validated; the
Settings the MediaConvert backend sent are checked against botocore's service model and read
back as the same job (a ladder job as the same ladder).

Captions and an audio-only source given as a ladder request are compared in
test_renditions_contract.py, an audio rendition group in test_audio_groups_contract.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from botocore.validate import ParamValidator

from tests.support.contract import BACKENDS, TIMEOUT_S, relative_keys
from tests.support.inputs import dominant_frequency, pixel
from tests.support.settings_matrix import (
    CASES,
    LOGO_PIXEL,
    TARGET_LKFS,
    Case,
    Figures,
    assert_equally_loud,
    band,
    download,
    joined,
    read_hls,
)
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import Job, JobRequest, JobStatus
from vod_testbed.backends.jobmodel.ladder import ladder_request
from vod_testbed.backends.jobmodel.model import JobSpec
from vod_testbed.backends.mediaconvert.backend import MediaConvertBackend
from vod_testbed.backends.mediaconvert.model import service_model, to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.common.settings import BackendSettings
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e
NAMES = [case.name for case in CASES]


@dataclass(frozen=True)
class Outcome:
    """One case on one backend: the finished job, its S3 prefix, its output downloaded."""

    backend: Transcoder
    job: Job
    prefix: str
    model: JobSpec
    out: Path
    figures: Figures | None


def _model(settings: Mapping[str, Any]) -> JobSpec:
    return replace(parse_job_settings(to_wire_case(settings)).job, warnings=())


@pytest.fixture(scope="module")
def matrix(
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    backend_settings: BackendSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], Outcome]:
    """Every case on every backend: all jobs submitted first (they run side by side), then
    each waited for and its output downloaded once for every test that reads it."""
    backends = {name: make_transcoder(name) for name in BACKENDS}
    tmp = tmp_path_factory.mktemp("matrix")
    submitted: dict[tuple[str, str], tuple[str, JobSpec, Job]] = {}
    for case in CASES:
        local = case.sources(_folder(tmp / "sources" / case.name))
        for name, transcoder in backends.items():
            prefix = f"s3://{backend_settings.s3_bucket}/matrix-{uuid.uuid4().hex[:10]}"
            uris = {}
            for file, path in local.items():
                uris[file] = f"{prefix}/in/{file}"
                storage.put(path, uris[file])
            model = _model(case.settings(uris, f"{prefix}/out"))
            job = transcoder.submit(JobRequest.for_model(model))
            submitted[case.name, name] = (prefix, model, job)
    outcomes = {}
    for (case_name, name), (prefix, model, job) in submitted.items():
        finished = backends[name].wait(job.id, timeout=TIMEOUT_S)
        out = download(storage, f"{prefix}/out", tmp / "outputs" / case_name / name)
        figures = None
        if finished.status is JobStatus.COMPLETE:
            figures = read_hls(out / "hls" / "master.m3u8", _case(case_name).duration_s)
        outcomes[case_name, name] = Outcome(backends[name], finished, prefix, model, out, figures)
    return outcomes


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _case(name: str) -> Case:
    return next(case for case in CASES if case.name == name)


def _both(matrix: dict[tuple[str, str], Outcome], case: str) -> dict[str, Outcome]:
    both = {name: matrix[case, name] for name in BACKENDS}
    for name, outcome in both.items():
        job = outcome.job
        assert job.status is JobStatus.COMPLETE, (case, name, job.error_code, job.error_message)
    return both


def _figures(outcome: Outcome) -> Figures:
    assert outcome.figures is not None
    return outcome.figures


@pytest.mark.parametrize("case", NAMES)
def test_both_backends_write_the_same_objects_and_report_the_same_groups(
    matrix: dict[tuple[str, str], Outcome], storage: Storage, case: str
) -> None:
    both = _both(matrix, case)
    keys = {name: relative_keys(storage, o.prefix) for name, o in both.items()}
    assert keys["ffmpeg"] == keys["mediaconvert"]
    for modifier, _, _ in _case(case).variants:
        assert {f"hls/master{modifier}.m3u8", f"hls/master{modifier}_00001.ts"} <= keys["ffmpeg"]
    assert "hls/master.m3u8" in keys["ffmpeg"]
    groups = {}
    for name, outcome in both.items():
        assert outcome.job.outputs is not None
        groups[name] = [
            (
                g.type,
                g.playlist_uri.removeprefix(outcome.prefix),
                [(o.uris[-1].removeprefix(outcome.prefix), o.width, o.height) for o in g.outputs],
            )
            for g in outcome.job.outputs.groups
        ]
        # A job that is a ladder job (the captions case) reports its renditions instead.
        durations = [o.duration_ms for g in outcome.job.outputs.groups for o in g.outputs] or [
            r.duration_ms for r in outcome.job.outputs.renditions
        ]
        assert durations
        expected_ms = _case(case).duration_s * 1000
        assert all(abs(d - expected_ms) <= 100 for d in durations), (name, durations)
    assert groups["ffmpeg"] == groups["mediaconvert"]


@pytest.mark.parametrize("case", NAMES)
def test_both_outputs_are_valid_with_the_same_tracks_and_durations(
    matrix: dict[tuple[str, str], Outcome], case: str
) -> None:
    both = {name: _figures(o) for name, o in _both(matrix, case).items()}
    for name, figures in both.items():
        assert figures.report.ok, (case, name, figures.report.render_text())
    ours, theirs = both["ffmpeg"], both["mediaconvert"]
    assert ours.tracks == theirs.tracks
    assert ours.subtitles == theirs.subtitles
    if case == "captions":
        # The cue spanning 2 s is in both segments.
        assert ours.subtitles == [("eng", "English", True, 2, 3)]
    else:
        assert ours.subtitles == []
    assert [t[1:3] for t in ours.tracks] == [v[1:] for v in _case(case).variants]
    for a, b in zip(ours.report.renditions, theirs.report.renditions, strict=True):
        assert a.media_duration_s == pytest.approx(b.media_duration_s, abs=1 / 30)
        assert a.media_duration_s == pytest.approx(_case(case).duration_s, abs=0.1)


@pytest.mark.parametrize("case", NAMES)
def test_both_outputs_sound_equally_loud(matrix: dict[tuple[str, str], Outcome], case: str) -> None:
    """Integrated loudness (ITU-R BS.1770-4) of each variant within 1 LU across backends."""
    both = {name: _figures(o).loudness for name, o in _both(matrix, case).items()}
    assert [uri for uri, lkfs in both["ffmpeg"].items() if lkfs is not None] == [
        f"master{modifier}.m3u8" for modifier, _, _ in _case(case).variants
    ]
    assert_equally_loud(both["ffmpeg"], both["mediaconvert"])


def test_loudness_correction_reaches_its_target_on_both_backends(
    matrix: dict[tuple[str, str], Outcome],
) -> None:
    for name, outcome in _both(matrix, "loudness").items():
        (lkfs,) = _figures(outcome).loudness.values()
        assert lkfs is not None and abs(lkfs - TARGET_LKFS) <= 1.0, (name, lkfs)
    # Without correction the same source is far from the target (the case's premise).
    (untouched,) = _figures(matrix["watermark", "ffmpeg"]).loudness.values()
    assert untouched is not None and abs(untouched - TARGET_LKFS) > 3


def test_the_inputs_are_stitched_in_order_on_both_backends(
    matrix: dict[tuple[str, str], Outcome],
) -> None:
    """The bumper's 440 Hz tone for its 1 s, then the feature's 660 Hz."""
    for name, outcome in _both(matrix, "stitched").items():
        audio = joined(outcome.out / "hls" / "master_180p.m3u8")
        first, then = (dominant_frequency(audio, start, 0.8) for start in (0.1, 1.6))
        assert first == pytest.approx(440, abs=30), name
        assert then == pytest.approx(660, abs=30), name


def test_the_watermark_is_drawn_on_both_backends(matrix: dict[tuple[str, str], Outcome]) -> None:
    seen = {}
    for name, outcome in _both(matrix, "watermark").items():
        video = joined(outcome.out / "hls" / "master_180p.m3u8")
        seen[name] = pixel(video, 0.5, *LOGO_PIXEL)
        red, green, blue = seen[name]
        assert red > 180 and green < 80 and blue < 80, (name, seen[name])
    ours, theirs = seen["ffmpeg"], seen["mediaconvert"]
    assert all(abs(a - b) <= 16 for a, b in zip(ours, theirs, strict=True)), seen


def test_the_captions_are_burnt_in_on_both_backends(
    matrix: dict[tuple[str, str], Outcome],
) -> None:
    """The captioned output against the loudness case's (the same picture, no captions) while
    "Welcome" shows: its lower third differs, its upper third does not."""
    for name in BACKENDS:
        captioned, plain = (
            joined(_both(matrix, case)[name].out / "hls" / "master_180p.m3u8")
            for case in ("captions", "loudness")
        )
        for top, changed in ((120, True), (0, False)):
            a, b = (band(video, 1.0, top, 60) for video in (captioned, plain))
            moved = sum(abs(x - y) > 48 for x, y in zip(a, b, strict=True))
            assert (moved > 50) is changed, (name, top, moved)


@pytest.mark.parametrize("case", NAMES)
def test_the_settings_sent_are_valid_for_boto3_and_mean_the_same_job(
    matrix: dict[tuple[str, str], Outcome], case: str
) -> None:
    """What the MediaConvert backend sent (as the emulator's GetJob returns it) passes
    botocore's request validation and reads back as the model that was submitted."""
    outcome = _both(matrix, case)["mediaconvert"]
    assert isinstance(outcome.backend, MediaConvertBackend)
    sent = outcome.backend.client.get_job(Id=outcome.job.id)["Job"]["Settings"]
    report = ParamValidator().validate(sent, service_model().shape_for("JobSettings"))
    assert not report.has_errors(), report.generate_report()
    ladder = ladder_request(outcome.model)
    if ladder is None:
        assert _model(sent) == outcome.model
    else:  # a ladder job is sent as the ladder it is (render.py)
        assert ladder_request(_model(sent)) == ladder
