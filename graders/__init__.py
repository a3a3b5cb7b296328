"""nablagrade's grading engine: references, finite differences, checks,
diagnoses, scoring and the runner. Knows nothing of Flask or Celery."""

ENGINE_VERSION = "1.0.0"
