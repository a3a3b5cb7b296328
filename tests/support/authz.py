"""The authorization matrix: every route of the app x six kinds of visitor, and what each must get.

Columns (ROLES), all seen from the course `world.course`:
    anonymous       not logged in
    student         a student of the course: the owner of the student's objects the URL names
    other_student   another student of the same course
    ta              a TA of the course
    ta_other        a TA of another course (`world.other_course`) only
    instructor      an instructor of the course

Cells are Outcomes: OK (200), REDIRECT (a redirect that is not to the login page), LOGIN (to the
login page, with ?next= the page when there is one), NOT_FOUND (404), FORBIDDEN (403),
UNAUTHORIZED (401, the API without a token), or a one-off Outcome(...).

Rows are Cases: an endpoint and method, the URL's arguments taken from the World (the objects
every case can point at: this course's and another course's assignment, submission, people),
optional form data, and the outcome per role. An endpoint may have several rows, one per kind of
object it is asked about ("another course's submission" must be a 404 for everyone).

Adding a route: add its rows to the section of its blueprint below. tests/app/test_authorization.py
fails for every (endpoint, method) of app.url_map without a row, and for rows whose route is gone.
Session routes get a logged-in cookie and a valid CSRF token, so what is tested is who may, not
whether the form was filled; test_authorization.py separately checks that every form route refuses
a request without the token. API rows (`via="token"`) send `Authorization: Bearer` with a token of
a token carrying `scopes`. The API knows courses, not people (a token belongs to one course's
integration), so for those rows the columns mean: anonymous, no token (but a logged-in
instructor's session cookie, which the API must ignore); ta_other, a token of the other course;
the four others, a token of the course.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from itsdangerous import URLSafeTimedSerializer

from app.extensions import db
from app.models import Course, Role, Submission, SubmissionStatus, User
from app.services import assignments, courses, password_links, people, tokens, webhook_endpoints

ROLES = ("anonymous", "student", "other_student", "ta", "ta_other", "instructor")


@dataclass(frozen=True)
class Outcome:
    """What a visitor must get: one of `statuses`; for redirects, whether to the login page."""

    name: str
    statuses: frozenset[int]
    to_login: bool | None = None

    def problem(self, response: Any, path: str, method: str) -> str | None:
        """None when `response` is this outcome, else what it was instead."""
        got = f"{response.status_code}"
        location = response.headers.get("Location", "")
        if location:
            got += f" -> {location}"
        if response.status_code not in self.statuses:
            return got
        if self.to_login is None:
            return None
        target = urlsplit(location)
        at_login = target.path == "/auth/login" and not target.netloc
        if at_login != self.to_login:
            return got
        if at_login and method == "GET":
            nexts = parse_qs(target.query).get("next", [])
            if nexts and nexts != [path]:
                return got + f" (next should be {path})"
        return None

    def __repr__(self) -> str:
        return self.name


OK = Outcome("OK", frozenset({200}))
REDIRECT = Outcome("REDIRECT", frozenset({302, 303}), to_login=False)
LOGIN = Outcome("LOGIN", frozenset({302}), to_login=True)
NOT_FOUND = Outcome("NOT_FOUND", frozenset({404}))
FORBIDDEN = Outcome("FORBIDDEN", frozenset({403}))
UNAUTHORIZED = Outcome("UNAUTHORIZED", frozenset({401}))
GONE = Outcome("GONE", frozenset({410}))
INVALID = Outcome("INVALID", frozenset({422}))  # a form sent back with its errors
HEALTH = Outcome("200 or 503", frozenset({200, 503}))  # /healthz answers 503 while no worker runs
CREATED = Outcome("CREATED", frozenset({201}))
ACCEPTED = Outcome("ACCEPTED", frozenset({202}))
NO_CONTENT = Outcome("NO_CONTENT", frozenset({204}))


def cells(anonymous: Outcome, student: Outcome, other_student: Outcome, ta: Outcome, ta_other: Outcome,
          instructor: Outcome) -> dict[str, Outcome]:
    return dict(zip(ROLES, (anonymous, student, other_student, ta, ta_other, instructor), strict=True))


# The usual rows, for objects of `world.course`.
PUBLIC = cells(OK, OK, OK, OK, OK, OK)
PUBLIC_FORM = cells(INVALID, INVALID, INVALID, INVALID, INVALID, INVALID)  # anyone may send it; empty is invalid
LOGGED_IN = cells(LOGIN, OK, OK, OK, OK, OK)
MEMBERS = cells(LOGIN, OK, OK, OK, NOT_FOUND, OK)
STUDENTS = cells(LOGIN, OK, OK, FORBIDDEN, NOT_FOUND, FORBIDDEN)
OWNER_AND_STAFF = cells(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK)  # one student's work
STAFF = cells(LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK)
INSTRUCTORS = cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, OK)
NOBODY = cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)  # e.g. another course's object


def redirect_instead_of_ok(row: Mapping[str, Outcome]) -> dict[str, Outcome]:
    """The same row for an action that answers a success with a redirect (POST-redirect-GET)."""
    return {role: REDIRECT if outcome is OK else outcome for role, outcome in row.items()}


@dataclass
class World:
    """The objects every case can name: one course seen from the columns, and another course."""

    app: Flask
    course: Course
    other_course: Course
    users: dict[str, User]  # by role column, anonymous excluded
    other_course_student: User
    pending: User  # a student of the course who has not set a password yet
    pending_token: str  # their live invitation link
    assignment: Any
    other_assignment: Any
    submission: Submission  # the student's, in the course
    other_submission: Submission  # a student's of the other course
    _api_tokens: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    def api_token(self, role: str, scopes: tuple[str, ...]) -> str:
        """A token of the course (of the other course for ta_other) with `scopes` (all when empty)."""
        code = self.other_course.code if role == "ta_other" else self.course.code
        key = (code, scopes)
        if key not in self._api_tokens:
            _, secret = tokens.create(code, f"matrix {code} {'-'.join(scopes) or 'all'}",
                                      list(scopes or tokens.SCOPES))
            self._api_tokens[key] = secret
        return self._api_tokens[key]


def _submission(assignment: Any, user: User) -> Submission:
    code = "def f(x):\n    return x\n"
    row = Submission(assignment=assignment, user=user, attempt=1, filename="hw.py", code=code,
                     sha256=hashlib.sha256(code.encode()).hexdigest(), status=SubmissionStatus.GRADED, score=1.0,
                     max_score=assignment.max_score, result={"score": 1.0, "passed": False, "problems": []})
    db.session.add(row)
    return row


def build_world(app: Flask, course: Course) -> World:
    """The world around `course` (the test course, assignments synced); inside an app context."""
    other = courses.get_or_create_course("OTHER1", "Another course")
    assignments.sync(other)

    def person(email: str, role: Role, where: Course) -> User:
        # No password: the matrix logs people in through the session, and hashing costs time.
        user, _ = people.get_or_create_user(email, email.split("@")[0].replace(".", " ").title(), role, None)
        people.enrol(user, where, role)
        return user

    users = {
        "student": person("owner.student@example.edu", Role.STUDENT, course),
        "other_student": person("other.student@example.edu", Role.STUDENT, course),
        "ta": person("course.ta@example.edu", Role.TA, course),
        "ta_other": person("other.ta@example.edu", Role.TA, other),
        "instructor": person("course.instructor@example.edu", Role.INSTRUCTOR, course),
    }
    other_course_student = person("elsewhere.student@example.edu", Role.STUDENT, other)
    pending = person("pending.student@example.edu", Role.STUDENT, course)
    db.session.commit()
    link = password_links.create(pending, course=course)
    assignment = assignments.get_assignment(course.code, "t1")
    other_assignment = assignments.get_assignment(other.code, "t1")
    submission = _submission(assignment, users["student"])
    other_submission = _submission(other_assignment, other_course_student)
    db.session.commit()
    return World(app, course, other, users, other_course_student, pending, password_links.token_for(link),
                 assignment, other_assignment, submission, other_submission)


@dataclass(frozen=True)
class Case:
    """One row of the matrix."""

    endpoint: str
    expect: Mapping[str, Outcome]
    method: str = "GET"
    args: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    label: str = ""
    via: str = "session"  # or "token" for the API
    scopes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.endpoint}: no outcome for {sorted(missing)}"

    @property
    def key(self) -> tuple[str, str]:
        return self.endpoint, self.method

    def name(self) -> str:
        return f"{self.method} {self.endpoint}" + (f" ({self.label})" if self.label else "")


def new_token_id(course: Course) -> int:
    return tokens.create(course.code, "to revoke", [tokens.RESULTS_READ])[0].id


def course_args(w: World) -> dict[str, Any]:
    return {"course_code": w.course.code}


def other_course_args(w: World) -> dict[str, Any]:
    return {"course_code": w.other_course.code}


# ---- main ------------------------------------------------------------------------------------------
MAIN = [
    Case("main.index", PUBLIC),
    Case("main.healthz", cells(HEALTH, HEALTH, HEALTH, HEALTH, HEALTH, HEALTH)),
    Case("main.switch_course", cells(LOGIN, REDIRECT, REDIRECT, REDIRECT, NOT_FOUND, REDIRECT),
         args=lambda w: {"course": w.course.code}),
    Case("main.switch_course", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
         args=lambda w: {"course": "NO-SUCH-COURSE"}, label="a course that does not exist"),
]

# ---- auth ------------------------------------------------------------------------------------------
AUTH = [
    Case("auth.login", cells(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    Case("auth.login", PUBLIC_FORM, method="POST", label="empty form: errors, no login"),
    Case("auth.logout", cells(LOGIN, OK, OK, OK, OK, OK)),
    Case("auth.logout", cells(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN), method="POST",
         label="logged out, then at the login page"),
    Case("auth.change_password", LOGGED_IN),
    Case("auth.change_password", cells(LOGIN, INVALID, INVALID, INVALID, INVALID, INVALID), method="POST",
         label="empty form: errors"),
    Case("auth.set_password", PUBLIC, args=lambda w: {"token": w.pending_token}),
    Case("auth.set_password", PUBLIC_FORM, method="POST", args=lambda w: {"token": w.pending_token},
         label="empty form: errors, the link stays live"),
    Case("auth.set_password", cells(*[NOT_FOUND] * 6), args=lambda w: {"token": "forged.token"},
         label="a forged token"),
    Case("auth.set_password", cells(*[NOT_FOUND] * 6), method="POST", args=lambda w: {"token": "forged.token"},
         label="a forged token"),
    Case("auth.forgot_password", PUBLIC),
]

# ---- student ---------------------------------------------------------------------------------------
OWNER = cells(LOGIN, OK, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN)  # the student's own work, on student pages
ELSEWHERE = cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN)  # an object of another course


def assignment_name_args(w: World) -> dict[str, Any]:
    return {**course_args(w), "name": w.assignment.name}


def own_submission_args(w: World) -> dict[str, Any]:
    return {**course_args(w), "submission_id": w.submission.id}


def foreign_submission_args(w: World) -> dict[str, Any]:
    return {**course_args(w), "submission_id": w.other_submission.id}


STUDENT = [
    Case("student.course", STUDENTS, args=course_args),
    Case("student.course", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND),
         args=other_course_args, label="another course"),
    Case("student.assignment", STUDENTS, args=assignment_name_args),
    Case("student.assignment", ELSEWHERE, args=lambda w: {**course_args(w), "name": "no-such-assignment"},
         label="an assignment the course does not have"),
    Case("student.assignment", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND),
         args=lambda w: {**other_course_args(w), "name": w.other_assignment.name}, label="another course"),
    Case("student.starter", STUDENTS, args=assignment_name_args),
    Case("student.starter", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND),
         args=lambda w: {**other_course_args(w), "name": w.other_assignment.name}, label="another course"),
    Case("student.submit", cells(LOGIN, INVALID, INVALID, FORBIDDEN, NOT_FOUND, FORBIDDEN), method="POST",
         args=assignment_name_args, label="no file: errors, nothing stored"),
    Case("student.submit", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND), method="POST",
         args=lambda w: {**other_course_args(w), "name": w.other_assignment.name}, label="another course"),
    Case("student.submission", OWNER, args=own_submission_args),
    Case("student.submission", ELSEWHERE, args=foreign_submission_args, label="another course's submission"),
    Case("student.status", OWNER, args=own_submission_args),
    Case("student.status", ELSEWHERE, args=foreign_submission_args, label="another course's submission"),
    Case("student.diff", OWNER, args=own_submission_args),
    Case("student.diff", ELSEWHERE, args=foreign_submission_args, label="another course's submission"),
    Case("student.diff", ELSEWHERE, args=lambda w: {**own_submission_args(w), "against": w.other_submission.id},
         label="against another course's submission"),
]

# ---- staff -----------------------------------------------------------------------------------------
STAFF_PAGES = [
    Case("staff.course", STAFF, args=course_args),
    Case("staff.course", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND), args=other_course_args,
         label="another course"),
    Case("staff.roster", STAFF, args=course_args),
    Case("staff.roster", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND), args=other_course_args,
         label="another course"),
    Case("staff.roster_links", STAFF, args=course_args),
    Case("staff.roster_import", INSTRUCTORS, args=course_args),
    Case("staff.roster_import", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, INVALID), method="POST",
         args=course_args, label="no file: errors"),
    Case("staff.roster_import", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND), method="POST",
         args=other_course_args, label="another course"),
    Case("staff.issue_link", redirect_instead_of_ok(STAFF), method="POST",
         args=lambda w: {**course_args(w), "user_id": w.users["student"].id}, label="for a student"),
    Case("staff.issue_link", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, REDIRECT), method="POST",
         args=lambda w: {**course_args(w), "user_id": w.users["ta"].id}, label="for a TA: instructors only"),
    Case("staff.issue_link", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN), method="POST",
         args=lambda w: {**course_args(w), "user_id": w.users["instructor"].id},
         label="for an instructor: nobody of the course"),
    Case("staff.issue_link", NOBODY, method="POST",
         args=lambda w: {**course_args(w), "user_id": w.other_course_student.id}, label="another course's student"),
    Case("staff.api_tokens", INSTRUCTORS, args=course_args),
    Case("staff.api_tokens", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND), args=other_course_args,
         label="another course"),
    Case("staff.create_token", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, INVALID), method="POST",
         args=course_args, label="an empty form"),
    Case("staff.create_token", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, OK), method="POST",
         args=course_args, data=lambda w: {"name": "matrix", "scopes": "results:read"}, label="a token"),
    Case("staff.revoke_token", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, REDIRECT), method="POST",
         args=lambda w: {**course_args(w), "token_id": new_token_id(w.course)}, label="a token of the course"),
    Case("staff.revoke_token", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND), method="POST",
         args=lambda w: {**course_args(w), "token_id": new_token_id(w.other_course)}, label="another course's token"),
    Case("staff.webhooks", INSTRUCTORS, args=course_args),
    Case("staff.webhooks", cells(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND), args=other_course_args,
         label="another course"),
    Case("staff.replay_webhook", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, REDIRECT), method="POST",
         args=lambda w: {**course_args(w), "message_id": new_message(w.course)}, label="a message of the course"),
    Case("staff.replay_webhook", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND), method="POST",
         args=lambda w: {**course_args(w), "message_id": new_message(w.other_course)},
         label="another course's message"),
    Case("staff.toggle_webhook", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, REDIRECT), method="POST",
         args=lambda w: {**course_args(w), "endpoint_id": new_endpoint(w.course)}, label="an endpoint of the course"),
    Case("staff.toggle_webhook", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND), method="POST",
         args=lambda w: {**course_args(w), "endpoint_id": new_endpoint(w.other_course)},
         label="another course's endpoint"),
    Case("staff.recover_webhooks", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, REDIRECT), method="POST",
         args=lambda w: {**course_args(w), "endpoint_id": new_endpoint(w.course)}, label="an endpoint of the course"),
    Case("staff.recover_webhooks", cells(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND), method="POST",
         args=lambda w: {**course_args(w), "endpoint_id": new_endpoint(w.other_course)},
         label="another course's endpoint"),
]


# ---- staff: one assignment's pages -------------------------------------------------------------------
def this_assignment(w: World) -> dict[str, Any]:
    return {**course_args(w), "assignment_id": w.assignment.id}


def foreign_assignment(w: World) -> dict[str, Any]:
    """Another course's assignment asked for under this course's code."""
    return {**course_args(w), "assignment_id": w.other_assignment.id}


def the_student(w: World) -> dict[str, Any]:
    return {**this_assignment(w), "user_id": w.users["student"].id}


def with_extension(w: World) -> dict[str, Any]:
    import datetime as dt

    from app.services import deadlines
    deadlines.grant_extension(w.course.code, w.assignment.name, w.users["student"].email,
                              dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    return the_student(w)


def this_submission(w: World) -> dict[str, Any]:
    return {**course_args(w), "submission_id": w.submission.id}


def foreign_submission(w: World) -> dict[str, Any]:
    return {**course_args(w), "submission_id": w.other_submission.id}


EXTENSION = {"due": "2030-01-02T09:30", "reason": "illness"}
OVERRIDE = {"score": "0.5", "comment": "partial credit for the derivation"}
STAFF_ACTION = redirect_instead_of_ok(STAFF)
STAFF_INVALID = cells(LOGIN, NOT_FOUND, NOT_FOUND, INVALID, NOT_FOUND, INVALID)

def a_preview(w: World, other: bool = False) -> dict[str, Any]:
    """A finished dry run of a regrade of a submission of its own (committing it must not send
    the submissions other rows name back to the queue)."""
    from app.models import RegradePreview

    assignment = w.other_assignment if other else w.assignment
    user = w.other_course_student if other else w.users["other_student"]
    attempts = db.session.query(Submission).filter_by(assignment_id=assignment.id, user_id=user.id).count()
    own = _submission(assignment, user)
    own.attempt = attempts + 1
    preview = RegradePreview(assignment=assignment, submission=own, status="done", total=1, done=1, changes=[])
    db.session.add(preview)
    db.session.commit()
    return {**course_args(w), "preview_id": preview.id}


ASSIGNMENT_PAGES = [
    Case("staff.assignment", STAFF, args=this_assignment),
    Case("staff.assignment", NOBODY, args=foreign_assignment, label="another course's assignment"),
    Case("staff.students", STAFF, args=this_assignment),
    Case("staff.students", NOBODY, args=foreign_assignment, label="another course's assignment"),
    Case("staff.student", STAFF, args=the_student),
    Case("staff.student", NOBODY, args=lambda w: {**this_assignment(w), "user_id": w.other_course_student.id},
         label="another course's student"),
    Case("staff.student", NOBODY, args=lambda w: {**this_assignment(w), "user_id": w.users["ta"].id},
         label="a TA is no student"),
    Case("staff.grant_extension", STAFF_ACTION, method="POST", args=the_student, data=lambda w: EXTENSION),
    Case("staff.grant_extension", STAFF_INVALID, method="POST", args=the_student, label="no date: errors"),
    Case("staff.grant_extension", NOBODY, method="POST", data=lambda w: EXTENSION,
         args=lambda w: {**this_assignment(w), "user_id": w.other_course_student.id}, label="another course's student"),
    Case("staff.grant_extension", NOBODY, method="POST", data=lambda w: EXTENSION,
         args=lambda w: {**foreign_assignment(w), "user_id": w.users["student"].id}, label="another course's assignment"),
    Case("staff.revoke_extension", STAFF_ACTION, method="POST", args=with_extension),
    Case("staff.revoke_extension", NOBODY, method="POST", args=the_student, label="no extension to revoke"),
    Case("staff.submission", STAFF, args=this_submission),
    Case("staff.submission", NOBODY, args=foreign_submission, label="another course's submission"),
    Case("staff.override", STAFF_ACTION, method="POST", args=this_submission, data=lambda w: OVERRIDE),
    Case("staff.override", STAFF_INVALID, method="POST", args=this_submission, label="no comment: errors",
         data=lambda w: {"score": "0.5"}),
    Case("staff.override", NOBODY, method="POST", args=foreign_submission, data=lambda w: OVERRIDE,
         label="another course's submission"),
    Case("staff.clear_override", STAFF_INVALID, method="POST", args=this_submission, label="no comment: errors"),
    Case("staff.clear_override", NOBODY, method="POST", args=foreign_submission, label="another course's submission"),
    Case("staff.export_gradebook", STAFF, args=this_assignment),
    Case("staff.export_gradebook", STAFF, args=lambda w: {**this_assignment(w), "layout": "canvas"}, label="canvas"),
    Case("staff.export_gradebook", NOBODY, args=foreign_assignment, label="another course's assignment"),
    Case("staff.export_checks", STAFF, args=this_assignment),
    Case("staff.export_checks", NOBODY, args=foreign_assignment, label="another course's assignment"),
    Case("staff.regrade", STAFF, args=this_assignment),
    Case("staff.regrade", NOBODY, args=foreign_assignment, label="another course's assignment"),
    Case("staff.preview_regrade", STAFF_ACTION, method="POST", args=this_assignment),
    Case("staff.preview_regrade", NOBODY, method="POST", args=foreign_assignment, label="another course's assignment"),
    Case("staff.preview_submission_regrade", STAFF_ACTION, method="POST", args=this_submission),
    Case("staff.preview_submission_regrade", NOBODY, method="POST", args=foreign_submission,
         label="another course's submission"),
    Case("staff.regrade_preview", STAFF, args=a_preview),
    Case("staff.regrade_preview", NOBODY, args=lambda w: a_preview(w, other=True), label="another course's preview"),
    Case("staff.commit_regrade", STAFF_ACTION, method="POST", args=a_preview),
    Case("staff.commit_regrade", NOBODY, method="POST", args=lambda w: a_preview(w, other=True),
         label="another course's preview"),
]

# ---- api (/api/v1, bearer tokens: see the module's docstring for what the columns mean) ---------------
TOKEN = cells(UNAUTHORIZED, OK, OK, OK, NOT_FOUND, OK)  # an object of the course
OTHER_TOKEN = cells(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND)  # one of the other course


def api(endpoint: str, expect: Mapping[str, Outcome], **kwargs: Any) -> Case:
    return Case(endpoint, expect, via="token", **kwargs)


def assignment_args(w: World) -> dict[str, Any]:
    return {"assignment_id": w.assignment.id}


def other_assignment_args(w: World) -> dict[str, Any]:
    return {"assignment_id": w.other_assignment.id}


def empty_upload(w: World) -> dict[str, Any]:
    # Multipart, as the API takes uploads; refused for its empty file once the token may post here.
    return {"external_user_id": "s1", "file": (io.BytesIO(b""), "empty.py")}


API: list[Case] = [
    api("api-docs.openapi_json", PUBLIC),
    api("api-reference.reference", PUBLIC),
    api("assignments.list_assignments", cells(UNAUTHORIZED, OK, OK, OK, OK, OK), label="each token its own course"),
    api("assignments.get_assignment", TOKEN, args=assignment_args),
    api("assignments.get_assignment", OTHER_TOKEN, args=other_assignment_args, label="another course's"),
    api("assignments.list_scores", TOKEN, args=assignment_args),
    api("assignments.list_scores", OTHER_TOKEN, args=other_assignment_args, label="another course's"),
    api("submissions.create_submission", cells(UNAUTHORIZED, INVALID, INVALID, INVALID, NOT_FOUND, INVALID),
        method="POST", args=assignment_args, data=empty_upload, label="an empty upload"),
    api("submissions.create_submission", cells(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, INVALID, NOT_FOUND),
        method="POST", args=other_assignment_args, data=empty_upload, label="another course's, an empty upload"),
    api("submissions.get_submission", TOKEN, args=lambda w: {"submission_id": w.submission.id}),
    api("submissions.get_submission", OTHER_TOKEN, args=lambda w: {"submission_id": w.other_submission.id},
        label="another course's"),
    api("submissions.get_result", TOKEN, args=lambda w: {"submission_id": w.submission.id}),
    api("submissions.get_result", OTHER_TOKEN, args=lambda w: {"submission_id": w.other_submission.id},
        label="another course's"),
]


def new_endpoint(course: Course) -> int:
    return webhook_endpoints.create(course, "https://lms.example.edu/hooks/matrix", ["submission.graded"])[0].id


def new_message(course: Course) -> int:
    return webhook_endpoints.send_test(course, new_endpoint(course)).id


WEBHOOKS: list[Case] = [
    api("webhooks.list_endpoints", cells(UNAUTHORIZED, OK, OK, OK, OK, OK), label="each token its own course"),
    api("webhooks.create_endpoint", cells(UNAUTHORIZED, INVALID, INVALID, INVALID, INVALID, INVALID), method="POST",
        label="a form body: url and events missing"),
    api("webhooks.get_endpoint", TOKEN, args=lambda w: {"endpoint_id": new_endpoint(w.course)}),
    api("webhooks.get_endpoint", OTHER_TOKEN, args=lambda w: {"endpoint_id": new_endpoint(w.other_course)},
        label="another course's"),
    api("webhooks.update_endpoint", cells(UNAUTHORIZED, INVALID, INVALID, INVALID, NOT_FOUND, INVALID), method="PATCH",
        args=lambda w: {"endpoint_id": new_endpoint(w.course)}, label="a form body, not JSON"),
    api("webhooks.update_endpoint", cells(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, INVALID, NOT_FOUND),
        method="PATCH", args=lambda w: {"endpoint_id": new_endpoint(w.other_course)}, label="another course's"),
    api("webhooks.delete_endpoint", cells(UNAUTHORIZED, NO_CONTENT, NO_CONTENT, NO_CONTENT, NOT_FOUND, NO_CONTENT),
        method="DELETE", args=lambda w: {"endpoint_id": new_endpoint(w.course)}),
    api("webhooks.delete_endpoint", cells(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NO_CONTENT, NOT_FOUND),
        method="DELETE", args=lambda w: {"endpoint_id": new_endpoint(w.other_course)}, label="another course's"),
    api("webhooks.rotate_secret", TOKEN, method="POST", args=lambda w: {"endpoint_id": new_endpoint(w.course)}),
    api("webhooks.rotate_secret", OTHER_TOKEN, method="POST",
        args=lambda w: {"endpoint_id": new_endpoint(w.other_course)}, label="another course's"),
    api("webhooks.send_test", cells(UNAUTHORIZED, ACCEPTED, ACCEPTED, ACCEPTED, NOT_FOUND, ACCEPTED), method="POST",
        args=lambda w: {"endpoint_id": new_endpoint(w.course)}),
    api("webhooks.send_test", cells(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, ACCEPTED, NOT_FOUND),
        method="POST", args=lambda w: {"endpoint_id": new_endpoint(w.other_course)}, label="another course's"),
    api("webhooks.recover", cells(UNAUTHORIZED, ACCEPTED, ACCEPTED, ACCEPTED, NOT_FOUND, ACCEPTED), method="POST",
        args=lambda w: {"endpoint_id": new_endpoint(w.course)}),
    api("webhooks.recover", cells(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, ACCEPTED, NOT_FOUND),
        method="POST", args=lambda w: {"endpoint_id": new_endpoint(w.other_course)}, label="another course's"),
    api("webhooks.list_messages", TOKEN, args=lambda w: {"endpoint_id": new_endpoint(w.course)}),
    api("webhooks.list_messages", OTHER_TOKEN, args=lambda w: {"endpoint_id": new_endpoint(w.other_course)},
        label="another course's"),
    api("webhooks.get_message", TOKEN, args=lambda w: {"message_id": new_message(w.course)}),
    api("webhooks.get_message", OTHER_TOKEN, args=lambda w: {"message_id": new_message(w.other_course)},
        label="another course's"),
    api("webhooks.replay_message", cells(UNAUTHORIZED, ACCEPTED, ACCEPTED, ACCEPTED, NOT_FOUND, ACCEPTED),
        method="POST", args=lambda w: {"message_id": new_message(w.course)}),
    api("webhooks.replay_message", cells(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, ACCEPTED, NOT_FOUND),
        method="POST", args=lambda w: {"message_id": new_message(w.other_course)}, label="another course's"),
]

# ---- pages that exist only in debug and test runs ----------------------------------------------------
STYLEGUIDE = [
    Case("styleguide.index", PUBLIC),
    Case("styleguide.index", PUBLIC_FORM, method="POST", label="empty form: errors"),
    Case("styleguide.status", PUBLIC),
    Case("styleguide.regrade", redirect_instead_of_ok(PUBLIC), method="POST"),
]

TABLE: list[Case] = [*MAIN, *AUTH, *STUDENT, *STAFF_PAGES, *ASSIGNMENT_PAGES, *API, *WEBHOOKS, *STYLEGUIDE]

# Routes that no visitor can be refused (files of the app's own static folder).
UNGUARDED = {("static", "GET")}


def fresh_request(client: Any, *args: Any, **kwargs: Any) -> Any:
    """client.open() in an app context of its own. A test that holds an app context (app_context)
    would otherwise lend it to every request, and Flask-Login keeps the user in its `g`: after one
    request logs out, the next would still see that."""
    with client.application.app_context():
        response = client.open(*args, **kwargs)
        if response.is_streamed:
            # Read a streamed body (a CSV export) while the context its generator runs in is there.
            response.make_sequence()
            response.close()
        return response


def log_in(client: Any, user: User | None) -> str:
    """Make `client` a logged-in session of `user` (or anonymous) with a CSRF token; returns the token.

    The session is written as the app would write it, so no password is hashed: the login form
    itself is tested in tests/app/auth."""
    raw = secrets.token_hex(20)
    with client.session_transaction() as session:
        session.clear()
        session["csrf_token"] = raw
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return str(URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token").dumps(raw))


def request(world: World, case: Case, role: str) -> tuple[Any, str]:
    """Send the case's request as `role`; returns the response and the path asked for."""
    from flask import url_for

    app = world.app
    client = app.test_client()
    user = world.users.get(role)
    with app.test_request_context():
        path = url_for(case.endpoint, **case.args(world))
    headers: dict[str, str] = {}
    data = dict(case.data(world))
    if case.via == "token":
        if user is not None:
            headers["Authorization"] = f"Bearer {world.api_token(role, case.scopes)}"
        else:
            log_in(client, world.users["instructor"])  # a session cookie is no credential there
    else:
        token = log_in(client, user)
        if case.method != "GET":
            data.setdefault("csrf_token", token)
    response = fresh_request(client, path, method=case.method, data=data or None, headers=headers)
    return response, path
