"""Courses and their enrollments, managed by each course's owner (or an administrator),
as an LMS's instructor manages a roster. Policy: :mod:`.access`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline.assets.access import ENROLLMENT_STATUSES, AccessDenied
from vod_testbed.pipeline.assets.upload_requests import check_id
from vod_testbed.pipeline.auth import Caller
from vod_testbed.pipeline.db import Course, Database, Enrollment


class CourseNotFound(Exception):
    """No course with that id."""


def claim(db: Database, caller: Caller, course_id: str) -> None:
    """Let ``caller`` add a video to ``course_id``: create the course, owned by the caller,
    if it is new and the caller is an instructor or administrator (the token's ``roles``).
    Raises :class:`AccessDenied` when another user owns it, or when it does not exist and
    the caller may not create courses: a course id is not first come, first served."""
    for attempt in range(2):
        try:
            with db.sessions.begin() as session:
                course = session.get(Course, course_id)
                if course is None:
                    if not caller.creates_courses:
                        raise AccessDenied(
                            f"course {course_id!r} does not exist, and only an instructor or "
                            "an administrator creates one (a token whose roles claim holds "
                            "instructor or admin)"
                        )
                    session.add(Course(id=course_id, owner_id=caller.user_id))
                elif course.owner_id != caller.user_id and not caller.admin:
                    raise AccessDenied(f"course {course_id!r} belongs to another user")
            return
        except IntegrityError:
            # Another request created it meanwhile: read who owns it now (once).
            if attempt:
                raise


def _managed(db: Database, caller: Caller, course_id: str) -> None:
    check_id("course_id", course_id)
    with db.sessions() as session:
        course = session.get(Course, course_id)
    if course is None:
        raise CourseNotFound(course_id)
    if course.owner_id != caller.user_id and not caller.admin:
        raise AccessDenied("only the course's owner or an administrator manages its enrollments")


def enrollments(db: Database, caller: Caller, course_id: str) -> list[dict[str, Any]]:
    """The course's enrollments, by user id."""
    _managed(db, caller, course_id)
    with db.sessions() as session:
        rows = session.query(Enrollment).filter_by(course_id=course_id).order_by(Enrollment.user_id)
        return [_describe(row) for row in rows]


def enroll(db: Database, caller: Caller, course_id: str, user_id: str, status: Any) -> dict:
    """Create or change ``user_id``'s enrollment; ``status`` is one of
    :data:`ENROLLMENT_STATUSES` (only ``active`` grants playback)."""
    check_id("user_id", user_id)
    if status not in ENROLLMENT_STATUSES:
        raise InvalidRequestError("status", f"must be one of {', '.join(ENROLLMENT_STATUSES)}")
    _managed(db, caller, course_id)
    with db.sessions.begin() as session:
        row = session.get(Enrollment, (course_id, user_id))
        if row is None:
            row = Enrollment(course_id=course_id, user_id=user_id, status=status)
            session.add(row)
        row.status = status
        session.flush()
        return _describe(row)


def unenroll(db: Database, caller: Caller, course_id: str, user_id: str) -> bool:
    """Remove ``user_id``'s enrollment; False when there was none."""
    _managed(db, caller, course_id)
    with db.sessions.begin() as session:
        row = session.get(Enrollment, (course_id, user_id))
        if row is None:
            return False
        session.delete(row)
        return True


def _describe(row: Enrollment) -> dict[str, Any]:
    return {"course_id": row.course_id, "user_id": row.user_id, "status": row.status}
