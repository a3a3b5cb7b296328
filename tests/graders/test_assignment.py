import datetime as dt
import tomllib

import pytest

from graders.assignment import DEFAULT_WEIGHTS, AssignmentError, parse_assignment
from graders.import_policy import PURE_STDLIB

VALID = """
name = "t1"
title = "Test"
due = 2026-12-01T23:59:00Z
max_submissions_per_day = 5
tolerance = 1e-5
[late]
policy = "none"
[weights]
value = 8
[imports]
allow = ["numpy", "stdlib"]
[[problems]]
id = "sigmoid"
points = 4
[[problems]]
id = "softmax"
points = 6
trials = 4
weights = { shape = 0 }
allow_imports = ["scipy"]
"""


def parse(text: str):
    return parse_assignment(tomllib.loads(text), "t1")


def test_a_valid_file_sets_every_field():
    assignment = parse(VALID)
    assert assignment.max_score == 10
    assert assignment.due == dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.UTC)
    assert assignment.max_submissions_per_day == 5
    sigmoid, softmax = assignment.problems
    assert sigmoid.weights == {**DEFAULT_WEIGHTS, "value": 8}
    assert softmax.weights["shape"] == 0 and softmax.trials == 4
    assert sigmoid.tolerance == 1e-5
    assert PURE_STDLIB <= sigmoid.allowed and "scipy" not in sigmoid.allowed and "scipy" in softmax.allowed
    assert assignment.score_policy == "latest"  # the default
    assert parse('score_policy = "best"\n' + VALID).score_policy == "best"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('id = "softmax"', 'id = "nope"'), "unknown problem 'nope'"),
        (lambda t: t.replace("value = 8", "speed = 8"), "unknown check weight 'speed'"),
        (lambda t: t.replace("trials = 4", "trials = 2"), "trials must be a number >= 3"),
        (lambda t: t.replace("points = 4", "points = -1"), "points must be a number >= 0"),
        (lambda t: t.replace('policy = "none"', 'policy = "sometimes"'), "late.policy"),
        (lambda t: t.replace("due = 2026-12-01T23:59:00Z", 'due = "friday"'), "due must be a TOML date-time"),
        (lambda t: t.split("[[problems]]")[0], "at least one [[problems]]"),
        (lambda t: 'score_policy = "highest"\n' + t, "score_policy must be latest or best, not 'highest'"),
    ],
)
def test_mistakes_in_the_file_get_a_message_for_the_instructor(change, message):
    with pytest.raises(AssignmentError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse(change(VALID))


def test_shipped_assignments_load():
    from assignments import ASSIGNMENTS_DIR, load_assignment
    from graders.catalogue import Catalogue

    assert {"hw1", "hw2"} <= set(Catalogue(ASSIGNMENTS_DIR).names())
    hw1 = load_assignment("hw1")
    assert {c.problem.id for c in hw1.problems} == {"sigmoid", "softmax", "softplus", "l2_loss", "l2_loss_batch", "one_layer_net"}
    hw2 = load_assignment("hw2")
    assert {c.problem.id for c in hw1.problems}.isdisjoint(c.problem.id for c in hw2.problems)
