"""Who may do what with a video: the rule "video access controlled by enrollment status".

* A video belongs to its owner (who registered it) and to a course (``course_id``).
* Its owner, users actively enrolled in its course (a stored :class:`Enrollment` with
  status ``active``, or the token's ``courses`` claim) and administrators may list, see and
  play it; anyone else gets 404, as if it did not exist.
* Only its owner may delete it.
* A course is created by an instructor or administrator (the token's ``roles``) when they
  register its first video, and owned by them; only that owner (or an administrator) adds
  videos to it and manages its enrollments (:mod:`.courses`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, String, bindparam, or_, select

from vod_testbed.pipeline.auth import Caller
from vod_testbed.pipeline.db import Enrollment, VideoAsset

ACTIVE = "active"
ENROLLMENT_STATUSES = ("active", "pending", "suspended", "completed", "dropped")


class AccessDenied(Exception):
    """The caller is known but may not do this; ``str()`` says what."""


# The stored part of the rule (owner, administrator, stored active enrollment) as one SQL
# expression with bind parameters (:func:`access_params`), built once: SQLAlchemy then reuses
# its compiled form instead of building a clause per request.
_USER = bindparam("access_user", type_=String)
_ADMIN = bindparam("access_admin", type_=Boolean)
VISIBLE: ColumnElement[bool] = or_(
    _ADMIN,
    VideoAsset.user_id == _USER,
    VideoAsset.course_id.in_(
        select(Enrollment.course_id)
        .where(Enrollment.user_id == _USER, Enrollment.status == ACTIVE)
        .scalar_subquery()
    ),
)


def access_params(caller: Caller) -> dict[str, Any]:
    """The bind parameters of :data:`VISIBLE` for ``caller``."""
    return {"access_user": caller.user_id, "access_admin": caller.admin}


def visible_clause(caller: Caller) -> ColumnElement[bool]:
    """The whole rule as a WHERE clause on :class:`VideoAsset` (bind it with
    :func:`access_params`): :data:`VISIBLE`, or a course of the token's ``courses`` claim."""
    if not caller.courses:
        return VISIBLE
    return or_(VISIBLE, VideoAsset.course_id.in_(sorted(caller.courses)))


def check_may_delete(caller: Caller, video: dict[str, Any]) -> None:
    """Raises :class:`AccessDenied` unless ``caller`` owns ``video``."""
    if video["user_id"] != caller.user_id:
        raise AccessDenied("only the video's owner may delete it")
