from app.extensions import db
from app.models import Submission, SubmissionStatus
from app.services.submissions import submit
from tests.support.servers import CORRECT


def test_submission_timestamps_are_utc_aware(student):
    submission = submit(student, "T101", "t1", CORRECT.encode(), "hw.py")
    db.session.expire_all()
    stored = db.session.get(Submission, submission.id)
    assert stored.status is SubmissionStatus.QUEUED
    assert stored.submitted_at.tzinfo is not None and stored.enqueued_at is not None
