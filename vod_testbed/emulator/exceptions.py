"""MediaConvert's modelled errors, raised by the model and rendered in one place.

Every error reaches boto3 as AWS sends it: the HTTP status, the ``x-amzn-ErrorType`` header
naming the error shape (botocore maps it onto ``client.exceptions.<Name>``) and a
``{"message": ...}`` body.
"""

from __future__ import annotations


class MediaConvertError(Exception):
    """Base of the API errors: ``code`` is the AWS error shape name, ``status`` its HTTP code."""

    code = "InternalServerErrorException"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestException(MediaConvertError):
    code = "BadRequestException"
    status = 400


class ServiceQuotaExceededException(MediaConvertError):
    """ "You attempted to create more resources than the service allows based on service
    quotas" (service model)."""

    code = "ServiceQuotaExceededException"
    status = 402


class ForbiddenException(MediaConvertError):
    code = "ForbiddenException"
    status = 403


class NotFoundException(MediaConvertError):
    code = "NotFoundException"
    status = 404


class ConflictException(MediaConvertError):
    code = "ConflictException"
    status = 409


class UnprocessableEntityException(MediaConvertError):
    """ "The input file was recognized but appears to be malformed or corrupt" (service
    model; only Probe declares it)."""

    code = "UnprocessableEntityException"
    status = 422


class TooManyRequestsException(MediaConvertError):
    code = "TooManyRequestsException"
    status = 429


class InternalServerErrorException(MediaConvertError):
    code = "InternalServerErrorException"
    status = 500


# Authentication errors: the types and statuses AWS answers SigV4 failures with, before
# any operation runs (so not in the MediaConvert model; botocore still maps them by name).


class MissingAuthenticationTokenException(MediaConvertError):
    code = "MissingAuthenticationTokenException"
    status = 403


class UnrecognizedClientException(MediaConvertError):
    code = "UnrecognizedClientException"
    status = 403


class InvalidSignatureException(MediaConvertError):
    code = "InvalidSignatureException"
    status = 403


class IncompleteSignatureException(MediaConvertError):
    code = "IncompleteSignatureException"
    status = 400


class UnauthorizedException(MediaConvertError):
    """The admin API's own: no or a wrong bearer token."""

    code = "UnauthorizedException"
    status = 401


ERRORS: dict[str, type[MediaConvertError]] = {
    cls.code: cls
    for cls in (
        BadRequestException,
        ServiceQuotaExceededException,
        ForbiddenException,
        NotFoundException,
        ConflictException,
        UnprocessableEntityException,
        TooManyRequestsException,
        InternalServerErrorException,
    )
}


def error_class(name: str) -> type[MediaConvertError]:
    """The error class called ``name``. Raises BadRequestException for an unknown name."""
    try:
        return ERRORS[name]
    except KeyError:
        known = ", ".join(sorted(ERRORS))
        raise BadRequestException(f"unknown error {name!r}; known errors: {known}") from None
