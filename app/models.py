"""The service's data: users and courses, assignments synced from the assignment catalogue,
per-student extensions, submissions with their grading state, the API tokens of integrations
and their webhook endpoints with the outbox of messages and the log of delivery attempts."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC everywhere; SQLite hands datetimes back naive, so re-attach UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


def _enum(kind: type[enum.Enum]) -> Enum:
    # Stored as VARCHAR: adding a value later is a code change, not a PostgreSQL type migration.
    return Enum(kind, native_enum=False, length=16, values_callable=lambda k: [m.value for m in k],
                validate_strings=True)


class Role(enum.StrEnum):
    STUDENT = "student"
    TA = "ta"
    INSTRUCTOR = "instructor"


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.STUDENT)
    # argon2id (app/services/passwords.py); None until the user sets one through their invitation.
    password_hash: Mapped[str | None] = mapped_column(String(256))
    # The student or SIS id of an LMS roster: how an LMS names this person.
    external_id: Mapped[str | None] = mapped_column(String(100), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Part of the id a web session stores: bumped when the password changes, which logs out
    # every other session of the user.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.TA, Role.INSTRUCTOR)

    # Flask-Login's user protocol.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}.{self.session_generation}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="course", cascade="all, delete-orphan")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="course", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Course {self.code}>"


class Enrolment(db.Model):
    """A user in a course, with their role there (a TA in one course can be a student in another)."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("course_id", "user_id"), UniqueConstraint("course_id", "external_user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.STUDENT)
    # How the course's LMS names this person (unique in the course): the API's external_user_id.
    external_user_id: Mapped[str | None] = mapped_column(String(255))
    # The integration whose first submission for an unknown external_user_id created this enrolment.
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship(back_populates="enrolments")
    created_by_token: Mapped[ApiToken | None] = relationship()


class LatePolicy(enum.StrEnum):
    NONE = "none"
    ACCEPT = "accept"
    PENALTY = "penalty"


class ScorePolicy(enum.StrEnum):
    """Which of a student's graded submissions counts (app.services.results.counted)."""

    LATEST = "latest"
    BEST = "best"  # the highest final score; the later attempt on a tie


class Assignment(db.Model):
    """An assignment of a course, synced from assignments/<name>.toml (the file stays the truth)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    # [{"id", "title", "function", "points"}] in the order of the file.
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    max_score: Mapped[float]
    due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    late_policy: Mapped[LatePolicy] = mapped_column(_enum(LatePolicy), default=LatePolicy.NONE)
    late_penalty_per_day: Mapped[float] = mapped_column(default=0.0)
    max_submissions_per_day: Mapped[int | None]
    score_policy: Mapped[ScorePolicy] = mapped_column(_enum(ScorePolicy), default=ScorePolicy.LATEST,
                                                      server_default=ScorePolicy.LATEST.value)
    source_sha256: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="assignments")

    def __repr__(self) -> str:
        return f"<Assignment {self.name}>"


class Extension(db.Model):
    """A later due date for one student on one assignment (one per pair: granting again replaces it)."""

    __tablename__ = "extensions"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    due: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])


class SubmissionStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    GRADED = "graded"
    ERROR = "error"  # a system failure: never counted as a zero


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("assignment_id", "user_id", "attempt"),
        # The sweeper's question: which rows are queued or running, oldest first.
        Index("ix_submissions_status_enqueued_at", "status", "enqueued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    late_days: Mapped[int] = mapped_column(default=0)

    status: Mapped[SubmissionStatus] = mapped_column(_enum(SubmissionStatus), default=SubmissionStatus.QUEUED)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # last time a job was sent
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    graded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    errored_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every UPDATE of the row, Core statements included (onupdate): what the API's
    # ?updated_since= reads, so a claim, a result, an error or a regrade is seen by a poller.
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    score: Mapped[float | None]  # the final score: after any late penalty, as the result document says
    raw_score: Mapped[float | None]  # what the checks earned, before the late penalty
    max_score: Mapped[float | None]
    # A staff override in force (its history is in score_overrides): it replaces `score` wherever
    # a score counts, and a regrade, which writes `score`, leaves it alone.
    override_score: Mapped[float | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    engine_version: Mapped[str | None] = mapped_column(String(32))
    spec_digest: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the assignment file that graded it
    error: Mapped[str | None] = mapped_column(Text)

    # The claim of the job that is grading it: only the run holding `run_id` may store a result,
    # so a re-sent or re-delivered job can never store a second one.
    task_id: Mapped[str | None] = mapped_column(String(64))
    run_id: Mapped[str | None] = mapped_column(String(64))
    worker: Mapped[str | None] = mapped_column(String(200))  # heartbeat instance of the claiming worker
    grade_count: Mapped[int] = mapped_column(default=0)  # results stored, regrades included
    # Automatic re-runs after a system error (grading.sweep); a staff regrade starts again from 0.
    system_retries: Mapped[int] = mapped_column(default=0, server_default="0")
    regrade_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship()
    user: Mapped[User] = relationship()

    @property
    def effective_score(self) -> float | None:
        """The score that counts for this submission: the override when there is one."""
        return self.override_score if self.override_score is not None else self.score

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.status.value}>"


class ScoreOverride(db.Model):
    """One change of a submission's overridden score, by whom and why: the audit trail behind
    Submission.override_score. `score` None records an override taken back."""

    __tablename__ = "score_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    score: Mapped[float | None]
    previous_score: Mapped[float | None]  # the score that counted just before
    comment: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship()
    created_by: Mapped[User | None] = relationship()


class RegradePreview(db.Model):
    """A dry run of a regrade: every graded submission it would touch graded again in the
    sandbox by a worker, nothing stored on the submissions; `changes` lists the scores that
    would move. Committing it sends the real regrade through the normal grading queue."""

    __tablename__ = "regrade_previews"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued, running, done, failed
    total: Mapped[int] = mapped_column(default=0)  # graded submissions to grade again
    done: Mapped[int] = mapped_column(default=0)
    # [{"submission_id", "user_id", "email", "name", "attempt", "old", "new", "counted_old", "counted_new",
    #   "overridden"}] for every submission whose score would change
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    committed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship()
    submission: Mapped[Submission | None] = relationship()
    requested_by: Mapped[User | None] = relationship()


class PasswordTokenPurpose(enum.StrEnum):
    INVITATION = "invitation"  # a new account's first password
    RESET = "reset"  # a forgotten password, issued by course staff or an operator


class PasswordToken(db.Model):
    """A set-password link: single use, expiring. The link carries the row id signed with the
    secret key (app/services/password_links.py), so staff can be shown it again while it is live
    and a copy of the database alone cannot forge one."""

    __tablename__ = "password_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[PasswordTokenPurpose] = mapped_column(_enum(PasswordTokenPurpose))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # replaced by a newer link

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def is_live(self, now: dt.datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class WorkerHeartbeat(db.Model):
    """Live workers, as written by themselves: works with every broker, including the embedded
    ones that have no remote-control channel for `celery inspect`."""

    __tablename__ = "worker_heartbeats"

    instance: Mapped[str] = mapped_column(String(200), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int]
    queues: Mapped[str] = mapped_column(String(200))
    concurrency: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(db.Model):
    """A token of one integration (an LMS, a course's script) in one course, with scopes.

    Only a SHA-256 of the secret is stored (it carries 256 random bits, so a fast hash is
    enough and a request finds its token by one indexed lookup); `hint` is its last four
    characters, so staff can tell two tokens apart without seeing either."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # the integration, e.g. "canvas"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(8))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_ip: Mapped[str | None] = mapped_column(String(45))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name}>"


class IdempotencyKey(db.Model):
    """An Idempotency-Key an integration sent with a submission. The unique constraint is what
    makes two concurrent POSTs with one key create one submission: the second insert waits for
    the first transaction and then fails, and the second request answers with the first's row."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    request_sha256: Mapped[str] = mapped_column(String(64))  # what was asked, to refuse a reused key
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission | None] = relationship()



class EndpointState(enum.StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"  # by a 410, by repeated failures, or by staff; `disabled_reason` says which


class WebhookEndpoint(db.Model):
    """A URL of an integration that receives a course's events of the types it subscribed to,
    signed with its `whsec_` secret (Standard Webhooks). After a rotation the previous secret
    signs too, until `previous_secret_expires_at`, so a receiver can switch without a gap.

    The secrets are kept as they are: signing needs them (a hash could not sign)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list[str]] = mapped_column(JSON, default=list)  # event types, e.g. ["submission.graded"]
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[EndpointState] = mapped_column(_enum(EndpointState), default=EndpointState.ENABLED)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Failed attempts since the last success: an endpoint whose message used every retry with no
    # success in between is disabled.
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship()
    created_by_token: Mapped[ApiToken | None] = relationship()

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id} {self.url}>"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    DELIVERED = "delivered"  # an attempt got a 2xx
    FAILED = "failed"  # every retry used, the endpoint gone (410) or disabled


class WebhookMessage(db.Model):
    """One event for one endpoint: the outbox row, written in the transaction of the change it
    reports. `body` is the exact bytes sent on every attempt and replay, and `msg_id` is the
    `webhook-id` header, the same each time, so a receiver deduplicates on it."""

    __tablename__ = "webhook_messages"
    __table_args__ = (
        # The sweeper's question: which pending messages are due.
        Index("ix_webhook_messages_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_messages_endpoint_id_id", "endpoint_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    msg_id: Mapped[str] = mapped_column(String(40), unique=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="SET NULL"), index=True)
    status: Mapped[MessageStatus] = mapped_column(_enum(MessageStatus), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # `attempts` when it was last replayed: a replay starts the retry schedule again from here.
    replay_offset: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # None once delivered or failed
    # A delivery holds the message until then; a worker that died holding it lets go by itself.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When a delivery job was last sent: the sweeper re-sends only jobs the broker may have lost.
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    endpoint: Mapped[WebhookEndpoint] = relationship()
    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        back_populates="message", order_by="WebhookAttempt.id", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<WebhookMessage {self.msg_id} {self.event_type} {self.status.value}>"


class WebhookAttempt(db.Model):
    """One try at delivering a message: what the receiver answered (or why nothing was sent)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("webhook_messages.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # 1 for the first attempt; a replay continues the count
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    url: Mapped[str] = mapped_column(String(2000))
    status_code: Mapped[int | None]
    latency_ms: Mapped[int | None]
    response_excerpt: Mapped[str | None] = mapped_column(Text)  # capped (app.services.webhook_delivery)
    error: Mapped[str | None] = mapped_column(Text)  # no answer: refused target, timeout, connection error
    success: Mapped[bool] = mapped_column(default=False)

    message: Mapped[WebhookMessage] = relationship(back_populates="attempt_log")
