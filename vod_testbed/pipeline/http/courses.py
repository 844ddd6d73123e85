"""Enrollment management, by each course's owner or an administrator (:mod:`..courses`).

* ``GET /courses/<course_id>/enrollments`` -> ``{"enrollments": [{user_id, status}, ...]}``
* ``PUT /courses/<course_id>/enrollments/<user_id>`` ``{"status": "active"}`` -> 200
* ``DELETE /courses/<course_id>/enrollments/<user_id>`` -> 204, or 404 if none
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from vod_testbed.pipeline.assets import courses
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http.caller import BEARER, current_caller
from vod_testbed.pipeline.http.context import content_service, error_response
from vod_testbed.pipeline.http.models import (
    CoursePath,
    Enrollment,
    EnrollmentChange,
    EnrollmentList,
    EnrollmentPath,
)
from vod_testbed.pipeline.http.operations import Answer, operation

enrollments = Blueprint("enrollments", __name__)

NOT_OWNER = "not the course's owner"


def _db() -> Database:
    return content_service().db


@enrollments.get("/courses/<course_id>/enrollments")
@operation(
    "The course's enrollments (its owner or an administrator)",
    security=BEARER,
    path=CoursePath,
    responses={
        200: Answer("the enrollments", EnrollmentList),
        403: NOT_OWNER,
        404: "no such course",
    },
)
def list_enrollments(course_id: str) -> tuple[Response, int]:
    rows = courses.enrollments(_db(), current_caller(), course_id)
    return jsonify({"enrollments": rows}), 200


@enrollments.put("/courses/<course_id>/enrollments/<user_id>")
@operation(
    "Enroll a user, or change their enrollment's status",
    security=BEARER,
    path=EnrollmentPath,
    body=EnrollmentChange,
    responses={200: Answer("the enrollment", Enrollment), 403: NOT_OWNER, 404: "no such course"},
)
def put_enrollment(course_id: str, user_id: str, body: EnrollmentChange) -> tuple[Response, int]:
    row = courses.enroll(_db(), current_caller(), course_id, user_id, body.status)
    return jsonify(row), 200


@enrollments.delete("/courses/<course_id>/enrollments/<user_id>")
@operation(
    "Remove a user's enrollment",
    security=BEARER,
    path=EnrollmentPath,
    responses={204: "removed", 403: NOT_OWNER, 404: "no such course or enrollment"},
)
def delete_enrollment(course_id: str, user_id: str) -> tuple[Response, int]:
    if not courses.unenroll(_db(), current_caller(), course_id, user_id):
        return error_response(404, f"{user_id!r} is not enrolled", "user_id")
    return Response(status=204), 204
