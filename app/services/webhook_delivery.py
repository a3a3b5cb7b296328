"""Delivering webhook messages: one attempt per job, signed at send time over the stored body,
to an address vetted at send time, and the schedule of the next one.

A message is held by the delivery that claimed it (`locked_until`) for longer than an attempt
can take; a worker that dies holding it lets go by itself and the sweeper sends it again. The
outcome of every attempt is a `webhook_attempts` row, whatever happened."""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import logging
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, or_, select, update

from app.extensions import db
from app.models import EndpointState, MessageStatus, WebhookAttempt, WebhookEndpoint, WebhookMessage, utcnow
from app.services import jobs, webhook_signing, webhook_targets
from app.services.webhook_outbox import DELIVER_TASK
from app.services.webhook_targets import IPAddress, Resolver, Target, TargetRefused
from graders import __version__

log = logging.getLogger(__name__)

EXCERPT_BYTES = 4096  # read at most this much of an answer
EXCERPT_CHARS = 1000  # and keep this much of it in the log
JITTER = 0.2  # each delay is drawn from +-20% around the schedule's
RETRY_AFTER_MAX = 86400.0
# Retries due within this many seconds are sent as delayed jobs; later ones are left to the sweeper.
DELAYED_JOB_MAX = 120.0
SWEEP_BATCH = 500
BACKLOG_JOBS = 200  # messages sent at once when an endpoint answers again; the sweeper sends the rest
USER_AGENT = f"nablagrade-webhooks/{__version__}"


# --- one HTTP request, to a vetted address --------------------------------------------------------

class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to the address that was vetted; the Host header keeps the URL's name."""

    def __init__(self, target: Target, address: IPAddress, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to the vetted address, with the certificate checked against the URL's name."""

    def __init__(self, target: Target, address: IPAddress, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((str(self.address), self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Answer:
    """What one attempt got: a status (any, a redirect included) or an error before one."""

    status_code: int | None
    latency_ms: int
    excerpt: str | None = None
    error: str | None = None
    retry_after: float | None = None

    @property
    def success(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), RETRY_AFTER_MAX)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(max(0.0, when.timestamp() - (time.time() if now is None else now)), RETRY_AFTER_MAX)


def send(url: str, body: bytes, headers: dict[str, str], timeout: float, allow_private: bool,
         resolver: Resolver = webhook_targets.resolve) -> Answer:
    """POST `body` to `url` once: no redirects followed, `timeout` seconds for each network step.
    A refused target is an Answer with an error, decided before any connection is made."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = webhook_targets.parse(url)
        address = webhook_targets.vet(target, allow_private, resolver)
    except TargetRefused as exc:
        return Answer(None, elapsed(), error=f"not sent: {exc}")
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, address, timeout)
    # `timeout` bounds each network step; this bounds the whole attempt, so a receiver that
    # answers a byte at a time cannot hold a delivery thread (the services worker runs threads,
    # which Celery cannot time-limit).
    expired = threading.Event()
    watchdog = threading.Timer(timeout, _cut, args=(connection, expired))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("POST", target.path, body=body, headers={
            **headers, "Content-Type": "application/json", "User-Agent": USER_AGENT, "Connection": "close"})
        response = connection.getresponse()
        raw = response.read(EXCERPT_BYTES)
        if expired.is_set():
            raise TimeoutError
        excerpt = raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
        return Answer(response.status, elapsed(), excerpt=excerpt, retry_after=retry_after(response.getheader(
            "Retry-After")))
    except TimeoutError:
        return Answer(None, elapsed(), error=f"no answer within {timeout:g} s")
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set():
            return Answer(None, elapsed(), error=f"no complete answer within {timeout:g} s")
        if isinstance(exc, ssl.SSLError):
            return Answer(None, elapsed(), error=f"TLS failed: {exc}")
        return Answer(None, elapsed(), error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        watchdog.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    """The attempt's time is up: shut its socket, which ends any read or write in progress."""
    expired.set()
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


# --- the delivery of one message --------------------------------------------------------------------

def signing_secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    """The current secret, and the previous one while its rotation grace lasts."""
    found = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > now:
        found.append(endpoint.previous_secret)
    return found


def lease_seconds() -> float:
    return current_app.config["WEBHOOK_TIMEOUT"] * 3 + 30


def claim(message_id: int, now: dt.datetime) -> bool:
    """Take the message for one attempt if it is due and nobody holds it."""
    claimed = db.session.execute(
        update(WebhookMessage)
        .where(WebhookMessage.id == message_id, WebhookMessage.status == MessageStatus.PENDING,
               WebhookMessage.next_attempt_at <= now,
               or_(WebhookMessage.locked_until.is_(None), WebhookMessage.locked_until < now))
        .values(locked_until=now + dt.timedelta(seconds=lease_seconds()), attempts=WebhookMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def next_delay(schedule: tuple[float, ...], retry: int, answer: Answer) -> float | None:
    """Seconds until retry number `retry` (1 = the first retry), or None when the schedule is used up.
    A 429 or 503 with Retry-After waits at least that long."""
    if retry > len(schedule):
        return None
    delay = schedule[retry - 1] * random.uniform(1 - JITTER, 1 + JITTER)
    if answer.status_code in (429, 503) and answer.retry_after is not None:
        delay = max(delay, answer.retry_after)
    return delay


def disable(endpoint: WebhookEndpoint, reason: str, now: dt.datetime) -> None:
    if endpoint.state is EndpointState.DISABLED:
        return
    endpoint.state = EndpointState.DISABLED
    endpoint.disabled_reason = reason[:1000]
    endpoint.disabled_at = now
    log.warning("webhook endpoint %s (%s) disabled: %s", endpoint.id, endpoint.url, reason)


def _fail(message: WebhookMessage, error: str, now: dt.datetime) -> None:
    message.status = MessageStatus.FAILED
    message.failed_at = now
    message.next_attempt_at = None
    message.locked_until = None
    message.last_error = error[:2000]


def deliver(message_id: int, resolver: Resolver = webhook_targets.resolve) -> str:
    """One attempt at one message: delivered, retrying, failed or skipped (not due, held elsewhere)."""
    config = current_app.config
    now = utcnow()
    if not claim(message_id, now):
        return "skipped"
    message = db.session.get(WebhookMessage, message_id)
    if message is None:
        return "skipped"
    endpoint = message.endpoint
    if endpoint.state is not EndpointState.ENABLED:
        _fail(message, f"not sent: the endpoint is disabled ({endpoint.disabled_reason or 'by staff'})", now)
        db.session.commit()
        return "failed"
    url, body = endpoint.url, message.body
    headers = webhook_signing.headers(message.msg_id, body, signing_secrets(endpoint, now))
    db.session.rollback()  # no transaction stays open while the receiver takes its time
    answer = send(url, body, headers, config["WEBHOOK_TIMEOUT"], config["WEBHOOK_ALLOW_PRIVATE"], resolver)
    done = utcnow()
    message = db.session.get(WebhookMessage, message_id)
    if message is None:
        return "skipped"  # deleted with its endpoint meanwhile
    endpoint = message.endpoint
    db.session.add(WebhookAttempt(message_id=message.id, number=message.attempts, attempted_at=now, url=url,
                                  status_code=answer.status_code, latency_ms=answer.latency_ms,
                                  response_excerpt=answer.excerpt, error=answer.error, success=answer.success))
    if answer.success:
        message.status = MessageStatus.DELIVERED
        message.delivered_at = done
        message.next_attempt_at = message.locked_until = None
        message.last_error = None
        if endpoint.consecutive_failures:
            bring_forward(endpoint.id, message.id, done)
        endpoint.consecutive_failures = 0
        endpoint.last_success_at = done
        db.session.commit()
        return "delivered"

    error = answer.error or f"HTTP {answer.status_code}" + (" (redirects are not followed)"
                                                           if answer.status_code and 300 <= answer.status_code < 400
                                                           else "")
    # Incremented in the database: concurrent failed attempts to one endpoint all count.
    endpoint.consecutive_failures = WebhookEndpoint.consecutive_failures + 1
    endpoint.last_failure_at = done
    db.session.flush()
    message.last_error = error[:2000]
    if answer.status_code == 410:
        _fail(message, f"{error}: the endpoint is gone", done)
        disable(endpoint, f"the endpoint answered 410 Gone to {message.msg_id}", done)
        db.session.commit()
        return "failed"
    schedule = config["WEBHOOK_RETRY_SCHEDULE"]
    delay = next_delay(schedule, message.attempts - message.replay_offset, answer)
    if delay is None:
        _fail(message, f"{error}; gave up after {message.attempts - message.replay_offset} attempts", done)
        if endpoint.consecutive_failures >= len(schedule) + 1:
            disable(endpoint, f"{endpoint.consecutive_failures} failed attempts in a row; the last message to "
                              f"fail was {message.msg_id} ({error})", done)
        db.session.commit()
        return "failed"
    message.next_attempt_at = done + dt.timedelta(seconds=delay)
    message.locked_until = None
    if delay <= DELAYED_JOB_MAX:
        message.enqueued_at = message.next_attempt_at
        jobs.after_commit(db.session, DELIVER_TASK, message.id, countdown=delay)
    db.session.commit()
    return "retrying"


def bring_forward(endpoint_id: int, delivered_id: int, now: dt.datetime) -> int:
    """The endpoint answers again after failing: its messages waiting for a later retry are due
    now, so a receiver that was down gets its backlog as soon as it is back, not hours later.
    The first BACKLOG_JOBS get a job at once; the sweeper sends the rest."""
    waiting = list(db.session.scalars(
        select(WebhookMessage.id)
        .where(WebhookMessage.endpoint_id == endpoint_id, WebhookMessage.id != delivered_id,
               WebhookMessage.status == MessageStatus.PENDING, WebhookMessage.next_attempt_at > now,
               or_(WebhookMessage.locked_until.is_(None), WebhookMessage.locked_until < now))
        .order_by(WebhookMessage.id)))
    if not waiting:
        return 0
    db.session.execute(update(WebhookMessage).where(WebhookMessage.id.in_(waiting))
                       .values(next_attempt_at=now, enqueued_at=None).execution_options(synchronize_session=False))
    for message_id in waiting[:BACKLOG_JOBS]:
        db.session.execute(update(WebhookMessage).where(WebhookMessage.id == message_id).values(enqueued_at=now)
                           .execution_options(synchronize_session=False))
        jobs.after_commit(db.session, DELIVER_TASK, message_id)
    return len(waiting)


def prune(now: dt.datetime | None = None) -> int:
    """Forget delivered and failed messages (and their attempts) older than
    WEBHOOK_RETENTION_DAYS, a batch at a time; 0 days keeps everything. Returns how many went."""
    days = current_app.config["WEBHOOK_RETENTION_DAYS"]
    if not days:
        return 0
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    old = list(db.session.scalars(
        select(WebhookMessage.id).where(WebhookMessage.status.in_([MessageStatus.DELIVERED, MessageStatus.FAILED]),
                                        WebhookMessage.created_at < cutoff)
        .order_by(WebhookMessage.id).limit(SWEEP_BATCH)))
    if old:
        # Attempts first: SQLite enforces no foreign keys, so no cascade would do it there.
        db.session.execute(delete(WebhookAttempt).where(WebhookAttempt.message_id.in_(old)))
        db.session.execute(delete(WebhookMessage).where(WebhookMessage.id.in_(old)))
    db.session.commit()
    return len(old)


def sweep(now: dt.datetime | None = None) -> int:
    """Send again the jobs of due messages that no delivery holds and whose last job was sent
    more than WEBHOOK_SWEEP_GRACE ago: lost with a broker, a worker that died, or a retry left
    to the sweeper. Returns how many were sent."""
    now = now or utcnow()
    stale = now - dt.timedelta(seconds=current_app.config["WEBHOOK_SWEEP_GRACE"])
    due = db.session.execute(
        select(WebhookMessage.id, WebhookMessage.enqueued_at)
        .where(WebhookMessage.status == MessageStatus.PENDING, WebhookMessage.next_attempt_at <= now,
               or_(WebhookMessage.locked_until.is_(None), WebhookMessage.locked_until < now),
               or_(WebhookMessage.enqueued_at.is_(None), WebhookMessage.enqueued_at < stale))
        .order_by(WebhookMessage.next_attempt_at, WebhookMessage.id).limit(SWEEP_BATCH)).all()
    sent = 0
    for message_id, enqueued_at in due:
        same = (WebhookMessage.enqueued_at.is_(None) if enqueued_at is None
                else WebhookMessage.enqueued_at == enqueued_at)
        taken = db.session.execute(update(WebhookMessage).where(WebhookMessage.id == message_id, same)
                                   .values(enqueued_at=now).execution_options(synchronize_session=False))
        if taken.rowcount == 1:
            jobs.after_commit(db.session, DELIVER_TASK, message_id)
            sent += 1
    db.session.commit()
    return sent
