"""Errors of the transcoder layer, with MediaConvert's numeric error codes.

A job that fails ends in ERROR with one of these codes and a message a person can act on;
the codes are the ones MediaConvert documents, so consumers written against AWS see the same
values offline.
"""

from __future__ import annotations

# MediaConvert job error codes (AWS MediaConvert user guide, "Error codes").
INPUT_ERROR = 1010
VIDEO_ERROR = 1020
AUDIO_ERROR = 1021
UNSUPPORTED_CODEC = 1030
SETTINGS_ERROR = 1040
DISK_FULL = 1050
FILE_OPEN_ERROR = 1056
DEMUXER_PARSE_ERROR = 1075
SOURCE_READ_ERROR = 1076
PERMISSIONS_ERROR = 1401
FILE_NOT_FOUND = 1404
UNKNOWN_ERROR = 1999


class TranscodeError(Exception):
    """A job failure with a MediaConvert error code and a readable message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message


class JobNotFoundError(KeyError):
    """No job with that id."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.job_id = job_id

    def __str__(self) -> str:
        return f"no job with id {self.job_id!r}"


class InvalidRequestError(ValueError):
    """A request the caller must fix; ``field`` names the offending argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnknownBackendError(ValueError):
    """A backend name that is not registered."""
