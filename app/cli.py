"""Flask CLI commands: `flask users|courses|roster|assignments|grading|extensions|tokens|webhooks|demo ...`.

Each command parses its arguments, calls one service and prints what happened; a refusal
from a service (ServiceError) is shown as the command's error message."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, url_for

from app.extensions import db
from app.models import Role
from app.services import (
    assignments,
    courses,
    deadlines,
    grading,
    health,
    jobs,
    password_links,
    people,
    results,
    roster,
    submissions,
    tokens,
    webhook_delivery,
    webhook_endpoints,
)
from app.services.demo import seed_demo
from app.services.errors import ServiceError
from app.ui import count_of
from graders import __version__

ROLES = [r.value for r in Role]


def refusals_as_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A service's refusal becomes the command's error message (and exit status 1)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None

    return run


def default_course() -> str:
    return current_app.config["ASSIGNMENTS_COURSE"]


def existing_course(code: str) -> Any:
    course = courses.find_course(code)
    if course is None:
        raise click.ClickException(f"no course {code!r}: create it with `flask courses create {code}`")
    return course


users_cli = click.Group("users", help="Create and list users, and make set-password links.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="Display name (default: the part before @).")
@click.option("--role", type=click.Choice(ROLES), default="student", show_default=True)
@click.option("--password", help="Password (prompted when omitted).")
@click.option("--course", "course_code", help="Also enrol the user in this course, with the same role.")
@refusals_as_errors
def create_user(email: str, name: str, role: str, password: str | None, course_code: str | None) -> None:
    """Create a user (and optionally enrol them)."""
    email = people.normalise_email(email)  # refuse a bad address before asking for a password
    course = existing_course(course_code) if course_code else None
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = people.create_user(email, name, Role(role), password, course)
    click.echo(f"created {user.email} ({role})" + (f", enrolled in {course.code}" if course else ""))


@users_cli.command("list")
def list_users() -> None:
    for user in people.list_users():
        click.echo(f"{user.id:5d}  {user.role.value:10s}  {user.email}  {user.name}")


@users_cli.command("link")
@click.argument("email")
@refusals_as_errors
def password_link(email: str) -> None:
    """Print a set-password link for EMAIL (an invitation, or a reset for someone with a password).

    It works once and expires; it replaces the user's earlier links. Course staff make the same
    links on their course's roster page."""
    link = password_links.issue(people.get_user(email))
    click.echo(f"{link.user.email}: {link.purpose.value} link {link_url(link)} "
               f"(until {link.expires_at:%Y-%m-%d %H:%M} UTC)")


courses_cli = click.Group("courses", help="Create and list courses.")


@courses_cli.command("create")
@click.argument("code")
@click.option("--title", default=None)
def create_course(code: str, title: str | None) -> None:
    """Create a course (a no-op if it exists)."""
    _, created = courses.create_course(code, title)
    click.echo(f"course {code} {'created' if created else 'exists already'}")


@courses_cli.command("list")
def list_courses() -> None:
    """Every course, with its students, staff and assignments."""
    summaries = courses.list_courses()
    if not summaries:
        click.echo("no courses yet: `flask courses create CODE` or `flask demo seed`")
    for summary in summaries:
        course = summary.course
        click.echo(f"{course.code:12s} {summary.students:4d} students  {summary.staff:3d} staff  "
                   f"{summary.assignments:3d} assignments  {course.title}")


roster_cli = click.Group("roster", help="Import a class roster.")


@roster_cli.command("import")
@click.argument("course_code")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@refusals_as_errors
def import_roster(course_code: str, csv_file: Path) -> None:
    """Enrol everyone in CSV_FILE in the course COURSE_CODE, which must exist.

    Columns are matched without regard to case, as LMS exports name them: email (e-mail,
    email address), name (full name, or first name and last name), student id (SIS id, SIS
    user id, ID number), role (student, ta, instructor) and password. Other columns are
    named and ignored. The whole file is checked first: any bad row, and nothing is imported.
    Everyone without a password gets a set-password link (single use, expiring), printed after
    the import; $NABLAGRADE_PUBLIC_URL says where people reach the service."""
    course = existing_course(course_code)
    parsed = roster.load(csv_file.read_bytes(), str(csv_file))
    if parsed.ignored_columns:
        click.echo(f"warning: ignored columns: {', '.join(parsed.ignored_columns)}", err=True)
    if parsed.problems:
        for problem in parsed.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{count_of(len(parsed.problems), 'problem')} in {csv_file}; nothing imported")
    outcome = roster.import_roster(course, parsed)
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)
    for link in outcome.invited:
        click.echo(f"{link.user.email}: set-password link {link_url(link)} (until {link.expires_at:%Y-%m-%d %H:%M} UTC)")
    click.echo(f"{course.code}: {count_of(len(outcome.created), 'user')} created, "
               f"{count_of(outcome.enrolled, 'new enrolment')}"
               + (f", {count_of(outcome.updated_roles, 'role')} changed" if outcome.updated_roles else "")
               + (f", {count_of(len(outcome.invited), 'set-password link')}" if outcome.invited else ""))


def link_url(link: Any) -> str:
    """A set-password link as people reach the service (PUBLIC_URL), for pasting into a message."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for("auth.set_password", token=password_links.token_for(link), _external=True)


assignments_cli = click.Group("assignments", help="Sync assignments from the assignment files.")


@assignments_cli.command("sync")
@click.argument("names", nargs=-1)
@click.option("--course", "course_code", default=None, help="Course to sync into (default: $NABLAGRADE_COURSE or DEMO).")
def sync(names: tuple[str, ...], course_code: str | None) -> None:
    """Create or update assignments from their TOML files (all of them when no NAMES)."""
    course = courses.get_or_create_course(course_code or default_course())
    outcomes = assignments.sync(course, list(names) or None)
    for outcome in outcomes:
        click.echo(f"{course.code}/{outcome.name}: {outcome.action}" + (f": {outcome.message}" if outcome.message else ""))
    if any(o.action == "error" for o in outcomes):
        sys.exit(1)


grading_cli = click.Group("grading", help="Submit, regrade, and watch the grading queue.")


@grading_cli.command("regrade")
@click.option("--submission", "submission_id", type=int, help="Regrade one submission.")
@click.option("--assignment", "assignment_name", help="Regrade every submission of an assignment.")
@click.option("--course", "course_code", default=None)
@refusals_as_errors
def regrade(submission_id: int | None, assignment_name: str | None, course_code: str | None) -> None:
    """Queue submissions for grading again (their old result is replaced when the new one is stored)."""
    if (submission_id is None) == (assignment_name is None):
        raise click.UsageError("give exactly one of --submission ID or --assignment NAME")
    if submission_id is not None:
        if grading.regrade_submission(submission_id) is None:
            raise click.ClickException(f"no submission {submission_id}")
        click.echo(f"submission {submission_id} queued for regrading")
        return
    course = existing_course(course_code or default_course())
    assignment = assignments.get_assignment(course.code, assignment_name)
    count = grading.regrade_assignment(assignment)
    click.echo(f"{count} submissions of {course.code}/{assignment_name} queued for regrading")


@grading_cli.command("submit")
@click.argument("assignment_name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="Submit as this user.")
@click.option("--course", "course_code", default=None)
@refusals_as_errors
def submit_file(assignment_name: str, file: Path, email: str, course_code: str | None) -> None:
    """Submit FILE as a user, through the same path as an upload."""
    user = people.get_user(email)
    submission = submissions.submit(user, course_code or default_course(), assignment_name, file.read_bytes(),
                                    file.name)
    click.echo(f"submission {submission.id} (attempt {submission.attempt}) queued")


def score(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@grading_cli.command("results")
@click.argument("assignment_name")
@click.option("--course", "course_code", default=None)
@click.option("--user", "email", default=None, help="Only this user.")
@click.option("--csv", "as_csv", is_flag=True, help="Comma-separated, with a header row, for a spreadsheet.")
@refusals_as_errors
def show_results(assignment_name: str, course_code: str | None, email: str | None, as_csv: bool) -> None:
    """Each student's score on ASSIGNMENT: the latest graded submission counts.

    raw is what the checks earned, penalty what lateness took off, final what counts; spec is
    the start of the digest of the assignment file that graded it (it changes when the file does)."""
    assignment = assignments.get_assignment(course_code or default_course(), assignment_name)
    user = people.get_user(email) if email else None
    rows = []
    for standing in results.standings(assignment, user):
        counted = standing.counted
        rows.append({
            "email": standing.user.email, "name": standing.user.name, "student_id": standing.user.external_id or "",
            "attempts": standing.attempts,
            "status": standing.latest_status.value if standing.latest_status else "missing",
            "submission": counted.id if counted else "", "raw": score(standing.raw),
            "penalty": score(standing.penalty), "final": score(standing.final), "max": score(assignment.max_score),
            "late_days": counted.late_days if counted else "",
            "spec": (counted.spec_digest or "")[:12] if counted else "",
            "graded_at": f"{counted.graded_at:%Y-%m-%d %H:%M}" if counted and counted.graded_at else "",
        })
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["email"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    click.echo(f"{assignment.course.code}/{assignment.name}: {count_of(len(rows), 'student')}, max {score(assignment.max_score)}"
               f" (current spec {assignment.source_sha256[:12]})")
    columns = ["email", "attempts", "status", "raw", "penalty", "final", "late_days", "spec", "graded_at"]
    widths = {c: max([len(c), *(len(str(r[c])) for r in rows)]) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(str(row[c]).ljust(widths[c]) for c in columns).rstrip())


@grading_cli.command("status")
def status() -> None:
    """Queue depths, submissions by status, and live workers."""
    report = health.check()
    click.echo(f"nablagrade {__version__}")
    click.echo(f"database: {'ok' if report.database['ok'] else 'DOWN ' + report.database.get('error', '')}")
    click.echo(f"broker:   {'ok' if report.broker['ok'] else 'DOWN ' + report.broker.get('error', '')}"
               f" ({report.broker['transport']})")
    for name, depth in jobs.queue_depths().items():
        click.echo(f"  queue {name:12s} {'?' if depth is None else depth} waiting")
    if report.database["ok"]:
        counts = grading.status_counts()
        click.echo("submissions: " + ", ".join(f"{s.value} {n}" for s, n in counts.items()))
    workers = report.workers.get("live", [])
    click.echo(f"workers:  {len(workers)} live")
    for worker in workers:
        click.echo(f"  {worker['name']}  queues={','.join(worker['queues'])}  concurrency={worker['concurrency']}"
                   f"  last seen {worker['last_seen']}")
    if not report.ok:
        sys.exit(1)


@grading_cli.command("sweep")
def sweep_now() -> None:
    """Run the recovery sweep once, now (beat runs it every SWEEP_INTERVAL seconds)."""
    report = grading.sweep()
    click.echo(f"re-sent {report.resent_queued} queued, rescued {report.rescued_running} running,"
               f" retried {report.retried_errors} failed (grading queue depth {report.queue_depth})")


extensions_cli = click.Group("extensions", help="Per-student due dates.")


def parse_due(text: str) -> dt.datetime:
    """2026-12-20T23:59Z, 2026-12-20 23:59 (UTC) or 2026-12-20 (23:59 UTC that day)."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(23, 59), tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date such as 2026-12-20 or 2026-12-20T23:59Z") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@extensions_cli.command("grant")
@click.argument("assignment_name")
@click.option("--user", "email", required=True, help="The student.")
@click.option("--due", "due_text", help="Their due date: 2026-12-20, 2026-12-20T18:00Z (times without a zone are UTC).")
@click.option("--days", type=click.IntRange(min=1), help="Or: this many days after the assignment's due date.")
@click.option("--reason", default="", help="Why (kept with the extension).")
@click.option("--by", "granted_by", default=None, help="Email of the staff member granting it.")
@click.option("--course", "course_code", default=None)
@click.option("--regrade", is_flag=True, help="Grade the student's submissions of it again, under the new date.")
@refusals_as_errors
def grant_extension(assignment_name: str, email: str, due_text: str | None, days: int | None, reason: str,
                    granted_by: str | None, course_code: str | None, regrade: bool) -> None:
    """Give a student their own due date for ASSIGNMENT (replacing an earlier extension)."""
    code = course_code or default_course()
    assignment = assignments.get_assignment(code, assignment_name)
    if (due_text is None) == (days is None):
        raise click.UsageError("give exactly one of --due DATE or --days N")
    if days is not None:
        if assignment.due is None:
            raise click.UsageError(f"{code}/{assignment_name} has no due date: give --due")
        due = assignment.due + dt.timedelta(days=days)
    else:
        due = parse_due(due_text)
    staff = people.get_user(granted_by) if granted_by else None
    extension = deadlines.grant_extension(code, assignment_name, email, due, staff, reason)
    click.echo(f"{extension.user.email}: {code}/{assignment_name} due {extension.due:%Y-%m-%d %H:%M} UTC"
               + (f" (assignment: {assignment.due:%Y-%m-%d %H:%M} UTC)" if assignment.due else ""))
    report_regrade(assignment, extension.user, regrade)


def report_regrade(assignment: Any, user: Any, regrade: bool) -> None:
    if regrade:
        count = grading.regrade_student(assignment, user)
        click.echo(f"{count} submissions queued for regrading")
        return
    attempts = results.standings(assignment, user)[0].attempts
    if attempts:
        click.echo(f"{user.email} has {attempts} submissions of {assignment.name}: they keep their scores until"
                   " regraded (--regrade)")


@extensions_cli.command("revoke")
@click.argument("assignment_name")
@click.option("--user", "email", required=True)
@click.option("--course", "course_code", default=None)
@click.option("--regrade", is_flag=True, help="Grade the student's submissions of it again, under the assignment's date.")
@refusals_as_errors
def revoke_extension(assignment_name: str, email: str, course_code: str | None, regrade: bool) -> None:
    """Take a student's extension away: the assignment's due date applies to them again."""
    code = course_code or default_course()
    due = deadlines.revoke_extension(code, assignment_name, email)
    click.echo(f"{email.strip().lower()}: extension to {due:%Y-%m-%d %H:%M} UTC revoked")
    report_regrade(assignment=assignments.get_assignment(code, assignment_name), user=people.get_user(email),
                   regrade=regrade)


@extensions_cli.command("list")
@click.argument("assignment_name", required=False)
@click.option("--course", "course_code", default=None)
@refusals_as_errors
def list_extensions(assignment_name: str | None, course_code: str | None) -> None:
    """The extensions of a course (of one assignment, when named)."""
    code = course_code or default_course()
    found = deadlines.list_extensions(code, assignment_name)
    if not found:
        click.echo(f"no extensions in {code}" + (f"/{assignment_name}" if assignment_name else ""))
    for extension in found:
        by = f" by {extension.granted_by.email}" if extension.granted_by else ""
        why = f": {extension.reason}" if extension.reason else ""
        click.echo(f"{extension.assignment.name:10s} {extension.user.email:30s} due {extension.due:%Y-%m-%d %H:%M} UTC"
                   f" (granted {extension.created_at:%Y-%m-%d}{by}){why}")


tokens_cli = click.Group("tokens", help="API tokens of integrations (an LMS, a course's scripts).")


@tokens_cli.command("create")
@click.option("--course", "course_code", required=True, help="The course the token acts in.")
@click.option("--name", required=True, help="The integration, e.g. canvas or moodle-prod.")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(tokens.SCOPES),
              help="Repeat for several: " + "; ".join(f"{s}: {h}" for s, h in tokens.SCOPE_HELP.items()) + ".")
@refusals_as_errors
def create_token(course_code: str, name: str, scopes: tuple[str, ...]) -> None:
    """Create a token; it is printed once, alone on the last line, and never shown again."""
    token, secret = tokens.create(course_code, name, list(scopes))
    click.echo(f"token {token.id} of integration {token.name!r} in {token.course.code}, "
               f"scopes {', '.join(token.scopes)}")
    click.echo("Store it now: only its hash is kept, so it cannot be shown again.")
    click.echo(secret)


@tokens_cli.command("list")
@click.option("--course", "course_code", default=None, help="Only this course's tokens.")
@click.option("--active", is_flag=True, help="Leave out revoked tokens.")
@refusals_as_errors
def list_tokens(course_code: str | None, active: bool) -> None:
    """Tokens with their scopes and last use (recorded to the minute)."""
    rows = tokens.list_tokens(course_code, include_revoked=not active)
    if not rows:
        click.echo("no tokens")
    for token in rows:
        used = (f"last used {token.last_used_at:%Y-%m-%d %H:%M} UTC from {token.last_used_ip or '?'}"
                if token.last_used_at else "never used")
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M} UTC" if token.revoked_at else "active"
        click.echo(f"{token.id:5d}  {token.course.code}  {token.name}  ngt_…{token.hint}  {','.join(token.scopes)}"
                   f"  created {token.created_at:%Y-%m-%d %H:%M} UTC  {used}  {state}")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
@refusals_as_errors
def revoke_token(token_id: int) -> None:
    """Revoke a token: requests with it are refused from now on."""
    token = tokens.revoke(token_id)
    click.echo(f"token {token.id} ({token.name!r} in {token.course.code}) revoked {token.revoked_at:%Y-%m-%d %H:%M} UTC")


webhooks_cli = click.Group("webhooks", help="Webhook endpoints of a course and their delivery log.")


@webhooks_cli.command("list")
@click.option("--course", "course_code", required=True, help="The course.")
@refusals_as_errors
def list_webhooks(course_code: str) -> None:
    """The course's endpoints: state (and why disabled), events, message counts."""
    rows = webhook_endpoints.summaries(existing_course(course_code))
    if not rows:
        click.echo("no webhook endpoints")
    for row in rows:
        endpoint, counts = row.endpoint, {status.value: n for status, n in row.counts.items()}
        why = f" ({endpoint.disabled_reason})" if endpoint.disabled_reason else ""
        click.echo(f"{endpoint.id:5d}  {endpoint.state.value}{why}  {endpoint.url}  {','.join(endpoint.events)}  "
                   f"delivered {counts['delivered']}, pending {counts['pending']}, failed {counts['failed']}")


@webhooks_cli.command("log")
@click.option("--course", "course_code", required=True, help="The course.")
@click.option("--endpoint", "endpoint_id", type=int, default=None, help="Only this endpoint's messages.")
@click.option("--status", type=click.Choice(["pending", "delivered", "failed"]), default=None)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@refusals_as_errors
def webhook_log(course_code: str, endpoint_id: int | None, status: str | None, limit: int) -> None:
    """Messages, newest first, each with its attempts."""
    from app.models import MessageStatus

    rows = webhook_endpoints.list_messages(existing_course(course_code), endpoint_id,
                                           MessageStatus(status) if status else None, limit=limit)
    if not rows:
        click.echo("no messages")
    for message in rows:
        click.echo(f"{message.id:6d}  {message.msg_id}  {message.event_type}  {message.status.value}  "
                   f"endpoint {message.endpoint_id}  created {message.created_at:%Y-%m-%d %H:%M:%S} UTC"
                   + (f"  ({message.last_error})" if message.last_error and message.status.value != "delivered" else ""))
        for attempt in message.attempt_log:
            answer = f"HTTP {attempt.status_code}" if attempt.status_code else (attempt.error or "no answer")
            click.echo(f"          #{attempt.number} {attempt.attempted_at:%Y-%m-%d %H:%M:%S} UTC  {answer}"
                       + (f" in {attempt.latency_ms} ms" if attempt.latency_ms is not None else ""))


@webhooks_cli.command("replay")
@click.option("--course", "course_code", required=True, help="The course.")
@click.argument("message_id", type=int)
@refusals_as_errors
def replay_webhook(course_code: str, message_id: int) -> None:
    """Send a message again now, with the same webhook-id and body."""
    message = webhook_endpoints.replay(existing_course(course_code), message_id)
    click.echo(f"message {message.id} ({message.msg_id}, {message.event_type}) will be sent again now")


@webhooks_cli.command("enable")
@click.option("--course", "course_code", required=True, help="The course.")
@click.argument("endpoint_id", type=int)
@refusals_as_errors
def enable_webhook(course_code: str, endpoint_id: int) -> None:
    """Enable a disabled endpoint (after a 410 or repeated failures)."""
    endpoint = webhook_endpoints.set_enabled(existing_course(course_code), endpoint_id, True, by="the CLI")
    click.echo(f"endpoint {endpoint.id} ({endpoint.url}) enabled")


@webhooks_cli.command("recover")
@click.option("--course", "course_code", required=True, help="The course.")
@click.argument("endpoint_id", type=int)
@refusals_as_errors
def recover_webhooks(course_code: str, endpoint_id: int) -> None:
    """Send an endpoint's failed messages again, and its waiting ones now."""
    count = webhook_endpoints.recover(existing_course(course_code), endpoint_id)
    click.echo(f"{count} messages of endpoint {endpoint_id} will be sent again now")


@webhooks_cli.command("sweep")
def sweep_webhooks() -> None:
    """Send the jobs of due messages nobody is delivering (what the beat job does)."""
    click.echo(f"re-sent {webhook_delivery.sweep()} delivery jobs; forgot {webhook_delivery.prune()} old messages")


demo_cli = click.Group("demo", help="Demo data.")


@demo_cli.command("seed")
def seed() -> None:
    """Create the demo course, sync hw1/hw2 and add one instructor, one TA and a few students."""
    for line in seed_demo():
        click.echo(line)


def register_commands(app: Flask) -> None:
    for group in (users_cli, courses_cli, roster_cli, assignments_cli, grading_cli, extensions_cli, tokens_cli,
                  webhooks_cli, demo_cli):
        app.cli.add_command(group)
