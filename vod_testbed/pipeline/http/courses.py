"""Enrollment management, by each course's owner or an administrator (:mod:`..courses`).

* ``GET /courses/<course_id>/enrollments`` -> ``{"enrollments": [{user_id, status}, ...]}``
* ``PUT /courses/<course_id>/enrollments/<user_id>`` ``{"status": "active"}`` -> 200
* ``DELETE /courses/<course_id>/enrollments/<user_id>`` -> 204, or 404 if none
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline import courses
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http.api import json_body
from vod_testbed.pipeline.http.caller import current_caller

enrollments = Blueprint("enrollments", __name__)


def _db() -> Database:
    db: Database = current_app.extensions["vod_pipeline"].db
    return db


@enrollments.errorhandler(InvalidRequestError)
def _invalid(error: InvalidRequestError) -> tuple[Response, int]:
    return jsonify({"error": error.message, "field": error.field}), 400


@enrollments.get("/courses/<course_id>/enrollments")
def list_enrollments(course_id: str) -> tuple[Response, int]:
    rows = courses.enrollments(_db(), current_caller(), course_id)
    return jsonify({"enrollments": rows}), 200


@enrollments.put("/courses/<course_id>/enrollments/<user_id>")
def put_enrollment(course_id: str, user_id: str) -> tuple[Response, int]:
    caller = current_caller()
    body = json_body()
    unknown = sorted(set(body) - {"status"})
    if unknown:
        raise InvalidRequestError(unknown[0], "is not a field of an enrollment")
    row = courses.enroll(_db(), caller, course_id, user_id, body.get("status"))
    return jsonify(row), 200


@enrollments.delete("/courses/<course_id>/enrollments/<user_id>")
def delete_enrollment(course_id: str, user_id: str) -> tuple[Response, int]:
    if not courses.unenroll(_db(), current_caller(), course_id, user_id):
        return jsonify({"error": f"{user_id!r} is not enrolled", "field": "user_id"}), 404
    return Response(status=204), 204
