"""The example tests the README and the pytest plugin's page show are the files the suite
runs: the README's quick start word for word, the page through snippets of the files
themselves (the strict docs build fails when a snippet's file is missing)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
PLUGIN_PAGE = (REPO / "docs" / "pytest-plugin.md").read_text()
EXAMPLES = REPO / "docs" / "examples"


def test_the_readme_shows_the_upload_example_as_it_runs():
    assert f"```python\n{(EXAMPLES / 'test_upload_to_ready.py').read_text()}```" in README


@pytest.mark.parametrize("name", ["conftest.py", "test_upload_to_ready.py", "test_faults.py"])
def test_the_plugin_page_shows_the_example_file_itself(name):
    assert (EXAMPLES / name).is_file()
    assert f'```python\n--8<-- "docs/examples/{name}"\n```' in PLUGIN_PAGE


def test_the_example_tests_run_from_the_wheel_and_only_there():
    """The wheel test runs the examples as a platform team would; collecting them from the
    checkout too would run each example twice in `make test`."""
    from tomllib import loads

    testpaths = loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "docs/examples" not in testpaths["testpaths"]
    wheel_test = (REPO / "tests" / "packaging" / "test_wheel.py").read_text()
    assert 'EXAMPLES = REPO / "docs" / "examples"' in wheel_test
