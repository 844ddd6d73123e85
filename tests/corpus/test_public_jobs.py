"""The corpus of public MediaConvert jobs (``vod_testbed/fixtures/jobs/corpus``), each sent
through boto3 CreateJob to one emulator: each must end as its fixture records, either
COMPLETE with every output its Settings name present and readable, or refused at CreateJob
with a BadRequestException that names the unsupported setting."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.corpus import corpus, corpus_emulator, inputs_uploaded, matches, run_job
from vod_testbed.common.settings import BackendSettings
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

JOBS = corpus()


@pytest.fixture(scope="module")
def corpus_run(
    storage: Storage, backend_settings: BackendSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, str]]:
    """One emulator and one uploaded set of inputs for the whole module."""
    prefix = f"s3://{backend_settings.s3_bucket}/corpus-{uuid.uuid4().hex[:8]}"
    data_dir: Path = tmp_path_factory.mktemp("corpus-emulator")
    with (
        inputs_uploaded(storage, prefix),
        corpus_emulator(storage, backend_settings, data_dir) as mc,
    ):
        yield mc, prefix


def test_every_fixture_says_where_it_comes_from_and_what_to_expect() -> None:
    assert len(JOBS) >= 30
    for name, job in JOBS.items():
        assert set(job) == {"_source", "expect", "Settings"}, name
        assert set(job["expect"]) <= {"result", "reason", "code", "known_defect"}, name
        assert job["_source"].strip(), name
        assert job["expect"]["result"] in ("COMPLETE", "REFUSED"), name
        if job["expect"]["result"] == "REFUSED":
            assert job["expect"]["reason"].strip(), name


def _marks(name: str) -> list[pytest.MarkDecorator]:
    defect = JOBS[name]["expect"].get("known_defect")
    return [pytest.mark.xfail(reason=defect, strict=True)] if defect else []


@pytest.mark.parametrize("name", [pytest.param(n, marks=_marks(n)) for n in sorted(JOBS)])
def test_a_public_job_ends_as_recorded(
    name: str, corpus_run: tuple[Any, str], storage: Storage
) -> None:
    mc, prefix = corpus_run
    job = JOBS[name]
    outcome = run_job(mc, storage, prefix, job["Settings"])
    assert matches(job["expect"], outcome), (job["expect"], outcome)
