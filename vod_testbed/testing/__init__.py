"""Testing with vod-testbed: the pytest plugin (:mod:`vod_testbed.testing.plugin`, loaded
through the ``pytest11`` entry point) and what its fixtures hand out."""
