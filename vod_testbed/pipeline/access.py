"""Who may do what with a video: the rule "video access controlled by enrollment status".

* A video belongs to its owner (who registered it) and to a course (``course_id``).
* Its owner, users actively enrolled in its course (a stored :class:`Enrollment` with
  status ``active``, or the token's ``courses`` claim) and administrators may list, see and
  play it; anyone else gets 404, as if it did not exist.
* Only its owner may delete it.
* A course is owned by whoever registered its first video; only that owner (or an
  administrator) adds videos to it and manages its enrollments (:mod:`.courses`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.orm import Session

from vod_testbed.pipeline.auth import Caller
from vod_testbed.pipeline.db import Enrollment, VideoAsset

ACTIVE = "active"
ENROLLMENT_STATUSES = ("active", "pending", "suspended", "completed", "dropped")


class AccessDenied(Exception):
    """The caller is known but may not do this; ``str()`` says what."""


def visible_clause(caller: Caller) -> ColumnElement[bool]:
    """A WHERE clause on :class:`VideoAsset` selecting what ``caller`` may see."""
    if caller.admin:
        return true()
    enrolled = (
        select(Enrollment.course_id)
        .where(Enrollment.user_id == caller.user_id, Enrollment.status == ACTIVE)
        .scalar_subquery()
    )
    conditions = [VideoAsset.user_id == caller.user_id, VideoAsset.course_id.in_(enrolled)]
    if caller.courses:
        conditions.append(VideoAsset.course_id.in_(sorted(caller.courses)))
    return or_(*conditions)


def may_view(session: Session, caller: Caller, video: dict[str, Any]) -> bool:
    """Whether ``caller`` may see and play ``video`` (the content service's description)."""
    if caller.admin or video["user_id"] == caller.user_id or video["course_id"] in caller.courses:
        return True
    query = select(
        exists().where(
            Enrollment.course_id == video["course_id"],
            Enrollment.user_id == caller.user_id,
            Enrollment.status == ACTIVE,
        )
    )
    return bool(session.scalar(query))


def check_may_delete(caller: Caller, video: dict[str, Any]) -> None:
    """Raises :class:`AccessDenied` unless ``caller`` owns ``video``."""
    if video["user_id"] != caller.user_id:
        raise AccessDenied("only the video's owner may delete it")
