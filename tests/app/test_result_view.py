"""The result document shaped for the student's pages: comparisons, worst entries, heat maps,
hidden checks reduced to pass or fail, output capped."""

import math

import numpy as np

from app.result_view import OUTPUT_CAP, Comparison, as_rows, capped_output, problem_views, to_array


def test_json_values_become_float64_with_nan_and_inf():
    array = to_array([[1, "nan"], ["inf", "-inf"]])
    assert array.dtype == np.float64 and math.isnan(array[0, 1]) and array[1, 0] == math.inf
    assert as_rows(to_array(3.5)) == [[3.5]] and as_rows(to_array([1, 2])) == [[1.0], [2.0]]


def test_the_worst_entry_and_the_heat_map_of_a_matrix():
    expected = np.arange(1.0, 7.0).reshape(2, 3)
    received = expected.copy()
    received[1, 2] += 0.5
    received[0, 0] = math.nan  # NaN is the worst of all
    c = Comparison("W", expected, received, 1e-4)
    assert c.worst == (0, 0) and math.isnan(c.error) and not c.within
    assert c.heat is not None and c.heat.over_count == 2
    vector = Comparison("x", np.ones((3, 1)), np.ones((3, 1)) * 2, 1e-4)
    assert vector.heat is None and vector.worst_values == (1.0, 2.0)


def test_a_transposed_matrix_says_so_and_would_be_right():
    expected = np.arange(6.0).reshape(2, 3)
    c = Comparison("W", expected, expected.T.copy(), 1e-8)
    assert not c.same_shape and c.error is None and c.transposed and c.transposed_within
    wrong = Comparison("W", expected, expected.T * 2, 1e-8)
    assert wrong.transposed and not wrong.transposed_within


def test_hidden_checks_show_pass_or_fail_and_no_detail():
    document = {"output": "x" * (OUTPUT_CAP + 10), "problems": [{
        "id": "softmax", "title": "Softmax", "function": "f", "score": 1.0, "max_score": 3.0, "passed": False,
        "checks": [
            {"name": "values: trial 1 (visible)", "category": "value", "passed": True, "visible": True,
             "score": 1.0, "max_score": 1.0, "message": "correct",
             "details": {"inputs": {"x": [[1.0]]}, "expected": {"x": [[0.5]]}, "received": {"x": [[0.5]]}}},
            {"name": "values: trial 2 (hidden)", "category": "value", "passed": False, "visible": False,
             "score": 0.5, "max_score": 1.0, "diagnosis": "transposed", "message": "wrong on this hidden trial"},
            {"name": "values: trial 3 (hidden)", "category": "value", "passed": True, "visible": False,
             "score": 1.0, "max_score": 1.0, "message": "correct"},
        ]}]}
    (view,) = problem_views(document, {"softmax": 1e-4})
    assert view.status == "partial" and (view.hidden_passed, view.hidden_total) == (1, 2)
    assert view.hidden_kinds == ["transposed"] and len(view.details) == 1
    assert [row["status"] for row in view.checks] == ["pass", "fail", "pass"]  # never "partial" for a hidden one
    assert view.checks[0]["error"] == 0.0 and view.checks[1]["error"] is None
    text, more = capped_output(document)
    assert len(text) == OUTPUT_CAP and more == 10
