"""The seeded demo: a course, its assignments and a handful of people with known passwords.

The demo's due dates are relative to the day it is seeded (hw1 in a week, hw2 in two), so
a demo started any day shows on-time work; the assignment files keep their real dates for
real courses."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.models import Role, utcnow
from app.services import assignments, courses, people

DEMO_COURSE = "DEMO"
DEMO_PASSWORD = "nablagrade"
DEMO_PEOPLE = [
    ("instructor@example.edu", "Ada Instructor", Role.INSTRUCTOR),
    ("ta@example.edu", "Tom TA", Role.TA),
    ("alice@example.edu", "Alice Student", Role.STUDENT),
    ("bob@example.edu", "Bob Student", Role.STUDENT),
    ("carol@example.edu", "Carol Student", Role.STUDENT),
]
DUE_IN_DAYS = {"hw1": 7, "hw2": 14}


def demo_due(days: int, today: dt.date) -> dt.datetime:
    """`days` after `today`, at 23:59 UTC: the same on every seed of one day."""
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(23, 59), tzinfo=dt.UTC)


def seed_demo(today: dt.date | None = None) -> list[str]:
    """Idempotent within a day: running it twice changes nothing the second time."""
    today = today or utcnow().date()
    course = courses.get_or_create_course(DEMO_COURSE, "Demo: gradients by hand")
    for email, name, role in DEMO_PEOPLE:
        user, _ = people.get_or_create_user(email, name, role, DEMO_PASSWORD)
        people.enrol(user, course, role)
    db.session.commit()
    outcomes = assignments.sync(course)
    lines = []
    for outcome in outcomes:
        line = f"{DEMO_COURSE}/{outcome.name}: {outcome.action}" + (f" ({outcome.message})" if outcome.message else "")
        if outcome.name in DUE_IN_DAYS and outcome.action != "error":
            row = assignments.get_assignment(DEMO_COURSE, outcome.name)
            row.due = demo_due(DUE_IN_DAYS[outcome.name], today)
            line += f", due {row.due:%Y-%m-%d %H:%M} UTC"
        lines.append(line)
    db.session.commit()
    return lines
