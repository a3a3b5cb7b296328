"""Route guards for course pages, where each user lands, and the course switcher's context.

A course page names its course in the URL and declares who may see it:

    @bp.get("/<course_code>/roster")
    @course_view(access.STAFF)
    def roster(member: Membership) -> str:
        ...

Anonymous visitors are sent to the login page (and back afterwards). Anyone else gets the page
only with one of the roles in that course: a course they are not in, or a staff page asked for
by a student, is a 404; a TA on an instructors' page gets a 403 that says who may. Objects named
by the URL are then looked up through the membership (app/services/access.py), so an id from
another course or another student's work is a 404 too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator
from typing import Any

from flask import Flask, g, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.models import Course, Role, User
from app.services import access
from app.services.access import Membership


def course_view(roles: Collection[Role] = access.MEMBERS) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Guard a view whose URL has <course_code>: it is called with the viewer's Membership
    (instead of course_code) and the URL's other arguments."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(course_code: str, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            member = access.membership(viewer(), course_code, roles)  # NotFound -> 404, Forbidden -> 403
            g.membership = member
            return view(member, **kwargs)

        guarded.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return guarded

    return decorate


def viewer() -> User:
    """The logged-in user as the model object (current_user is a proxy)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def course_home(member: Membership) -> str:
    """Where a member of a course starts: the staff pages for TAs and instructors, else the student's."""
    if member.is_staff:
        return url_for("staff.course", course_code=member.course.code)
    return url_for("student.course", course_code=member.course.code)


def home_for(user: User) -> str:
    """Where a login without a `next` lands: straight into the course of someone in just one,
    else the list of their courses."""
    members = access.memberships(user)
    if len(members) == 1:
        return course_home(members[0])
    return url_for("main.index")


class LazyCourses:
    """The viewer's courses for the switcher, queried only if a page actually shows it (the
    status fragments that htmx polls never do)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._courses: list[Course] | None = None

    def _load(self) -> list[Course]:
        if self._courses is None:
            members = g.get("memberships")
            if members is None:
                members = g.memberships = access.memberships(self.user)
            self._courses = [m.course for m in members]
        return self._courses

    def __iter__(self) -> Iterator[Course]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def switcher_context() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {}
    member: Membership | None = g.get("membership")
    context: dict[str, Any] = {"courses": LazyCourses(viewer()), "course_switch_url": url_for("main.switch_course")}
    if member is not None:
        context.update(current_course=member.course, role=member.role.value)
    return context


def init_app(app: Flask) -> None:
    app.context_processor(switcher_context)
