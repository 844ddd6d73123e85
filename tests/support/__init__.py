"""What the tests share: helpers, constants and fixtures, in one package that
``tests/conftest.py`` loads as a pytest plugin (so asserts in it are rewritten, and its
fixtures are every directory's). Tests import helpers from here, never from a conftest or
another test module; a helper only one directory uses stays beside its tests
(``tests/hls/ladders.py``), one that two share lives here (``tests/test_suite_layout.py``
checks both). A directory's own conftest still overrides a fixture of the same name: the
pipeline tests' ``transcoder`` records requests, everyone else's is the emulator's fake."""

pytest_plugins = [
    "tests.support.browser",
    "tests.support.emulator",
    "tests.support.ladders",
    "tests.support.pipeline",
    "tests.support.postgres",
    "tests.support.scheduling",
    "tests.support.selection",
]
