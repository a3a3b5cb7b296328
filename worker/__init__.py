"""The Celery side of nablagrade: the `celery -A worker.celery_app` entry point, the tasks
(thin: each calls one service), the workers' heartbeat and their warm-up. Celery's
bootstrap itself is app.celery, shared with the web app that sends the jobs."""
