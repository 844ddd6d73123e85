"""The emulator's own model of a MediaConvert job (docs/ARCHITECTURE.md, "The job model").

:mod:`.model` holds the types, :mod:`.names` the object names a job writes, :mod:`.ladder`
the four-rung ladder as one instance of the model. Nothing here knows MediaConvert's wire
form (``backends/mediaconvert`` reads Settings into the model) or ffmpeg
(``backends/ffmpeg`` compiles the model).
"""
