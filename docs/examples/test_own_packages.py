"""Installing vod-testbed shadows none of our packages, even those named like its folders."""

from pathlib import Path

import fixtures
import pipeline

HERE = Path(__file__).parent


def test_our_pipeline_and_fixtures_packages_are_the_ones_imported():
    assert Path(pipeline.__file__).parent == HERE / "pipeline"
    assert Path(fixtures.__file__).parent == HERE / "fixtures"
