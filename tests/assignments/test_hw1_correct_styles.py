"""Correct hw1 answers in different styles all earn full marks."""

import copy

import numpy as np
import pytest

from assignments import EXAMPLES_DIR
from graders.engine import prepare
from tests.assignments.results import SUBMISSIONS, by_id, failed, full_marks

HW1_IDS = ["sigmoid", "softmax", "softplus", "l2_loss", "l2_loss_batch", "one_layer_net"]

STYLES = {
    "vectorised (the example a good student writes)": EXAMPLES_DIR / "hw1_correct.py",
    "explicit loops": SUBMISSIONS / "loops.py",
    "math only, nested lists returned": SUBMISSIONS / "lists.py",
    "other stable forms (where, logsumexp, logaddexp, einsum, outer)": SUBMISSIONS / "stable_variants.py",
}


@pytest.mark.parametrize("path", STYLES.values(), ids=STYLES.keys())
def test_every_hw1_problem_gets_full_marks(grade_hw1, hw1, path):
    document = grade_hw1(path.read_text(encoding="utf-8"))
    problems = by_id(document)
    assert sorted(problems) == sorted(HW1_IDS)
    short = {pid: [c["message"] for c in failed(p)] for pid, p in problems.items() if not full_marks(p)}
    assert short == {}
    assert document["score"] == document["max_score"] == hw1.max_score == 100


def test_stable_problems_were_checked_on_large_inputs(grade_hw1):
    document = grade_hw1((EXAMPLES_DIR / "hw1_correct.py").read_text(encoding="utf-8"))
    stability = {pid: [c for c in p["checks"] if c["category"] == "stability"] for pid, p in by_id(document).items()}
    assert {pid for pid, checks in stability.items() if checks} == {"sigmoid", "softmax", "softplus", "one_layer_net"}
    assert all(check["passed"] for checks in stability.values() for check in checks)


def test_overwriting_the_inputs_in_place_neither_costs_marks_nor_corrupts_later_grading(grade_hw1, hw1):
    before = {config.problem.id: copy.deepcopy([t.inputs for t in prepare(config.problem, hw1.seed, config.trials)])
              for config in hw1.problems}
    document = grade_hw1((SUBMISSIONS / "in_place.py").read_text(encoding="utf-8"))
    short = {pid: [c["message"] for c in failed(p)] for pid, p in by_id(document).items() if not full_marks(p)}
    assert short == {}
    # The cached trial inputs the next submission is graded on are untouched...
    for config in hw1.problems:
        after = [t.inputs for t in prepare(config.problem, hw1.seed, config.trials)]
        for old, new in zip(before[config.problem.id], after, strict=True):
            assert old.keys() == new.keys()
            assert all(np.array_equal(old[k], new[k]) for k in old)
    # ...and a correct file graded next still gets full marks.
    again = grade_hw1((EXAMPLES_DIR / "hw1_correct.py").read_text(encoding="utf-8"))
    assert again["score"] == again["max_score"]


def test_a_float32_answer_passes_with_a_note_about_precision(grade_hw1):
    result = by_id(grade_hw1("""
        import numpy as np

        def l2_loss_batch_grad(w, X, y):
            X32, w32, y32 = (a.astype(np.float32) for a in (X, w, y))
            return X32.T @ (X32 @ w32 - y32) / X.shape[0]
        """, "l2_loss_batch"))["l2_loss_batch"]
    assert full_marks(result)
    assert any("float32" in note for note in result["notes"])
