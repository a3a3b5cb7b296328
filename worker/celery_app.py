"""Entry point for `celery -A worker.celery_app worker|beat` (Flask's make_celery.py)."""

from app import create_app
from worker import heartbeat, tasks  # noqa: F401  (importing the tasks registers them)

# No ping per connection checkout: every statement a worker runs already survives a dead
# connection (the grading service's retries, the heartbeat's and sweeper's next round), and
# the ping would be two more round trips per submission.
flask_app = create_app({"DATABASE_PRE_PING": False})
celery_app = flask_app.extensions["celery"]
heartbeat.connect_signals()
