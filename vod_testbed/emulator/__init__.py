"""A MediaConvert API emulator that really transcodes (DESIGN contracts 4-6).

``vod_testbed.emulator.app.create_app`` builds the Flask app; ``vod-testbed emulator`` serves it.
Layers, moto-style: :mod:`~emulator.api` (HTTP) -> :mod:`~emulator.models` (rules) ->
:mod:`~emulator.store` (SQLite); :mod:`~emulator.runner` runs jobs with the FFmpeg backend,
:mod:`~emulator.events` shapes EventBridge events and :mod:`~emulator.delivery` delivers
them. ``COVERAGE.md`` lists what is supported, refused and not emulated.
"""
