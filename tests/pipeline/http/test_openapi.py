"""The pipeline's OpenAPI document, written from its routes' declarations: valid OpenAPI
3.1, every route of the app in it, and the file names it promises the ones the API takes."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from vod_testbed.pipeline.http.openapi import openapi_document
from vod_testbed.pipeline.trigger.upload_keys import has_upload_suffix


def test_the_document_is_valid_openapi_3(app: Flask) -> None:
    document = openapi_document(app)
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on the first violation


def test_every_route_of_the_app_is_in_the_document(app: Flask) -> None:
    paths = openapi_document(app)["paths"]
    routes = {
        (re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {(path, method) for path, item in paths.items() for method in item}
    assert routes == documented
    assert ("/videos", "post") in routes  # the app is the whole app, not an empty one


def test_a_route_without_a_description_is_refused(app: Flask) -> None:
    app.add_url_rule("/undescribed", "undescribed", lambda: "")
    with pytest.raises(LookupError, match="/undescribed"):
        openapi_document(app)


def test_the_served_document_is_the_written_one(app: Flask) -> None:
    served = app.test_client().get("/openapi.json")
    assert served.status_code == 200
    assert served.get_json() == openapi_document(app)


def test_requests_are_checked_as_described(app: Flask, client: FlaskClient) -> None:
    """A declared model both describes and checks: what the document refuses, the API does."""
    document = openapi_document(app)
    new_video = document["components"]["schemas"]["NewVideo"]
    assert new_video["additionalProperties"] is False
    assert set(new_video["required"]) == {"filename", "content_type", "size", "course_id"}
    answer = client.post(
        "/videos", json={"filename": "clip.mp4", "content_type": "video/mp4", "size": 1}
    )
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "is required", "field": "course_id"}


def test_the_document_takes_the_file_names_post_videos_takes(app: Flask) -> None:
    """The filename pattern (what a fuzzer generates) and the API's check agree."""
    schema = openapi_document(app)["components"]["schemas"]["NewVideo"]
    pattern = re.compile(schema["properties"]["filename"]["pattern"])
    names = ["clip.mp4", "Lecture 1.MOV", "a.webm", "x.m2ts", "clip", "notes.m3u8", "seg.ts"]
    for name in names:
        assert bool(pattern.search(name)) is has_upload_suffix(name), name
