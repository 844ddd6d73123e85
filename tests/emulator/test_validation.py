"""The emulator validates requests with the MediaConvert model's one validator
(docs/ARCHITECTURE.md, "The settings contract")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.emulator import ROLE, ladder_settings, wire
from vod_testbed.backends.mediaconvert import model


def create_job(client: Any, **body: Any) -> Any:
    return client.post("/2017-08-29/jobs", json={"role": ROLE, **body})


def test_an_unknown_create_job_member_is_refused_naming_it(client: Any) -> None:
    response = create_job(client, settings=wire(ladder_settings()), fooBar=1)
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert response.get_json() == {
        "message": "/fooBar: fooBar is not a member of CreateJobRequest in MediaConvert's API"
    }


def test_an_unknown_settings_member_is_refused_at_its_pointer(client: Any) -> None:
    settings = wire(ladder_settings())
    settings["inputs"][0]["fooBar"] = "x"
    response = create_job(client, settings=settings)
    assert response.status_code == 400
    assert response.get_json() == {
        "message": "/inputs/0/fooBar: fooBar is not a member of Input in MediaConvert's API"
    }


def test_a_jobs_settings_are_validated_once_per_create_job(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated: list[str] = []
    validate = model.validate

    def counting(value_shape: Any, value: Any, path: str = "") -> None:
        if value_shape.name == "JobSettings":
            validated.append(path)
        validate(value_shape, value, path)

    monkeypatch.setattr(model, "validate", counting)
    response = create_job(client, settings=wire(ladder_settings()))
    assert response.status_code == 201
    assert validated == [""]
