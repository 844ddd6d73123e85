"""A MediaConvert API emulator that really transcodes (docs/ARCHITECTURE.md, "The wire
contract" and "The event contract").

``vod_testbed.emulator.app.create_app`` builds the Flask app; ``vod-testbed emulator`` serves it.
Layers, moto-style: :mod:`~emulator.api` (HTTP) -> :mod:`~emulator.models` (rules) ->
:mod:`~emulator.store` (SQLite); :mod:`~emulator.runner` runs jobs with the FFmpeg backend,
:mod:`vod_testbed.backends.mediaconvert.events` shapes EventBridge events and
:mod:`~emulator.delivery` delivers them. ``COVERAGE.md`` lists what is supported, refused
and not emulated.
"""
