"""Flask CLI commands: `flask users|courses|roster|assignments|grading|demo ...`.

Each command parses its arguments, calls one service and prints what happened; a refusal
from a service (ServiceError) is shown as the command's error message."""

from __future__ import annotations

import csv
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app

from app.extensions import db
from app.models import Role
from app.services import assignments, courses, grading, health, jobs, people, submissions
from app.services.demo import seed_demo
from app.services.errors import ServiceError
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


users = click.Group("users", help="Create and list users.")


@users.command("create")
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


@users.command("list")
def list_users() -> None:
    for user in people.list_users():
        click.echo(f"{user.id:5d}  {user.role.value:10s}  {user.email}  {user.name}")


courses_cli = click.Group("courses", help="Create and list courses.")


@courses_cli.command("create")
@click.argument("code")
@click.option("--title", default=None)
def create_course(code: str, title: str | None) -> None:
    """Create a course (a no-op if it exists)."""
    _, created = courses.create_course(code, title)
    click.echo(f"course {code} {'created' if created else 'exists already'}")


roster = click.Group("roster", help="Import a class roster.")


@roster.command("import")
@click.argument("course_code")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@refusals_as_errors
def import_roster(course_code: str, csv_file: Path) -> None:
    """Enrol everyone in CSV_FILE (columns: email, name, and optionally role and password).

    Missing users are created; users without a password get a random one, printed once."""
    course = existing_course(course_code)
    with csv_file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = {c.strip().lower() for c in reader.fieldnames or []}
        if "email" not in columns:
            raise click.ClickException(f"{csv_file}: needs an 'email' column (found: {', '.join(sorted(columns))})")
        created = enrolled = 0
        for line, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            email = row.get("email", "")
            role_name = row.get("role") or "student"
            if "@" not in email:
                raise click.ClickException(f"{csv_file}:{line}: {email!r} is not an email address; nothing imported")
            if role_name not in ROLES:
                raise click.ClickException(f"{csv_file}:{line}: role must be one of {', '.join(ROLES)}; nothing imported")
            password = row.get("password") or people.temporary_password()
            user, new = people.get_or_create_user(email, row.get("name", ""), Role(role_name), password)
            if new:
                created += 1
                if not row.get("password"):
                    click.echo(f"{user.email}: temporary password {password}")
            enrolled += people.enrol(user, course, Role(role_name))
    db.session.commit()
    click.echo(f"{course.code}: {created} users created, {enrolled} new enrolments")


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
    click.echo(f"re-sent {report.resent_queued} queued, rescued {report.rescued_running} running"
               f" (grading queue depth {report.queue_depth})")


demo_cli = click.Group("demo", help="Demo data.")


@demo_cli.command("seed")
def seed() -> None:
    """Create the demo course, sync hw1/hw2 and add one instructor, one TA and a few students."""
    for line in seed_demo():
        click.echo(line)


def register_commands(app: Flask) -> None:
    for group in (users, courses_cli, roster, assignments_cli, grading_cli, demo_cli):
        app.cli.add_command(group)
