"""Class rosters from LMS exports (Canvas, Moodle, Blackboard, a hand-made CSV).

A roster is checked whole before anything is stored: every bad row is reported with its
line number, and one bad row means nothing is imported. Temporary passwords exist only for
users that the committed import created."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.models import Course, PasswordToken, Role, User
from app.services import password_links, people
from app.services.errors import ServiceError

# Header spellings of the usual exports, compared without case, spaces or punctuation.
FIELDS = {
    "email": ("email", "emailaddress", "mail"),
    "name": ("name", "fullname", "studentname", "student", "displayname"),
    "first_name": ("firstname", "givenname", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "external_id": ("studentid", "studentnumber", "sisid", "sisuserid", "idnumber", "externalid"),
    "role": ("role",),
    "password": ("password",),
}
HEADERS = {spelling: name for name, spellings in FIELDS.items() for spelling in spellings}
ROLES = {
    "student": Role.STUDENT, "studentenrollment": Role.STUDENT, "learner": Role.STUDENT,
    "ta": Role.TA, "teachingassistant": Role.TA, "taenrollment": Role.TA, "noneditingteacher": Role.TA,
    "instructor": Role.INSTRUCTOR, "teacher": Role.INSTRUCTOR, "teacherenrollment": Role.INSTRUCTOR,
    "editingteacher": Role.INSTRUCTOR,
}
MAX_NAME, MAX_EXTERNAL_ID = 200, 100


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    name: str
    role: Role
    external_id: str | None
    password: str | None


@dataclass
class Roster:
    """A parsed roster: its good rows, every problem (by line), and columns it did not use."""

    source: str
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def map_columns(header: list[str], roster: Roster) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        name = HEADERS.get(squash(title))
        if name is None:
            if title.strip():
                roster.ignored_columns.append(title.strip())
            continue
        if name in columns:
            roster.problems.append(f"{roster.source}:1: columns {header[columns[name]].strip()!r} and "
                                   f"{title.strip()!r} both give the {name.replace('_', ' ')}")
            continue
        columns[name] = index
    if "email" not in columns:
        found = ", ".join(repr(t.strip()) for t in header if t.strip()) or "none"
        roster.problems.append(f"{roster.source}:1: no email column (found: {found}; an email column may be "
                               "called email, e-mail or email address)")
    return columns


def load(data: bytes, source: str = "roster") -> Roster:
    """`parse` for a file's bytes: UTF-8 (a byte-order mark is allowed); anything else is a problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        roster = Roster(source)
        roster.problems.append(f"{source}: not UTF-8 text (byte {exc.start}); export the roster as UTF-8 CSV")
        return roster
    return parse(text, source)


def delimiter(text: str) -> str:
    """The separator of the header line: a comma, or the semicolon (or tab) that spreadsheets
    write where the comma is the decimal mark, when the header has more of those than commas."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count) if header.count(",") == 0 else ","


def parse(text: str, source: str = "roster") -> Roster:
    """Read a CSV roster; never raises for bad content: problems are collected, by line."""
    roster = Roster(source)
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter(text))
    header = next(reader, None)
    if header is None:
        roster.problems.append(f"{source}: the file is empty")
        return roster
    columns = map_columns(header, roster)
    if "email" not in columns:
        return roster
    seen: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue

        def cell(name: str, values: list[str] = values) -> str:
            index = columns.get(name)
            return values[index].strip() if index is not None and index < len(values) else ""

        where = f"{source}:{line}"
        raw_email = cell("email")
        if not raw_email:
            roster.problems.append(f"{where}: no email address")
            continue
        try:
            email = people.normalise_email(raw_email)
        except people.InvalidEmail as exc:
            roster.problems.append(f"{where}: {exc}")
            continue
        if email in seen:
            roster.problems.append(f"{where}: {email} is also on line {seen[email]}")
            continue
        seen[email] = line
        role_text = cell("role") or "student"
        role = ROLES.get(squash(role_text))
        if role is None:
            roster.problems.append(f"{where}: role {role_text!r} is not one of student, ta, instructor")
            continue
        name = cell("name") or " ".join(part for part in (cell("first_name"), cell("last_name")) if part)
        external_id = cell("external_id") or None
        if len(name) > MAX_NAME or len(external_id or "") > MAX_EXTERNAL_ID:
            roster.problems.append(f"{where}: a name is at most {MAX_NAME} characters, an id {MAX_EXTERNAL_ID}")
            continue
        roster.rows.append(RosterRow(line, email, name, role, external_id, cell("password") or None))
    if not roster.rows and not roster.problems:
        roster.problems.append(f"{source}: no one is listed under the header")
    return roster


@dataclass
class RosterImport:
    created: list[str] = field(default_factory=list)  # emails of the users the import created
    # A set-password link for each listed person who has no password and had no live link
    # (new users whose row gives no password, and earlier ones whose invitation expired).
    invited: list[PasswordToken] = field(default_factory=list)
    enrolled: int = 0
    updated_roles: int = 0
    warnings: list[str] = field(default_factory=list)


def import_roster(course: Course, roster: Roster, by: User | None = None) -> RosterImport:
    """Create the missing users and enrol everyone, in one transaction; refuses a roster
    with any problem. Whoever has no password (a new user whose row gives none, or an earlier
    one who never set theirs) and no live set-password link gets an invitation link, created in
    the same transaction; `by` is the staff member importing (None from the CLI)."""
    if roster.problems:
        raise ServiceError(f"{len(roster.problems)} problems in {roster.source}; nothing imported")
    outcome = RosterImport()
    existing = {user.email: user for user in db.session.scalars(
        select(User).where(User.email.in_([row.email for row in roster.rows])))}
    pending = [user for user in existing.values() if not user.password_hash]
    live = password_links.live_links(pending)
    for row in roster.rows:
        user = existing.get(row.email)
        if user is None:
            user, _ = people.get_or_create_user(row.email, row.name, row.role, row.password)
            user.external_id = row.external_id
            outcome.created.append(user.email)
        elif row.external_id and user.external_id != row.external_id:
            if user.external_id is None:
                user.external_id = row.external_id
            else:
                outcome.warnings.append(f"{roster.source}:{row.line}: {user.email} keeps student id "
                                        f"{user.external_id!r} (the roster says {row.external_id!r})")
        before = {e.course_id: e.role for e in user.enrolments}.get(course.id)
        if people.enrol(user, course, row.role):
            outcome.enrolled += 1
        elif before is not row.role:
            outcome.updated_roles += 1
        if not user.password_hash and user.id not in live:
            outcome.invited.append(password_links.create(user, course=course, created_by=by))
    db.session.commit()
    return outcome


def import_file(course: Course, data: bytes, source: str, by: User | None = None) -> tuple[Roster, RosterImport | None]:
    """Read and import a roster file in one go (the web form): the parsed roster, and the import,
    or None when the file has problems and nothing was imported."""
    roster = load(data, source)
    if roster.problems:
        return roster, None
    return roster, import_roster(course, roster, by)
