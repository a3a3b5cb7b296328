"""People: users, their email addresses and passwords, and enrolment in courses."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from app.extensions import db
from app.models import Course, Enrolment, Role, User
from app.services import passwords
from app.services.errors import NotFound, ServiceError


class InvalidEmail(ServiceError):
    """Not an email address; the message says what is wrong with it."""


def normalise_email(email: str) -> str:
    """The address as stored: checked for syntax only (no network), lower-cased."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(f"{email.strip()!r} is not an email address: {exc}") from None
    return checked.normalized.lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def get_user(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise NotFound(f"no user {email.strip()!r}")
    return user


def get_or_create_user(email: str, name: str, role: Role, password: str | None) -> tuple[User, bool]:
    """The user with this address, created (flushed, not committed) when missing."""
    email = normalise_email(email)
    user = find_user(email)
    if user is not None:
        return user, False
    user = User(email=email, name=name or email.split("@")[0], role=role)
    if password:
        passwords.set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user, True


def enrol(user: User, course: Course, role: Role) -> bool:
    """Enrol `user` in `course` with `role` (updating the role of an existing enrolment);
    True when the enrolment is new. The caller commits."""
    existing = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                         Enrolment.user_id == user.id))
    if existing is not None:
        existing.role = role
        return False
    db.session.add(Enrolment(course=course, user=user, role=role))
    return True


def create_user(email: str, name: str, role: Role, password: str, course: Course | None = None) -> User:
    """A new user, enrolled in `course` with the same role when given; refuses an address
    that is taken or malformed."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise ServiceError(f"{email} already exists")
    user, _ = get_or_create_user(email, name, role, password)
    if course is not None:
        enrol(user, course, role)
    db.session.commit()
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))
