"""The settings coverage table: real settings, real values, and its Markdown rendering."""

from __future__ import annotations

from botocore.model import StructureShape

from tests.support.settings_builders import (
    MODEL,
)
from vod_testbed.backends.mediaconvert.coverage import SETTINGS_COVERAGE, coverage_markdown


def test_coverage_table_names_real_settings_and_values() -> None:
    for shape_name, members in SETTINGS_COVERAGE.items():
        shape = MODEL.shape_for(shape_name)
        assert isinstance(shape, StructureShape), shape_name
        by_wire = {m[0].lower() + m[1:]: m for m in shape.members}
        assert set(members) <= set(by_wire), (shape_name, set(members) - set(by_wire))
        for wire_name, cov in members.items():
            enum = shape.members[by_wire[wire_name]].metadata.get("enum")
            if enum and cov.values is not None:
                assert cov.values <= set(enum), (shape_name, wire_name)


def test_coverage_markdown_lists_every_entry() -> None:
    table = coverage_markdown()
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == sum(len(m) for m in SETTINGS_COVERAGE.values())
    assert "| H264Settings | `qualityTuningLevel` | ignored |" in table
