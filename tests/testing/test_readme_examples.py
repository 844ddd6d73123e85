"""The README's example tests are the files the suite runs, word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
EXAMPLES = REPO / "docs" / "examples"


@pytest.mark.parametrize("name", ["conftest.py", "test_upload_to_ready.py", "test_faults.py"])
def test_the_readme_shows_the_example_file_as_it_runs(name):
    assert f"```python\n{(EXAMPLES / name).read_text()}```" in README


def test_the_example_tests_are_collected_by_the_suite():
    from tomllib import loads

    testpaths = loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "docs/examples" in testpaths["testpaths"]
