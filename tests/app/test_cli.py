"""The Flask CLI commands, run as an operator would through Flask's CLI runner against the
test database: what they print, what they refuse, and that a refusal stores nothing."""

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, Enrolment, Extension, Role, Submission, SubmissionStatus, User
from app.services import grading, password_links, passwords, people, tokens
from app.services.submissions import submit
from tests.support.servers import CORRECT


def invoke(app, *args: str, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False, **kwargs)


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def graded(submission_id: int, score: float = 25.0) -> None:
    """Grade through the real claim and store, as a worker would (without the sandbox)."""
    claimed = grading.claim(submission_id, f"t-{submission_id}-{dt.datetime.now().timestamp()}", "w")
    document = {"score": score, "max_score": 25.0, "engine_version": "test", "problems": [], "passed": score == 25}
    assert grading.store_result(claimed, document, "ab" * 32)


# --- users -------------------------------------------------------------------------------------

def test_users_create_and_duplicate(app_context):
    result = invoke(app_context, "users", "create", "Ada@Example.edu", "--role", "instructor", "--password", "pw")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ada@example.edu"))
    assert user.role is Role.INSTRUCTOR and passwords.verify(user, "pw")
    again = invoke(app_context, "users", "create", "ada@example.edu", "--password", "x")
    assert again.exit_code != 0 and "already exists" in again.output


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.edu", "a b@example.edu", "x@localhost", ""])
def test_users_create_refuses_a_bad_email_before_asking_for_a_password(app_context, email):
    result = invoke(app_context, "users", "create", email)  # no --password: it would prompt
    assert result.exit_code == 1
    assert "is not an email address" in result.output and "Password" not in result.output
    assert count(User) == 0


def test_users_create_refuses_an_unknown_course_and_creates_nobody(app_context):
    result = invoke(app_context, "users", "create", "ann@example.edu", "--password", "pw", "--course", "NOPE")
    assert result.exit_code == 1 and "no course 'NOPE'" in result.output
    assert count(User) == 0 and count(Course) == 0


# --- courses -----------------------------------------------------------------------------------

def test_courses_list(app, student):
    invoke(app, "courses", "create", "EMPTY", "--title", "Nothing yet")
    result = invoke(app, "courses", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:7] == ["EMPTY", "0", "students", "0", "staff", "0", "assignments"]
    assert lines[1].split()[:7] == ["T101", "1", "students", "0", "staff", "4", "assignments"]
    assert lines[1].endswith("Test course")


def test_courses_list_when_there_are_none(app_context):
    assert "no courses yet" in invoke(app_context, "courses", "list").output


# --- roster ------------------------------------------------------------------------------------

@pytest.fixture
def c1(app_context):
    assert invoke(app_context, "courses", "create", "C1").exit_code == 0
    return app_context


def roster_file(tmp_path, text: str):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_import_creates_and_enrols(c1, tmp_path):
    roster = roster_file(tmp_path, "email,name,role\nann@example.edu,Ann,student\nted@example.edu,Ted,ta\n")
    result = invoke(c1, "roster", "import", "C1", str(roster))
    assert result.exit_code == 0, result.output
    assert "C1: 2 users created, 2 new enrolments, 2 set-password links" in result.output
    assert "ann@example.edu: set-password link http://localhost:5000/auth/set-password/" in result.output
    roles = {e.user.email: e.role for e in db.session.scalars(select(Enrolment))}
    assert roles == {"ann@example.edu": Role.STUDENT, "ted@example.edu": Role.TA}
    # Nobody has a password until they use their link; importing again makes no second link.
    assert all(u.password_hash is None for u in db.session.scalars(select(User)))
    again = invoke(c1, "roster", "import", "C1", str(roster))
    assert "0 users created, 0 new enrolments" in again.output and "set-password link" not in again.output


def test_the_printed_link_sets_the_password_once(c1, tmp_path):
    result = invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, "email\nann@example.edu\n")))
    url = result.stdout.split("set-password link ")[1].split()[0]
    token = url.rsplit("/", 1)[1]
    user = password_links.redeem(token, "correct horse battery", "correct horse battery")
    assert user.email == "ann@example.edu" and passwords.verify(user, "correct horse battery")
    with pytest.raises(password_links.LinkInvalid, match="already been used"):
        password_links.redeem(token, "another good phrase", "another good phrase")


def test_a_roster_row_with_a_password_gets_no_link(c1, tmp_path):
    result = invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, "email,password\nann@example.edu,pw\n")))
    assert "set-password link" not in result.output
    assert passwords.verify(people.get_user("ann@example.edu"), "pw")


def test_users_link_prints_a_link_for_the_public_url(app_context, student):
    app_context.config["PUBLIC_URL"] = "https://grader.example.edu/"
    try:
        result = invoke(app_context, "users", "link", "student@example.edu")
    finally:
        app_context.config["PUBLIC_URL"] = "http://localhost:5000"
    assert result.exit_code == 0, result.output
    assert result.output.startswith("student@example.edu: reset link https://grader.example.edu/auth/set-password/")
    assert invoke(app_context, "users", "link", "nobody@example.edu").exit_code == 1


def test_a_malformed_roster_reports_every_bad_row_and_imports_and_prints_nothing(c1, tmp_path):
    roster = roster_file(tmp_path, "\n".join([
        "Email,Name,Role",
        "ann@example.edu,Ann,student",      # 2: fine
        "not-an-email,Bob,student",          # 3: bad address
        ",Nobody,student",                   # 4: no address
        "cat@example.edu,Cat,professor",     # 5: unknown role
        "",                                  # 6: blank, skipped
        "ANN@example.edu,Ann again,ta",      # 7: duplicate of line 2
        "dan@example.edu,Dan,student",       # 8: fine
    ]) + "\n")
    result = invoke(c1, "roster", "import", "C1", str(roster))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(roster))]
    assert [p.split(":")[1] for p in problems] == ["3", "4", "5", "7"]
    assert "'not-an-email' is not an email address" in problems[0]
    assert "no email address" in problems[1]
    assert "role 'professor' is not one of student, ta, instructor" in problems[2]
    assert "ann@example.edu is also on line 2" in problems[3]
    assert "4 problems in" in result.output and "nothing imported" in result.output
    assert "password" not in result.output
    assert count(User) == 0 and count(Enrolment) == 0


def test_a_roster_for_an_unknown_course_is_refused_and_creates_nothing(app_context, tmp_path):
    roster = roster_file(tmp_path, "email,name\nann@example.edu,Ann\n")
    result = invoke(app_context, "roster", "import", "NOPE", str(roster))
    assert result.exit_code == 1
    assert "no course 'NOPE': create it with `flask courses create NOPE`" in result.output
    assert "password" not in result.output
    assert count(Course) == 0 and count(User) == 0


@pytest.mark.parametrize(("text", "expected"), [
    # A Canvas-style export: e-mail spelled with a hyphen, an SIS id, and columns we do not use.
    ("Student,ID,SIS User ID,E-Mail,Section\n\"Lovelace, Ada\",101,S-1,ada@example.edu,A\n",
     {"name": "Lovelace, Ada", "external_id": "S-1", "ignored": "ID, Section"}),
    # Moodle: first name and surname, 'Email address', 'ID number'.
    ("First name,Surname,ID number,Email address\nAda,Lovelace,77,ada@example.edu\n",
     {"name": "Ada Lovelace", "external_id": "77", "ignored": None}),
    # Blackboard, shouting, with a byte-order mark and a username we do not use.
    ("\ufeffLAST NAME,FIRST NAME,USERNAME,STUDENT ID,EMAIL\nLovelace,Ada,alove,9,ada@example.edu\n",
     {"name": "Ada Lovelace", "external_id": "9", "ignored": "USERNAME"}),
    ("Full Name,Email,Role\nAda Lovelace,ada@example.edu,TeacherEnrollment\n",
     {"name": "Ada Lovelace", "external_id": None, "ignored": None, "role": Role.INSTRUCTOR}),
    ("full_name,e_mail,sis_id\nAda Lovelace,ada@example.edu,X7\n",
     {"name": "Ada Lovelace", "external_id": "X7", "ignored": None}),
    # A spreadsheet saved where the comma is the decimal mark separates with semicolons.
    ("Nom;Prénom;Adresse;Email;Student ID\nLovelace;Ada;1,5 rue X;ada@example.edu;F-1\n",
     {"name": "ada", "external_id": "F-1", "ignored": "Nom, Prénom, Adresse"}),
    ("Name\tEmail\nAda Lovelace\tada@example.edu\n",
     {"name": "Ada Lovelace", "external_id": None, "ignored": None}),
])
def test_roster_headers_of_the_usual_exports(c1, tmp_path, text, expected):
    result = invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, text)))
    assert result.exit_code == 0, result.output
    ada = people.get_user("ada@example.edu")
    assert (ada.name, ada.external_id) == (expected["name"], expected["external_id"])
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == ada.id))
    assert enrolment.role is expected.get("role", Role.STUDENT)
    if expected["ignored"]:
        assert f"warning: ignored columns: {expected['ignored']}" in result.stderr
    else:
        assert "ignored" not in result.output


@pytest.mark.parametrize(("text", "message"), [
    ("name,student id\nAnn,1\n", "roster.csv:1: no email column (found: 'name', 'student id'"),
    ("Email,E-mail\na@example.edu,b@example.edu\n", "columns 'Email' and 'E-mail' both give the email"),
    ("email\n", "no one is listed"),
    ("", "the file is empty"),
])
def test_a_roster_whose_header_is_unusable_says_why(c1, tmp_path, text, message):
    result = invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, text)))
    assert result.exit_code == 1 and message in result.output
    assert count(User) == 0


def test_a_roster_that_is_not_utf8_is_refused(c1, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("email,name\njose@example.edu,Jos\xe9\n".encode("latin-1"))
    result = invoke(c1, "roster", "import", "C1", str(path))
    assert result.exit_code == 1 and "not UTF-8" in result.output and count(User) == 0


def test_a_roster_keeps_an_existing_users_student_id_and_says_so(c1, tmp_path):
    invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, "email,student id\nann@example.edu,1\n")))
    result = invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, "email,student id,role\nann@example.edu,2,ta\n")))
    assert result.exit_code == 0
    assert "keeps student id '1' (the roster says '2')" in result.stderr
    assert "0 users created, 0 new enrolments, 1 role changed" in result.output
    assert people.get_user("ann@example.edu").external_id == "1"


# --- assignments and grading --------------------------------------------------------------------

def test_assignments_sync(app_context):
    result = invoke(app_context, "assignments", "sync", "--course", "T9")
    assert result.exit_code == 0, result.output
    assert "T9/t1: created" in result.output and "T9/limited: created" in result.output
    assert "T9/t1: unchanged" in invoke(app_context, "assignments", "sync", "--course", "T9", "t1").output


def test_regrade_requeues_and_status_reports(app, student, redis_server):
    submission = submit(student, "T101", "t1", CORRECT.encode(), "hw.py")
    submission.status = SubmissionStatus.GRADED
    db.session.commit()
    redis_server.client().delete("grading")

    result = invoke(app, "grading", "regrade", "--assignment", "t1", "--course", "T101")
    assert result.exit_code == 0 and "1 submissions of T101/t1 queued" in result.output
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status is SubmissionStatus.QUEUED
    assert redis_server.client().llen("grading") == 1
    assert invoke(app, "grading", "regrade", "--submission", "999").exit_code != 0

    status = invoke(app, "grading", "status")
    assert "queue grading" in status.output and "1 waiting" in status.output
    assert "queued 1" in status.output
    assert status.exit_code == 1  # no live worker: status says so and fails, like /healthz


@pytest.fixture
def class_of_three(app, student, course):
    """student: two graded attempts on `penalised` (late), then one still queued; bea: one
    graded attempt; cid: nothing."""
    for email, name in (("bea@example.edu", "Bea"), ("cid@example.edu", "Cid")):
        user, _ = people.get_or_create_user(email, name, Role.STUDENT, "pw")
        people.enrol(user, course, Role.STUDENT)
    db.session.commit()
    first = submit(student, "T101", "penalised", CORRECT.encode(), "a.py").id
    second = submit(student, "T101", "penalised", CORRECT.encode(), "b.py").id
    graded(first, 25.0)
    graded(second, 12.5)  # the latest graded counts, even when lower
    submit(student, "T101", "penalised", CORRECT.encode(), "c.py")
    graded(submit(people.get_user("bea@example.edu"), "T101", "penalised", CORRECT.encode(), "a.py").id, 25.0)
    return second


def test_grading_results_shows_the_score_that_counts(app, class_of_three):
    result = invoke(app, "grading", "results", "penalised", "--course", "T101")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("T101/penalised: 3 students, max 25 (current spec ")
    assert lines[1].split() == ["email", "attempts", "status", "raw", "penalty", "final", "late_days", "spec",
                                "graded_at"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert rows["student@example.edu"][1:8] == ["3", "queued", "12.5", "2.5", "10", "2", "abababababab"]
    assert rows["bea@example.edu"][1:8] == ["1", "graded", "25", "5", "20", "2", "abababababab"]
    assert rows["cid@example.edu"][1:] == ["0", "missing"]


def test_grading_results_as_csv_for_one_user(app, class_of_three):
    result = invoke(app, "grading", "results", "penalised", "--course", "T101", "--user", "Student@Example.edu",
                    "--csv")
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO(result.output)))
    assert row["email"] == "student@example.edu" and row["submission"] == str(class_of_three)
    assert (row["raw"], row["penalty"], row["final"], row["max"]) == ("12.5", "2.5", "10", "25")
    assert row["attempts"] == "3" and row["status"] == "queued" and len(row["spec"]) == 12


def test_grading_results_refuses_what_does_not_exist(app, course):
    assert "T101 has no assignment 'hw9'" in invoke(app, "grading", "results", "hw9", "--course", "T101").output
    assert "no user 'ghost@example.edu'" in invoke(app, "grading", "results", "t1", "--course", "T101",
                                                   "--user", "ghost@example.edu").output


# --- extensions --------------------------------------------------------------------------------

def test_extensions_grant_list_and_revoke(app, student):
    result = invoke(app, "extensions", "grant", "closed", "--course", "T101", "--user", "student@example.edu",
                    "--due", "2099-01-02", "--reason", "medical")
    assert result.exit_code == 0, result.output
    assert "student@example.edu: T101/closed due 2099-01-02 23:59 UTC (assignment: " in result.output
    assert submit(student, "T101", "closed", CORRECT.encode(), "a.py").late_days == 0  # open for them now

    listed = invoke(app, "extensions", "list", "--course", "T101")
    assert "closed" in listed.output and "2099-01-02 23:59 UTC" in listed.output and ": medical" in listed.output

    revoked = invoke(app, "extensions", "revoke", "closed", "--course", "T101", "--user", "student@example.edu")
    assert revoked.exit_code == 0 and "extension to 2099-01-02 23:59 UTC revoked" in revoked.output
    assert "has 1 submissions of closed: they keep their scores until regraded" in revoked.output
    assert count(Extension) == 0
    assert "no extensions in T101" in invoke(app, "extensions", "list", "--course", "T101").output


def test_extensions_grant_by_days_and_regrade(app, student, redis_server):
    submission_id = submit(student, "T101", "penalised", CORRECT.encode(), "a.py").id
    graded(submission_id)
    redis_server.client().delete("grading")
    result = invoke(app, "extensions", "grant", "penalised", "--course", "T101", "--user", "student@example.edu",
                    "--days", "3", "--by", "student@example.edu", "--regrade")
    assert result.exit_code == 0, result.output
    assert "1 submissions queued for regrading" in result.output
    assert redis_server.client().llen("grading") == 1
    db.session.expire_all()
    extension = db.session.scalar(select(Extension))
    assert extension.due - extension.assignment.due == dt.timedelta(days=3)
    assert extension.granted_by.email == "student@example.edu"


@pytest.mark.parametrize(("args", "message"), [
    (["--due", "next week"], "is not a date such as 2026-12-20"),
    ([], "give exactly one of --due DATE or --days N"),
    (["--due", "2099-01-01", "--days", "2"], "give exactly one of --due DATE or --days N"),
])
def test_extensions_grant_refuses_bad_dates(app, student, args, message):
    result = invoke(app, "extensions", "grant", "t1", "--course", "T101", "--user", "student@example.edu", *args)
    assert result.exit_code != 0 and message in result.output
    assert count(Extension) == 0


def test_extensions_grant_by_days_needs_a_due_date(app, student):
    result = invoke(app, "extensions", "grant", "t1", "--course", "T101", "--user", "student@example.edu",
                    "--days", "2")
    assert result.exit_code != 0 and "T101/t1 has no due date: give --due" in result.output


# --- demo --------------------------------------------------------------------------------------

def test_demo_seed_is_idempotent(app_context):
    first = invoke(app_context, "demo", "seed")
    assert first.exit_code == 0, first.output
    second = invoke(app_context, "demo", "seed")
    assert second.exit_code == 0
    assert "created" not in second.output
    emails = set(db.session.scalars(select(User.email)))
    assert {"instructor@example.edu", "ta@example.edu", "alice@example.edu"} <= emails


def test_tokens_create_prints_the_token_alone_on_the_last_line_then_list_and_revoke(app_context, course):
    course_app = app_context
    made = invoke(course_app, "tokens", "create", "--course", "T101", "--name", "canvas",
                  "--scope", "results:read", "--scope", "submissions:write")
    assert made.exit_code == 0, made.output
    secret = made.output.rstrip("\n").splitlines()[-1]
    assert secret.startswith("ngt_") and " " not in secret and len(secret) == 47
    token = tokens.authenticate(secret, "192.0.2.1")
    assert token is not None and token.scopes == ["results:read", "submissions:write"]
    listed = invoke(course_app, "tokens", "list", "--course", "T101").output
    assert "canvas" in listed and f"ngt_…{secret[-4:]}" in listed and "192.0.2.1" in listed and secret not in listed
    revoked = invoke(course_app, "tokens", "revoke", str(token.id))
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert tokens.authenticate(secret) is None
    assert "revoked" in invoke(course_app, "tokens", "list").output
    assert invoke(course_app, "tokens", "list", "--active").output.strip() == "no tokens"
    bad = invoke(course_app, "tokens", "create", "--course", "NOPE", "--name", "x", "--scope", "results:read")
    assert bad.exit_code != 0 and "no course 'NOPE'" in bad.output
    wrong = invoke(course_app, "tokens", "create", "--course", "T101", "--name", "x", "--scope", "admin")
    assert wrong.exit_code != 0 and "results:read" in wrong.output


def test_webhooks_list_log_replay_enable_and_recover(app_context, course):
    from app.models import MessageStatus, WebhookMessage, utcnow
    from app.services import webhook_delivery, webhook_endpoints

    assert invoke(app_context, "webhooks", "list", "--course", "T101").output.strip() == "no webhook endpoints"
    endpoint = webhook_endpoints.create(course, "https://lms.example.edu/hooks", ["submission.graded"])[0]
    message = webhook_endpoints.send_test(course, endpoint.id)
    message.status, message.last_error = MessageStatus.FAILED, "HTTP 500; gave up after 10 attempts"
    webhook_delivery.disable(endpoint, "the endpoint answered 410 Gone to msg_x", utcnow())
    db.session.commit()
    listed = invoke(app_context, "webhooks", "list", "--course", "T101").output
    assert "disabled (the endpoint answered 410 Gone to msg_x)" in listed and "failed 1" in listed
    log = invoke(app_context, "webhooks", "log", "--course", "T101", "--status", "failed").output
    assert message.msg_id in log and "HTTP 500; gave up" in log
    refused = invoke(app_context, "webhooks", "replay", "--course", "T101", str(message.id))
    assert refused.exit_code != 0 and "enable it before replaying" in refused.output
    assert invoke(app_context, "webhooks", "enable", "--course", "T101", str(endpoint.id)).exit_code == 0
    recovered = invoke(app_context, "webhooks", "recover", "--course", "T101", str(endpoint.id))
    assert recovered.exit_code == 0 and "1 messages" in recovered.output
    db.session.expire_all()
    assert db.session.get(WebhookMessage, message.id).status is MessageStatus.PENDING
    other = invoke(app_context, "webhooks", "replay", "--course", "T101", "999999")
    assert other.exit_code != 0 and "no webhook message 999999 in T101" in other.output


def test_counts_are_said_in_words_of_the_right_number(c1, tmp_path):
    bad = invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, "email\nnot-an-email\n")))
    assert "1 problem in" in bad.output and "problem(s)" not in bad.output
    one = invoke(c1, "roster", "import", "C1", str(roster_file(tmp_path, "email\nann@example.edu\n")))
    assert "C1: 1 user created, 1 new enrolment, 1 set-password link" in one.output
