"""JSON log lines carry the asset and job they concern."""

from __future__ import annotations

import json
import logging

from vod_testbed.common.logs import JsonFormatter, log_context


def record(message: str, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("pipeline.test", logging.INFO, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_context_fields_appear_on_every_line() -> None:
    with log_context(asset_id="a-1", job_id="j-1"):
        line = json.loads(JsonFormatter().format(record("hello")))
    assert (line["message"], line["asset_id"], line["job_id"], line["level"]) == (
        "hello",
        "a-1",
        "j-1",
        "INFO",
    )


def test_extra_wins_over_context_and_other_extras_are_kept() -> None:
    with log_context(asset_id="outer"):
        line = json.loads(JsonFormatter().format(record("x", asset_id="inner", key="video/k")))
    assert (line["asset_id"], line["job_id"], line["key"]) == ("inner", None, "video/k")


def test_context_is_gone_after_the_block() -> None:
    with log_context(asset_id="a-1"):
        pass
    assert json.loads(JsonFormatter().format(record("x")))["asset_id"] is None
