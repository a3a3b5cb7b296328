"""What an integration (an LMS or a script, acting through an API token) does in its course:
look up the course's assignments and submissions, and submit for a student it names by its
own id, creating that student the first time, idempotently when it sends a key.

Everything is scoped to the token's course: an id of another course's row is "not found",
never "forbidden", so a token learns nothing about other courses."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ApiToken, Assignment, Course, Enrolment, IdempotencyKey, Role, Submission, User, utcnow
from app.services import people, submissions
from app.services.errors import NotFound, ServiceError


class IdempotencyConflict(ServiceError):
    """The Idempotency-Key was used before for a different request."""


class ExternalUserConflict(ServiceError):
    """The email given belongs to a student the course knows under another external id."""


def list_assignments(course: Course, after_id: int | None = None, limit: int | None = None) -> list[Assignment]:
    query = select(Assignment).where(Assignment.course_id == course.id).order_by(Assignment.id)
    if after_id is not None:
        query = query.where(Assignment.id > after_id)
    return list(db.session.scalars(query.limit(limit)))


def get_assignment(course: Course, assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.course_id != course.id:
        raise NotFound(f"no assignment {assignment_id} in {course.code}")
    return assignment


def get_submission(course: Course, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.assignment.course_id != course.id:
        raise NotFound(f"no submission {submission_id} in {course.code}")
    return submission


def external_user_id(course: Course, user_id: int) -> str | None:
    return db.session.scalar(select(Enrolment.external_user_id).where(Enrolment.course_id == course.id,
                                                                      Enrolment.user_id == user_id))


def placeholder_email(course: Course, external_id: str) -> str:
    """An address for a student the LMS named only by its id: unique per course and id, and in
    the reserved .invalid domain, so nothing is ever mailed to it."""
    digest = hashlib.sha256(f"{course.id}:{external_id}".encode()).hexdigest()[:24]
    return f"lms-{digest}@{course.code.lower()}.nablagrade.invalid"


def find_student(course: Course, external_id: str) -> User | None:
    return db.session.scalar(select(User).join(Enrolment, Enrolment.user_id == User.id)
                             .where(Enrolment.course_id == course.id, Enrolment.external_user_id == external_id))


def roster_student(course: Course, external_id: str) -> User | None:
    """A student of the course's roster whose student id is `external_id` and who has no LMS id
    yet: an LMS often names students by the same SIS id the roster export carried."""
    found = list(db.session.scalars(
        select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course.id, Enrolment.external_user_id.is_(None), User.external_id == external_id)
        .limit(2)))
    return found[0] if len(found) == 1 else None


def student_for(token: ApiToken, external_id: str, email: str | None = None, name: str | None = None) -> User:
    """The course's student with this external id; unknown, they are enrolled now (an existing
    user when `email` is theirs, else a new one), recorded as created by the token's integration.
    Flushed in the caller's transaction, not committed."""
    course = token.course
    found = find_student(course, external_id)
    if found is not None:
        return found
    if email:
        email = people.normalise_email(email)
    try:
        # A savepoint: a concurrent request creating the same student wins, and this one uses theirs.
        with db.session.begin_nested():
            user = people.find_user(email) if email else roster_student(course, external_id)
            if user is None:
                user = User(email=email or placeholder_email(course, external_id),
                            name=(name or "").strip()[:200] or f"{external_id} ({token.name})", role=Role.STUDENT)
                db.session.add(user)
                db.session.flush()
            enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                                  Enrolment.user_id == user.id))
            if enrolment is None:
                db.session.add(Enrolment(course=course, user=user, role=Role.STUDENT, external_user_id=external_id,
                                         created_by_token_id=token.id))
            elif enrolment.external_user_id is None:
                enrolment.external_user_id = external_id  # a student of the roster, now linked to the LMS
            else:
                raise ExternalUserConflict(f"{user.email} is external user {enrolment.external_user_id!r} in "
                                           f"{course.code}, not {external_id!r}")
    except IntegrityError:
        found = find_student(course, external_id)
        if found is None:
            raise
        return found
    return user


def request_digest(assignment_id: int, external_id: str, data: bytes, filename: str, email: str | None,
                   name: str | None) -> str:
    """What a request asked for, to tell a retry (same digest) from a reused key."""
    asked = {"assignment_id": assignment_id, "external_user_id": external_id, "filename": filename,
             "email": email, "name": name, "code_sha256": hashlib.sha256(data).hexdigest()}
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Submitted:
    submission: Submission
    replayed: bool  # True when an earlier request with the same Idempotency-Key made it


def _replay(token: ApiToken, key: str, digest: str) -> Submitted | None:
    earlier = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.token_id == token.id,
                                                             IdempotencyKey.key == key))
    if earlier is None:
        return None
    if earlier.request_sha256 != digest:
        raise IdempotencyConflict(f"Idempotency-Key {key!r} was used for a different request; "
                                  "use a new key for a new submission")
    if earlier.submission is None:
        raise IdempotencyConflict(f"the submission made with Idempotency-Key {key!r} no longer exists")
    return Submitted(earlier.submission, replayed=True)


def submit(token: ApiToken, assignment_id: int, external_id: str, data: bytes, filename: str,
           idempotency_key: str | None = None, email: str | None = None, name: str | None = None) -> Submitted:
    """Submit `data` for the student the LMS calls `external_id`, under every rule of a web
    upload (size, encoding, late policy, daily limit).

    With an `idempotency_key`, the same request sent again returns the first one's submission
    (even if the rules would refuse it now), and the key used for a different request is an
    IdempotencyConflict. The key is claimed first, in the same transaction as the submission:
    a concurrent request with the same key waits on the unique constraint, then finds the
    submission the first one committed."""
    if not 0 < len(external_id) <= 255 or any(ord(c) < 32 or ord(c) == 127 for c in external_id):
        raise ServiceError("external_user_id must be 1 to 255 characters with no control characters")
    course = token.course
    assignment = get_assignment(course, assignment_id)
    digest = request_digest(assignment_id, external_id, data, filename, email, name)
    if idempotency_key is not None:
        replayed = _replay(token, idempotency_key, digest)
        if replayed is not None:
            return replayed
        claim = IdempotencyKey(token_id=token.id, key=idempotency_key, request_sha256=digest)
        db.session.add(claim)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            replayed = _replay(token, idempotency_key, digest)
            if replayed is None:
                raise
            return replayed
    try:
        student = student_for(token, external_id, email, name)
        submission = submissions.stage(student, course.code, assignment.name, data, filename)
        if idempotency_key is not None:
            claim.submission_id = submission.id
        submissions.commit_keeping_state()
    except BaseException:
        db.session.rollback()
        raise
    return Submitted(submission, replayed=False)


def prune_idempotency_keys(now: dt.datetime | None = None) -> int:
    """Forget keys older than IDEMPOTENCY_KEY_TTL, so the table does not grow with every POST.
    A retry that late is a new request: the integration has long since seen the first answer."""
    cutoff = (now or utcnow()) - dt.timedelta(seconds=current_app.config["IDEMPOTENCY_KEY_TTL"])
    pruned = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount
    db.session.commit()
    return pruned or 0
