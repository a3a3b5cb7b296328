#!/bin/sh
# Container entry point: one image, one role per container (Dockerfile, docker-compose.yml).
set -eu
role="${1:-web}"
[ $# -gt 0 ] && shift
export NABLAGRADE_ROLE="$role"
# The one start-up step that may write (instance/, a generated key); with SECRET_KEY,
# DATABASE_URL and REDIS_URL set, as docker-compose.yml sets them, it writes nothing.
case "$role" in
  migrate|web|worker|services|beat|flask) python -m app.setup ;;
esac
case "$role" in
  migrate)  exec flask db upgrade "$@" ;;
  web)      exec gunicorn --bind 0.0.0.0:5000 --workers "${WEB_CONCURRENCY:-2}" --access-logfile - "$@" 'app:create_app()' ;;
  worker)   exec celery -A worker.celery_app worker -Q grading -c "${GRADING_CONCURRENCY:-2}" -n grading@%h -l info "$@" ;;
  services) exec celery -A worker.celery_app worker -Q webhooks,maintenance -P threads -c "${SERVICES_CONCURRENCY:-2}" -n services@%h -l info "$@" ;;
  beat)     exec celery -A worker.celery_app beat -l info -s "$NABLAGRADE_INSTANCE/celerybeat-schedule" "$@" ;;
  flask)    exec flask "$@" ;;
  *)        exec "$role" "$@" ;;
esac
