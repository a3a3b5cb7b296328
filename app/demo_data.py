"""The seeded demo: a course, its assignments and a handful of people with known passwords."""

from __future__ import annotations

from app.assignment_sync import sync_assignments
from app.extensions import db
from app.models import Role

DEMO_COURSE = "DEMO"
DEMO_PASSWORD = "nablagrade"
DEMO_PEOPLE = [
    ("instructor@example.edu", "Ada Instructor", Role.INSTRUCTOR),
    ("ta@example.edu", "Tom TA", Role.TA),
    ("alice@example.edu", "Alice Student", Role.STUDENT),
    ("bob@example.edu", "Bob Student", Role.STUDENT),
    ("carol@example.edu", "Carol Student", Role.STUDENT),
]


def seed_demo() -> list[str]:
    """Idempotent: running it twice changes nothing the second time."""
    from app.cli import enrol, get_or_create_course, get_or_create_user

    course = get_or_create_course(DEMO_COURSE, "Demo: gradients by hand")
    for email, name, role in DEMO_PEOPLE:
        user, _ = get_or_create_user(email, name, role, DEMO_PASSWORD)
        enrol(user, course, role)
    outcomes = sync_assignments(course)
    db.session.commit()
    lines = [f"{DEMO_COURSE}/{o.name}: {o.action}" + (f" ({o.message})" if o.message else "") for o in outcomes]
    return lines
