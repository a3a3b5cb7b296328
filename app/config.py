"""Configuration from the environment, in one place. It only reads: what must exist on
disk first (instance/, a generated secret key) is made by app.setup.prepare_instance().

Production sets DATABASE_URL (PostgreSQL), REDIS_URL / CELERY_BROKER_URL and SECRET_KEY.
Without them everything is embedded: a SQLite file and a filesystem broker under
instance/, so `make demo` needs no server.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path
from typing import Any

import ujson
from kombu import Exchange, Queue

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"

GRADING_QUEUE = "grading"
WEBHOOK_QUEUE = "webhooks"
MAINTENANCE_QUEUE = "maintenance"
QUEUES = (GRADING_QUEUE, WEBHOOK_QUEUE, MAINTENANCE_QUEUE)

# A grading job runs each call under the sandbox's own 2 s wall limit (graders.runner.CALL_TIMEOUT);
# a whole assignment is a few dozen calls, so these outer limits are only reached by a stuck worker.
TASK_SOFT_TIME_LIMIT = 240
TASK_TIME_LIMIT = 300
EMBEDDED_POLLING_INTERVAL = 0.05  # seconds between polls of the filesystem broker
SECRET_KEY_FILE = "secret_key"
DEMO_LOCK = "demo.lock"  # held by a running `make demo`, which writes its address in it (scripts/demo.py)


def instance_path() -> Path:
    return Path(os.environ.get("NABLAGRADE_INSTANCE", DEFAULT_INSTANCE)).resolve()


def running_demo_url(instance: Path) -> str | None:
    """The address of the `make demo` that holds this instance now, so that a `flask` command run
    beside it (roster import, users link) prints links that open; None when no demo holds it (a
    lock file left by a stopped demo names an address nothing answers on)."""
    try:
        with (instance / DEMO_LOCK).open() as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                url = json.loads(handle.read() or "{}").get("url")
                return url if isinstance(url, str) and url else None
            fcntl.flock(handle, fcntl.LOCK_UN)
    except (OSError, ValueError):
        pass
    return None


def database_url(instance: Path) -> str:
    """DATABASE_URL with the psycopg 3 driver spelled out; SQLite under instance/ when unset."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance / 'nablagrade.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


EMBEDDED_BROKER = "filesystem://localhost//"  # needs no server: kombu's filesystem transport


def broker_url() -> str:
    return (os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "").strip() or EMBEDDED_BROKER


def filesystem_broker_folders(instance: Path) -> dict[str, Path]:
    folder = instance / "broker"
    return {"queue": folder / "queue", "processed": folder / "processed", "control": folder / "control"}


def broker_transport_options(url: str, instance: Path) -> dict[str, Any]:
    if url.startswith("filesystem://"):
        folders = filesystem_broker_folders(instance)
        return {
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "store_processed": False,
            "control_folder": str(folders["control"]),
            # Virtual transports poll; the default second would be added to every job's latency.
            "polling_interval": EMBEDDED_POLLING_INTERVAL,
        }
    if url.startswith("redis"):
        # No ack emulation: the transport's own record of unacknowledged messages (a Redis
        # transaction when a message is taken and another when it is acknowledged) cost a
        # third of a worker's main-process CPU per job, and it duplicates what the database
        # already guarantees. Every job's state is a row, and the sweeper re-sends whatever the
        # broker loses: the job of a killed worker (its claim stops heart-beating) and queued
        # jobs whose message is gone (Redis restarted empty). A pool process that dies still
        # has its message put back at once (reject_on_worker_lost), and a warm shutdown
        # returns the messages a worker had reserved.
        return {"ack_emulation": False}
    return {}


def secret_key(instance: Path) -> str | None:
    """SECRET_KEY from the environment, else the one app.setup generated into instance/."""
    value = os.environ.get("SECRET_KEY", "").strip()
    if value:
        return value
    try:
        return (instance / SECRET_KEY_FILE).read_text().strip() or None
    except FileNotFoundError:
        return None


def rate_limit_storage(broker: str) -> str:
    """Where flask-limiter counts: RATELIMIT_STORAGE_URI, else the Redis the broker uses (one
    count for every web process), else memory (the embedded demo has a single web process)."""
    explicit = os.environ.get("RATELIMIT_STORAGE_URI", "").strip()
    if explicit:
        return explicit
    return broker if broker.startswith(("redis://", "rediss://")) else "memory://"


def _delays(name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    """A comma-separated list of seconds, e.g. "60,600,3600"; empty means none."""
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        delays = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"{name} must be seconds separated by commas, e.g. 60,600,3600: {text!r}") from exc
    if any(delay < 0 for delay in delays):
        raise ValueError(f"{name} must not hold negative delays: {text!r}")
    return delays


def celery_settings(url: str, instance: Path, sweep_interval: float) -> dict[str, Any]:
    """Celery settings as one nested dict (Flask's examples/celery)."""
    return dict(
        broker_url=url,
        broker_transport_options=broker_transport_options(url, instance),
        broker_connection_retry_on_startup=True,
        # JSON only: the worker is trusted and must never unpickle what a message carries.
        accept_content=["json"],
        task_serializer="json",
        result_serializer="json",
        event_serializer="json",
        result_accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=GRADING_QUEUE,
        task_queues=[Queue(name, Exchange(name), routing_key=name) for name in QUEUES],
        task_routes={
            "worker.tasks.grade_submission": {"queue": GRADING_QUEUE, "routing_key": GRADING_QUEUE},
            # Dry runs grade student code: they need the grading workers' sandbox.
            "worker.tasks.preview_regrade": {"queue": GRADING_QUEUE, "routing_key": GRADING_QUEUE},
            "worker.tasks.sweep_stuck_submissions": {"queue": MAINTENANCE_QUEUE, "routing_key": MAINTENANCE_QUEUE},
            "worker.tasks.deliver_webhook": {"queue": WEBHOOK_QUEUE, "routing_key": WEBHOOK_QUEUE},
            "worker.tasks.sweep_webhooks": {"queue": MAINTENANCE_QUEUE, "routing_key": MAINTENANCE_QUEUE},
            "worker.tasks.prune_idempotency_keys": {"queue": MAINTENANCE_QUEUE, "routing_key": MAINTENANCE_QUEUE},
        },
        beat_schedule={
            "sweep-stuck-submissions": {
                "task": "worker.tasks.sweep_stuck_submissions",
                "schedule": sweep_interval,
                # A sweep that waited longer than one interval is superseded by the next one.
                "options": {"expires": max(sweep_interval, 1.0)},
            },
            "sweep-webhooks": {
                "task": "worker.tasks.sweep_webhooks",
                "schedule": sweep_interval,
                "options": {"expires": max(sweep_interval, 1.0)},
            },
            # Idempotency keys only need to outlive an integration's retries; hourly is plenty.
            "prune-idempotency-keys": {
                "task": "worker.tasks.prune_idempotency_keys",
                "schedule": 3600.0,
                "options": {"expires": 3600.0},
            },
        },
        beat_schedule_filename=str(instance / "celerybeat-schedule"),
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        timezone="UTC",
    )


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def strict_json(value: Any) -> str:
    """The JSON columns' serializer: NaN and Infinity are refused rather than stored, because
    PostgreSQL's json type and every LMS parser reject them (the engine spells them "nan").
    Without the default spaces after `,` and `:`: a result document is mostly arrays of numbers,
    and the spaces were 7 % of every stored byte that the grading path writes and compresses.

    ujson writes the same text (shortest round-trip floats, ASCII escapes) in a third of the
    stdlib's time, which every graded job pays for its result document. Whatever it refuses
    (NaN, Infinity, a lone surrogate, an unknown type) goes to the stdlib, which then either
    writes it as before or raises the error a caller expects (ValueError, TypeError)."""
    try:
        return ujson.dumps(value, allow_nan=False, escape_forward_slashes=False, reject_bytes=True)
    except (OverflowError, TypeError, ValueError):
        return json.dumps(value, allow_nan=False, separators=(",", ":"))


# Standard Webhooks' example schedule: after the immediate attempt, retries 5 s, 5 min, 30 min,
# 2 h, 5 h, 10 h, 14 h, 20 h and 24 h later (each with jitter).
WEBHOOK_RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)


def retry_schedule(raw: str | None) -> tuple[float, ...]:
    """NABLAGRADE_WEBHOOK_RETRY_SCHEDULE: seconds before each retry, comma-separated."""
    if not raw or not raw.strip():
        return tuple(float(s) for s in WEBHOOK_RETRY_SCHEDULE)
    try:
        delays = tuple(float(part) for part in raw.split(","))
    except ValueError:
        raise ValueError(f"NABLAGRADE_WEBHOOK_RETRY_SCHEDULE must be seconds separated by commas, not {raw!r}") from None
    if any(not 0 <= delay <= 7 * 86400 for delay in delays):
        raise ValueError("NABLAGRADE_WEBHOOK_RETRY_SCHEDULE: each delay is 0 to 604800 seconds")
    return delays


def webhook_settings() -> dict[str, Any]:
    """Outgoing webhooks (app/services/webhook_delivery.py, docs/webhooks.md)."""
    return {
        "WEBHOOK_RETRY_SCHEDULE": retry_schedule(os.environ.get("NABLAGRADE_WEBHOOK_RETRY_SCHEDULE")),
        # Loopback and private targets are refused unless this is set (tests, the embedded demo).
        "WEBHOOK_ALLOW_PRIVATE": os.environ.get("NABLAGRADE_WEBHOOK_ALLOW_PRIVATE", "").strip().lower()
        in ("1", "true", "yes"),
        "WEBHOOK_TIMEOUT": _float("NABLAGRADE_WEBHOOK_TIMEOUT", 15.0),
        "WEBHOOK_ROTATION_GRACE_HOURS": _float("NABLAGRADE_WEBHOOK_ROTATION_GRACE_HOURS", 24.0),
        # A due message whose job was sent this long ago and never ran is sent again by the sweeper.
        "WEBHOOK_SWEEP_GRACE": _float("NABLAGRADE_WEBHOOK_SWEEP_GRACE", 60.0),
        # Delivered and failed messages are kept this long in the delivery log (0: forever).
        "WEBHOOK_RETENTION_DAYS": _float("NABLAGRADE_WEBHOOK_RETENTION_DAYS", 30.0),
    }


def account_settings(instance: Path) -> dict[str, Any]:
    """Logins, sessions, password links and CSRF (app/auth, docs/security.md)."""
    return {
        # Failed logins counted per typed address and per client address (app/auth/throttle.py), in
        # the app's flask-limiter storage (RATELIMIT_STORAGE_URI: Redis when the broker is Redis).
        "LOGIN_LIMITS_PER_ACCOUNT": os.environ.get("NABLAGRADE_LOGIN_LIMITS_PER_ACCOUNT", "5 per minute; 20 per hour"),
        "LOGIN_LIMITS_PER_ADDRESS": os.environ.get("NABLAGRADE_LOGIN_LIMITS_PER_ADDRESS", "30 per minute; 200 per hour"),
        # argon2id parameters (app/services/passwords.py); {} is argon2-cffi's RFC 9106 low-memory profile.
        "PASSWORD_HASH": {},
        "INVITATION_LINK_DAYS": _float("NABLAGRADE_INVITATION_LINK_DAYS", 14.0),
        "RESET_LINK_HOURS": _float("NABLAGRADE_RESET_LINK_HOURS", 48.0),
        # Where people reach the service: the links `flask roster import` and `flask users link` print,
        # and the result_url of webhook payloads.
        "PUBLIC_URL": os.environ.get("NABLAGRADE_PUBLIC_URL", "").strip() or running_demo_url(instance)
        or "http://localhost:5000",
        # A logged-in session lasts this long after its last request.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(days=_float("NABLAGRADE_SESSION_DAYS", 14.0)),
        # A form's CSRF token lives as long as the session: a student may write in the editor for hours.
        "WTF_CSRF_TIME_LIMIT": None,
    }


def from_environment(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole Flask config. `overrides` (tests, scripts) win over the environment."""
    overrides = dict(overrides or {})
    instance = Path(overrides.pop("INSTANCE_PATH", None) or instance_path())
    database = overrides.get("SQLALCHEMY_DATABASE_URI") or database_url(instance)
    broker = overrides.pop("CELERY_BROKER_URL", None) or broker_url()
    sweep_interval = float(overrides.get("SWEEP_INTERVAL", _float("NABLAGRADE_SWEEP_INTERVAL", 15.0)))
    # The ping (one round trip per connection checkout) spares a web request the error of a
    # connection that died in a database restart; workers turn it off (worker/celery_app.py).
    engine_options: dict[str, Any] = {"pool_pre_ping": bool(overrides.pop("DATABASE_PRE_PING", True)),
                                      "json_serializer": strict_json}
    if database.startswith("sqlite"):
        # Web, worker and beat share one SQLite file: wait for locks instead of failing at once.
        engine_options["connect_args"] = {"timeout": 30}
    config: dict[str, Any] = {
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": overrides.get("SECRET_KEY") or secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "CELERY_BROKER_URL": broker,
        "CELERY": celery_settings(broker, instance, sweep_interval),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Recovery thresholds (seconds): a queued submission whose message is gone is re-sent
        # after QUEUED_GRACE; a running one after its worker stops heart-beating for WORKER_STALE.
        "SWEEP_INTERVAL": sweep_interval,
        "QUEUED_GRACE": _float("NABLAGRADE_QUEUED_GRACE", 60.0),
        "WORKER_HEARTBEAT": _float("NABLAGRADE_WORKER_HEARTBEAT", 5.0),
        "WORKER_STALE": _float("NABLAGRADE_WORKER_STALE", 30.0),
        "RUNNING_LIMIT": float(TASK_TIME_LIMIT + 60),
        # A submission whose grading failed for a system reason is graded again after each of
        # these delays (seconds since the failure), then left to staff.
        "ERROR_RETRY_DELAYS": _delays("NABLAGRADE_ERROR_RETRY_DELAYS", (60.0, 600.0, 3600.0)),
        # An API Idempotency-Key is honoured this long (seconds); older keys are pruned hourly.
        "IDEMPOTENCY_KEY_TTL": _float("NABLAGRADE_IDEMPOTENCY_KEY_TTL", 86400.0),
        "ASSIGNMENTS_COURSE": os.environ.get("NABLAGRADE_COURSE", "DEMO"),
        # The catalogue's folder of assignment files (app.services.assignments); unset, the folder
        # the installed `nablagrade.assignments` entry point names (the repository's assignments/).
        "ASSIGNMENTS_DIR": os.environ.get("NABLAGRADE_ASSIGNMENTS_DIR") or None,
        # The REST API (app/api): flask-smorest writes its OpenAPI document from the code.
        "API_TITLE": "nablagrade API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Per token (app/api/auth.py); limits in flask-limiter's notation, e.g. "600 per minute".
        "API_RATE_LIMIT": os.environ.get("NABLAGRADE_API_RATE_LIMIT") or "600 per minute",
        "API_SUBMIT_RATE_LIMIT": os.environ.get("NABLAGRADE_API_SUBMIT_RATE_LIMIT") or "120 per minute",
        "RATELIMIT_STORAGE_URI": overrides.pop("RATELIMIT_STORAGE_URI", None) or rate_limit_storage(broker),
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": True,  # X-RateLimit-* on every answer, Retry-After on a 429
        "RATELIMIT_KEY_PREFIX": "nablagrade",
        # Redis down: count in memory for a while rather than refuse every request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        **account_settings(instance),
        **webhook_settings(),
    }
    config.update(overrides)
    if "CELERY" in overrides:
        config["CELERY"] = {**celery_settings(broker, instance, sweep_interval), **overrides["CELERY"]}
    return config
