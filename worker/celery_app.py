"""Entry point for `celery -A worker.celery_app worker|beat` (Flask's make_celery.py)."""

from app import create_app
from worker import heartbeat

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
heartbeat.connect_signals()
