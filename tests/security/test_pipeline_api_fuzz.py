"""Every operation of the OpenAPI document the pipeline app writes from its routes'
declarations, fuzzed by schemathesis over real HTTP with a fixed budget: no 5xx, no
traceback, and every answer as the document says (status codes, content types, bodies)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from tests.support.e2e_helpers import AUTH_SECRET, bearer
from tests.support.fuzzing import examples
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.http.openapi import openapi_document
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = 60


def written_document() -> dict[str, Any]:
    """What a pipeline app writes; its routes do not depend on its data or settings, so an
    app over an empty in-memory database writes the document of every app."""
    settings = PipelineSettings(database_url="sqlite://")
    database = Database(settings.database_url)
    document = openapi_document(create_app(ContentService(settings, database)))
    database.dispose()
    return document


DOCUMENT = written_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture(scope="module")
def api(
    backend_settings: BackendSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Flask, str]]:
    """The pipeline API on 127.0.0.1 with a fresh database, S3 reachable for presigning
    and its bucket there (a video registered with captions writes their manifest)."""
    Storage(backend_settings).ensure_bucket(backend_settings.s3_bucket)
    settings = PipelineSettings(
        backend=backend_settings,
        database_url=f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'pipeline.sqlite3'}",
        webhook_secret="fuzz-webhook-secret",
        auth_jwt_secret=AUTH_SECRET,
    )
    database = Database(settings.database_url)
    database.migrate()
    app = create_app(ContentService(settings, database))
    server = BackgroundServer(app, "127.0.0.1", 0, name="fuzzed-pipeline")
    server.start()
    yield app, server.url
    server.stop()
    database.dispose()


@pytest.fixture(scope="module")
def api_url(api: tuple[Flask, str]) -> str:
    return api[1]


def test_the_fuzzed_document_is_the_served_one(api_url: str) -> None:
    served = requests.get(f"{api_url}/openapi.json", timeout=10)
    assert served.headers["Content-Type"] == "application/json"
    assert served.json() == DOCUMENT


@schema.parametrize()
@settings(
    max_examples=examples(EXAMPLES_PER_OPERATION),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_pipeline_api_answers_fuzzed_requests_as_it_describes(case: Any, api_url: str) -> None:
    response = case.call(base_url=api_url, headers=bearer("user-1", roles=["instructor"]))
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    case.validate_response(response)
