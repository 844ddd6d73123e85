"""The caller of a pipeline API request, from its bearer token (:mod:`..auth`), and the
answers to requests it may not make: 401 with ``WWW-Authenticate`` (RFC 6750), 403, 404."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, request

from vod_testbed.pipeline.assets.access import AccessDenied
from vod_testbed.pipeline.assets.courses import CourseNotFound
from vod_testbed.pipeline.auth import Authenticator, AuthError, Caller
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.operations import Security


def authenticator_for(settings: PipelineSettings) -> Authenticator:
    """The authenticator ``settings`` describe (``AUTH_*``, ``VOD_AUTH``)."""
    return Authenticator(
        secret=settings.auth_jwt_secret,
        jwks_url=settings.auth_jwks_url,
        audience=settings.auth_jwt_audience,
        issuer=settings.auth_jwt_issuer,
        enabled=settings.auth_enabled,
    )


def current_caller() -> Caller:
    """The request's caller. Raises :class:`AuthError` (answered 401)."""
    caller: Caller | None = g.get("vod_caller")
    if caller is None:
        authenticator: Authenticator = current_app.extensions["vod_auth"]
        caller = authenticator.caller(request.headers.get("Authorization"))
        g.vod_caller = caller
    return caller


def _authenticated() -> None:
    current_caller()


# The API's routes: a bearer JWT whose ``sub`` is the caller.
BEARER = Security(
    ({"bearer": []},),
    check=_authenticated,
    refused="no bearer token, or one that is not valid",
)


def _unauthorized(error: AuthError) -> tuple[Response, int]:
    response = jsonify({"error": str(error), "field": "Authorization"})
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response, 401


def _forbidden(error: AccessDenied) -> tuple[Response, int]:
    return jsonify({"error": str(error)}), 403


def _no_course(error: CourseNotFound) -> tuple[Response, int]:
    return jsonify({"error": f"no course with id {str(error)!r}", "field": "course_id"}), 404


def install(app: Flask, authenticator: Authenticator) -> None:
    """Authenticate ``app``'s API requests with ``authenticator``."""
    app.extensions["vod_auth"] = authenticator
    app.register_error_handler(AuthError, _unauthorized)
    app.register_error_handler(AccessDenied, _forbidden)
    app.register_error_handler(CourseNotFound, _no_course)
