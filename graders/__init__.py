"""nablagrade's grading engine: references, finite differences, checks,
diagnoses, scoring and the runner. Knows nothing of Flask or Celery."""

__version__ = "0.2.0"
# Reports carry it, so a result says which engine graded it; one number for the package and the engine.
ENGINE_VERSION = __version__
