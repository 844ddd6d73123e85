"""Every operation of the published OpenAPI description of the pipeline API, fuzzed by
schemathesis over real HTTP with a fixed budget: no 5xx, no traceback, and every answer
as the description says (status codes, content types, bodies)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from tests.support.e2e_helpers import AUTH_SECRET, bearer
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = 60
OPENAPI = Path(str(resources.files("vod_testbed.pipeline.http").joinpath("openapi.json")))

schema = schemathesis.openapi.from_path(OPENAPI)


@pytest.fixture(scope="module")
def api_url(
    backend_settings: BackendSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
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
    app = create_app({"CONTENT_SERVICE": ContentService(settings, database)})
    server = BackgroundServer(app, "127.0.0.1", 0, name="fuzzed-pipeline")
    server.start()
    yield server.url
    server.stop()
    database.dispose()


def test_the_published_description_is_the_served_one(api_url: str) -> None:
    served = requests.get(f"{api_url}/openapi.json", timeout=10)
    assert served.headers["Content-Type"] == "application/json"
    assert served.content == OPENAPI.read_bytes()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_pipeline_api_answers_fuzzed_requests_as_it_describes(case: Any, api_url: str) -> None:
    response = case.call(base_url=api_url, headers=bearer("user-1", roles=["instructor"]))
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    case.validate_response(response)
