"""The late policy: one function for submit time and grading time, and a document whose
raw score, penalty and final score agree."""

import datetime as dt

import pytest

from graders import late

DUE = dt.datetime(2026, 12, 4, 23, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize(("after", "days"), [
    (dt.timedelta(0), 0), (-dt.timedelta(days=3), 0), (dt.timedelta(seconds=1), 1),
    (dt.timedelta(days=1), 1), (dt.timedelta(days=1, seconds=1), 2), (dt.timedelta(hours=36), 2),
])
def test_days_late_round_up_to_started_days(after, days):
    assert late.days_late(DUE, DUE + after) == days


def test_no_due_date_is_never_late():
    assert late.assess("none", 0.5, None, DUE).days_late == 0


@pytest.mark.parametrize(("policy", "per_day", "after", "penalty", "accepted"), [
    ("penalty", 0.1, dt.timedelta(hours=36), 0.2, True),
    ("penalty", 0.3, dt.timedelta(days=5), 1.0, True),  # never below zero
    ("penalty", 0.1, dt.timedelta(0), 0.0, True),
    ("accept", 0.5, dt.timedelta(days=9), 0.0, True),
    ("none", 0.0, dt.timedelta(minutes=1), 1.0, False),  # refused at submit time; nothing if graded anyway
    ("none", 0.0, -dt.timedelta(minutes=1), 0.0, True),
])
def test_each_policy(policy, per_day, after, penalty, accepted):
    lateness = late.assess(policy, per_day, DUE, DUE + after)
    assert lateness.penalty == pytest.approx(penalty)
    assert lateness.accepted is accepted


def test_an_unknown_policy_is_an_error_not_a_silent_zero():
    with pytest.raises(ValueError, match="unknown late policy 'lenient'"):
        late.assess("lenient", 0.1, DUE, DUE)


def test_the_document_records_raw_penalty_and_final_and_they_agree():
    document = {"score": 25.0, "max_score": 25.0, "passed": True, "problems": []}
    lateness = late.assess("penalty", 0.1, DUE, DUE + dt.timedelta(hours=36))
    applied = late.apply(document, lateness)
    assert applied["raw_score"] == 25.0 and applied["score"] == 20.0
    assert applied["late"]["days_late"] == 2 and applied["late"]["penalty"] == pytest.approx(0.2)
    assert applied["late"]["points_deducted"] == 5.0
    assert applied["late"]["due"] == DUE.isoformat()
    assert applied["raw_score"] - applied["late"]["points_deducted"] == applied["score"]
    assert applied["passed"] is True and document["score"] == 25.0  # the input is left alone
    on_time = late.apply(document, late.assess("penalty", 0.1, DUE, DUE))
    assert on_time["score"] == on_time["raw_score"] == 25.0 and on_time["late"]["points_deducted"] == 0
