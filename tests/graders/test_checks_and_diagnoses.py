"""The engine's checks and diagnoses, through a real child process, on the
sigmoid and softmax problems (the per-problem suites live in tests/assignments)."""

import json
import textwrap

import numpy as np
import pytest

STABLE_SIGMOID = """
import numpy as np

def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)
"""

SOFTMAX = """
import numpy as np

def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T
"""


def codes(result):
    return [check["diagnosis"] for check in result["checks"] if not check["passed"]]


def test_a_correct_answer_gets_full_marks_with_every_check_passed(grade):
    result = grade("sigmoid", STABLE_SIGMOID)
    assert result["score"] == result["max_score"] == 10
    assert all(check["passed"] and check["diagnosis"] is None for check in result["checks"])
    names = [check["name"] for check in result["checks"]]
    assert names[:3] == ["type", "exact shape (denominator layout)", "all values finite"]
    assert sum(check["category"] == "value" for check in result["checks"]) == 3
    assert [check["visible"] for check in result["checks"] if check["category"] == "value"] == [True, False, False]


def test_the_visible_trial_shows_inputs_expected_and_received_values(grade):
    result = grade("sigmoid", STABLE_SIGMOID.replace("return s * (1 - s)", "return -s * (1 - s)"))
    visible = next(c for c in result["checks"] if c["category"] == "value" and c["visible"])
    x = np.array(visible["details"]["inputs"]["x"])
    s = 1 / (1 + np.exp(-x))
    assert np.allclose(visible["details"]["expected"]["x"], s * (1 - s))
    assert np.allclose(visible["details"]["received"]["x"], -s * (1 - s))
    hidden = [c for c in result["checks"] if c["category"] == "value" and not c["visible"]]
    assert hidden and all("details" not in c and "expected" not in c["message"] for c in hidden)


def test_nan_fails_the_finite_and_value_checks(grade):
    result = grade("sigmoid", "import numpy as np\ndef sigmoid_grad(x):\n    return x * np.nan\n")
    assert result["score"] == 1 + 2  # type and shape only
    assert set(codes(result)) == {"not_finite"}


def test_the_document_is_strict_json_even_when_the_answer_is_nan(grade):
    import json

    result = grade("sigmoid", "import numpy as np\ndef sigmoid_grad(x):\n    return x * np.nan\n")
    received = next(c for c in result["checks"] if c["category"] == "value")["details"]["received"]["x"]
    assert received[0][0] == "nan"
    json.dumps(result, allow_nan=False)  # raises on NaN or Infinity


def test_a_naive_formula_overflows_only_on_the_stability_trial(grade):
    naive = """
    import numpy as np
    def sigmoid_grad(x):
        return np.exp(-x) / (1 + np.exp(-x)) ** 2
    """
    result = grade("sigmoid", naive)
    failed = [c for c in result["checks"] if not c["passed"]]
    assert [c["category"] for c in failed] == ["stability"]
    assert failed[0]["diagnosis"] == "not_finite"
    assert "subtract the max" in failed[0]["message"]


def test_transposed_jacobian_of_a_rectangular_answer_is_named(grade):
    result = grade("sigmoid", STABLE_SIGMOID.replace("return s * (1 - s)", "return (s * (1 - s)).T"))
    shape = next(c for c in result["checks"] if c["category"] == "shape")
    assert shape["diagnosis"] == "transposed"
    assert "denominator layout" in shape["message"]


def test_flattened_answer_is_a_wrong_shape_with_the_expected_shape_in_the_message(grade):
    result = grade("sigmoid", STABLE_SIGMOID.replace("return s * (1 - s)", "return (s * (1 - s)).ravel()"))
    shape = next(c for c in result["checks"] if c["category"] == "shape")
    assert shape["diagnosis"] == "wrong_shape"
    assert "(12,)" in shape["message"] and "(3, 4)" in shape["message"]


def test_factor_two_is_named(grade):
    result = grade("sigmoid", STABLE_SIGMOID.replace("return s * (1 - s)", "return 2 * s * (1 - s)"))
    value = next(c for c in result["checks"] if c["category"] == "value")
    assert value["diagnosis"] == "scaled"
    assert "factor 2" in value["message"]


def test_diagonal_only_softmax_jacobian(grade):
    result = grade("softmax", SOFTMAX.replace("return np.diagflat(s) - s @ s.T", "return np.diagflat(s * (1 - s))"))
    assert set(codes(result)) == {"diagonal_only"}


def test_a_list_that_converts_exactly_is_accepted(grade):
    result = grade("softmax", SOFTMAX.replace("return np.diagflat(s) - s @ s.T", "return (np.diagflat(s) - s @ s.T).tolist()"))
    assert result["score"] == result["max_score"]


def test_wrong_return_types_are_named(grade):
    for body, expected in (("return 'hello'", "str"), ("return None", "None"), ("return {'x': x}", "dict")):
        result = grade("sigmoid", f"def sigmoid_grad(x):\n    {body}\n")
        type_check = result["checks"][0]
        assert type_check["diagnosis"] == "wrong_type"
        assert expected in type_check["message"]
        assert result["score"] == 0


def test_exception_shows_only_the_students_own_traceback(grade):
    source = "import numpy as np\n\ndef helper(x):\n    return undefined_name + x\n\ndef sigmoid_grad(x):\n    return helper(x)\n"
    result = grade("sigmoid", source)
    message = result["checks"][0]["message"]
    assert result["checks"][0]["diagnosis"] == "exception"
    assert 'File "submission.py", line 4, in helper' in message
    assert "NameError" in message
    assert "harness" not in message and "graders" not in message


RAISES_ITS_HIDDEN_INPUTS = """
import numpy as np

def sigmoid_grad(x):
    if x.shape != VISIBLE_SHAPE:
        raise ValueError("LEAKED " + repr(x.tolist()))
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)
"""


def test_an_exception_on_a_hidden_trial_does_not_hand_over_its_inputs(grade):
    from graders.assignment import ad_hoc
    from graders.preparation import prepare
    from graders.problem import get_problem

    visible = prepare(get_problem("sigmoid"), ad_hoc([get_problem("sigmoid")]).seed, 3, 0)[0]
    shape = visible.inputs["x"].shape
    result = grade("sigmoid", RAISES_ITS_HIDDEN_INPUTS.replace("VISIBLE_SHAPE", repr(shape)))
    failed = [check for check in result["checks"] if not check["passed"]]
    assert failed and all("LEAKED" not in check["message"] for check in failed), failed
    assert "raised a ValueError on a hidden trial" in failed[0]["message"]
    hidden = next(check for check in failed if check["name"] == "values: trial 2 (hidden)")
    # It did not return a wrong answer: it raised.
    assert hidden["message"] == "sigmoid_grad raised an exception on this hidden trial"


def test_an_exception_while_loading_the_file_says_so(grade):
    result = grade("sigmoid", "import numpy as np\n\nTABLE = np.load('table.npy')\n\ndef sigmoid_grad(x):\n    return x\n")
    check = result["checks"][0]
    assert check["diagnosis"] == "exception"
    assert "while it was loaded" in check["message"] and 'line 3, in <module>' in check["message"]


def test_missing_function_and_syntax_error(grade):
    assert set(codes(grade("sigmoid", "def something_else(x):\n    return x\n"))) == {"missing_function"}
    result = grade("sigmoid", "def sigmoid_grad(x)\n    return x\n")
    assert set(codes(result)) == {"syntax_error"}
    assert "line 1" in result["checks"][0]["message"]


def test_infinite_loop_times_out_and_other_problems_are_still_graded(runner):
    from graders.assignment import ad_hoc
    from graders.engine import grade_source
    from graders.problem import get_problem

    source = "import numpy as np\n\ndef sigmoid_grad(x):\n    while True:\n        pass\n" + SOFTMAX
    document = grade_source(source, ad_hoc([get_problem("sigmoid"), get_problem("softmax")]), runner=runner)
    sigmoid, softmax = document["problems"]
    assert sigmoid["diagnosis"] == "timeout" and sigmoid["score"] == 0
    assert "infinite loop" in sigmoid["checks"][0]["message"]
    assert softmax["score"] == softmax["max_score"]


def test_mutating_the_inputs_cannot_corrupt_later_trials(grade):
    mutating = STABLE_SIGMOID.replace("    return s * (1 - s)", "    x *= 1000.0\n    x[...] = np.nan\n    return s * (1 - s)")
    result = grade("sigmoid", mutating)
    assert result["score"] == result["max_score"]


def test_printing_cannot_change_the_score(runner):
    source = STABLE_SIGMOID.replace("    return s * (1 - s)", '    print("ALL TESTS PASSED")\n    print(\'{"score": 10, "max_score": 10}\')\n    return -s * (1 - s)')
    from graders.assignment import ad_hoc
    from graders.engine import grade_source
    from graders.problem import get_problem

    document = grade_source(textwrap.dedent(source), ad_hoc([get_problem("sigmoid")]), runner=runner)
    assert document["score"] < document["max_score"]
    assert "ALL TESTS PASSED" in document["output"]


def test_the_same_seed_gives_the_same_document_and_another_seed_other_inputs(grade):
    wrong = STABLE_SIGMOID.replace("return s * (1 - s)", "return s")
    first, again, other = grade("sigmoid", wrong, seed=1), grade("sigmoid", wrong, seed=1), grade("sigmoid", wrong, seed=2)
    assert first["checks"] == again["checks"]
    visible = [next(c for c in r["checks"] if c["category"] == "value")["details"]["inputs"]["x"] for r in (first, other)]
    assert visible[0] != visible[1]


# ---------------------------------------------------------------- real dtypes

TANH_REGRESSION = """
import numpy as np

def tanh_regression_grad(w, b, x, y):
    t = np.tanh(w * x + b)
    d_b = -2.0 * (y - t) * (1.0 - t**2)
    return {ret}
"""


def test_any_real_dtype_is_accepted_wherever_a_number_a_tuple_or_a_list_is(grade):
    for ret in ("np.array([d_b * x, d_b], dtype=np.float32)",  # one 1-D float32 array for two outputs
                "(np.float32(d_b * x), np.float64(d_b))",  # numpy scalars
                "[np.array(d_b * x, dtype=np.float32), d_b]",  # a list, a 0-d float32 array in it
                "np.array([d_b * x, d_b], dtype=np.longdouble)"):
        result = grade("tanh_regression", TANH_REGRESSION.format(ret=ret))
        assert result["score"] == result["max_score"], (ret, [c["message"] for c in result["checks"] if not c["passed"]])


def test_integer_arrays_and_numpy_integer_scalars_compare_in_float64(grade):
    # A sigmoid derivative that is 0 everywhere cannot be right; an integer-valued answer can:
    # the gradient of x^T (A x + z) at integer points.
    source = """
    import numpy as np

    def quadratic_form_grad(x, A, z):
        g = (A + A.T) @ x + z
        return g.astype(np.float32)
    """
    result = grade("quadratic_form", source)
    assert result["score"] == result["max_score"]
    assert any("float32" in note for note in result["notes"])


def test_complex_bool_object_and_string_answers_are_refused_with_the_dtype_named(grade):
    for body, says in (("return (x + 0j) * 0.25", "complex"), ("return x > 0", "boolean"),
                       ("return np.array([[str(v) for v in row] for row in x])", "str"),
                       ("return [[None] * x.shape[1]] * x.shape[0]", "not a rectangular array of numbers")):
        result = grade("sigmoid", f"import numpy as np\n\ndef sigmoid_grad(x):\n    {body}\n")
        assert result["diagnosis"] == "wrong_type", body
        assert says in result["checks"][0]["message"], result["checks"][0]["message"]


def test_a_bool_where_a_number_is_expected_is_refused(grade):
    result = grade("tanh_regression", TANH_REGRESSION.format(ret="(True, d_b)"))
    assert result["diagnosis"] == "wrong_type" and "bool" in result["checks"][0]["message"]


# ---------------------------------------------------------------- messages


def test_an_all_zero_answer_is_told_it_is_zero_not_off_by_a_factor_0(grade):
    result = grade("sigmoid", "import numpy as np\n\ndef sigmoid_grad(x):\n    return np.zeros_like(x)\n")
    text = " ".join(c["message"] for c in result["checks"])
    assert result["diagnosis"] == "wrong_value"
    assert "is 0 everywhere" in text and "factor 0" not in text


def test_an_answer_that_underflows_to_zero_at_large_inputs_is_told_so():
    from graders.diagnosis import diagnose_values

    want = np.array([[0.3], [-1.2]])
    _, diagnosis = diagnose_values("dw", np.zeros((2, 1)), want, 1e-4, stability=True)
    assert diagnosis.code == "wrong_value" and "underflowed or overflowed" in diagnosis.message
    _, diagnosis = diagnose_values("dw", np.zeros((2, 1)), want, 1e-4, stability=False)
    assert "0 everywhere" in diagnosis.message and "underflow" not in diagnosis.message


def test_a_huge_finite_answer_has_a_relative_error_not_nan():
    from graders.diagnosis import diagnose_values
    from graders.finite_difference import relative_error

    want = np.array([[0.3], [-1.2]])
    # Squares of 1e200 overflow inside a plain norm: the error read NaN, and the message "relative error nan".
    assert relative_error(1e200 * want, want) == pytest.approx(1.0)
    assert relative_error(np.array([[1e308], [1.0]]), want) == pytest.approx(1.0, abs=1e-6)
    assert np.isnan(relative_error(np.array([[np.nan], [1.0]]), want))  # NaN still propagates
    _, diagnosis = diagnose_values("dw", np.full((2, 1), 1e300), want, 1e-4)
    assert diagnosis.code == "wrong_value" and "relative error 1.00e+00" in diagnosis.message


def test_scaled_is_only_said_for_a_factor_that_means_something():
    from graders.diagnosis import diagnose_values

    rng = np.random.default_rng(3)
    want = rng.standard_normal((5, 1))
    for factor, code in ((2.0, "scaled"), (0.5, "scaled"), (1 / 3, "scaled"), (-1.0, "sign_flipped"),
                         (1.002, "wrong_value"), (1.98, "wrong_value"), (-0.37, "wrong_value")):
        _, diagnosis = diagnose_values("dw", factor * want, want, 1e-4)
        assert diagnosis.code == code, (factor, diagnosis)
    _, diagnosis = diagnose_values("dw", 1.98 * want, want, 1e-4)
    assert "largest error" in diagnosis.message and "factor" not in diagnosis.message
    # A size of the problem is meaningful: the missing 1/m.
    _, diagnosis = diagnose_values("dw", 7.0 * want, want, 1e-4, scale_names={"m": 7})
    assert diagnosis.code == "scaled" and "1/m" in diagnosis.message


def test_nearly_parallel_vectors_in_a_stability_trial_are_a_wrong_value():
    from graders.diagnosis import diagnose_values

    huge = np.array([[800.0], [-600.0], [0.5]])
    want = huge + np.array([[1.0], [1.0], [1.0]])
    _, diagnosis = diagnose_values("dw", huge, want, 1e-4, stability=True)
    assert diagnosis.code == "wrong_value" and "largest error" in diagnosis.message


def test_iterates_are_not_told_about_the_gradient_layout(grade):
    source = """
    import numpy as np

    def gd_iterates(alpha, steps):
        w = np.zeros((steps + 1, 1))
        for t in range(steps):
            w[t + 1] = w[t] - alpha * (w[t] - 100.0)
        return {ret}
    """
    for ret, code in (("w", "wrong_shape"), ("w.T", "wrong_shape")):
        result = grade("gd_trajectory", source.format(ret=ret))
        text = " ".join(c["message"] for c in result["checks"])
        assert result["diagnosis"] == code
        assert "gradient" not in text and "denominator" not in text, text
        assert "exact shape" in [c["name"] for c in result["checks"]]  # no "(denominator layout)" in the name
    text = " ".join(c["message"] for c in grade("gd_trajectory", source.format(ret="w"))["checks"])
    assert "1-D array" in text


def test_a_torch_import_inside_a_numpy_problem_is_refused_with_its_line(grade):
    source = "import numpy as np\n\ndef sigmoid_grad(x):\n    s = 1 / (1 + np.exp(-x))\n    m = __import__('tor' + 'ch')\n    return s * (1 - s)\n"
    result = grade("sigmoid", source)
    message = result["checks"][0]["message"]
    assert result["diagnosis"] == "forbidden_import"
    assert "`torch`" in message and "line 5" in message


def test_an_empty_file_is_reported_as_empty(grade):
    for source, words in (("", "your file is empty"), ("\n\n   \n", "your file is empty"),
                          ("# TODO: write the gradient\n", "only comments"),
                          ('"""Homework 1."""\n# nothing yet\n', "only comments")):
        result = grade("sigmoid", source)
        assert result["diagnosis"] == "missing_function" and result["score"] == 0
        assert words in result["checks"][0]["message"]
        assert "does not define" not in result["checks"][0]["message"]


def test_an_infinite_loop_at_module_level_is_blamed_on_loading_the_file(grade):
    for source in ("import numpy as np\nwhile True:\n    pass\n" + STABLE_SIGMOID,
                   "import numpy as np\nwhile True:\n    pass\n"):  # and a file that defines nothing
        result = grade("sigmoid", source)
        message = result["checks"][0]["message"]
        assert result["diagnosis"] == "timeout"
        assert message.startswith("loading your file was stopped") and "module level" in message
        assert "CPU time" in message
        assert "sigmoid_grad ran" not in message


def test_a_syntax_error_is_graded_as_one_without_any_flag():
    from graders.engine import detect_problems
    from graders.problem import all_problems

    broken_def = "import numpy as np\ndef sigmoid_grad(x)\n    return x\n\ndef softmax_jacobian(x):\n    return x\n"
    assert sorted(p.id for p in detect_problems(broken_def, all_problems())) == ["sigmoid", "softmax"]
    nothing_recognisable = "x = = 3\n"
    assert len(detect_problems(nothing_recognisable, all_problems())) == len(list(all_problems()))
    assert detect_problems("def other(x):\n    return x\n", all_problems()) == []


@pytest.mark.parametrize("source", ["def sigmoid_grad(x):\n    return x\0\n",
                                    "def sigmoid_grad(x):\n    return " + "-" * 100_000 + "x\n",
                                    "def sigmoid_grad(x):\n    return " + "+".join(["x"] * 100_000) + "\n"])
def test_a_file_python_cannot_read_is_a_syntax_error_said_in_words(source):
    from graders.engine import inspect_source

    diagnosis = inspect_source(source).syntax_error
    assert diagnosis is not None and diagnosis.code.value == "syntax_error"
    assert "line None" not in diagnosis.message and not diagnosis.message.endswith(": ")


def test_a_syntax_error_on_a_huge_line_quotes_only_around_the_error():
    from graders.engine import QUOTED_LINE, inspect_source

    line = "y = (" + "x + " * 60_000 + "= 1)"  # one line of 240 KB, the error near its end
    message = inspect_source(f"def sigmoid_grad(x):\n    return x\n{line}\n").syntax_error.message
    _, quoted, caret = message.split("\n")
    assert len(quoted) <= QUOTED_LINE + 20 and quoted.strip().startswith("...")
    assert quoted[len(caret) - 1] == "=" and caret.strip() == "^"  # still under the error


def test_every_message_of_the_document_is_capped_whatever_the_file_quotes():
    from graders.assignment import ad_hoc
    from graders.engine import grade_source
    from graders.problem import all_problems
    from graders.runner import SubprocessRunner
    from graders.scoring import MESSAGE_CAP

    problems = ad_hoc(all_problems())
    for source in ("x = '" + "a" * 250_000 + "' +\ndef sigmoid_grad(x):\n    return x\n",
                   "import " + "a" * 250_000 + "\ndef sigmoid_grad(x):\n    return x\n"):
        document = grade_source(source, problems, runner=SubprocessRunner())
        messages = [c["message"] for p in document["problems"] for c in p["checks"]]
        assert messages and all(len(m) <= MESSAGE_CAP for m in messages)
        assert len(json.dumps(document)) < 1024 * 1024


def test_a_scalar_where_an_array_is_expected_is_said_in_words(grade):
    result = grade("gd_trajectory", "def gd_iterates(alpha, steps):\n    return 1.0\n")
    assert result["diagnosis"] == "wrong_shape"
    assert "is a scalar but should have shape (7,)" in result["checks"][1]["message"]


def test_zeros_left_by_an_underflow_at_large_inputs_are_named():
    from graders.diagnosis import diagnose_values

    want = np.array([[0.5, 1.0, 0.25]])
    _, diagnosis = diagnose_values("f", np.array([[0.5, 0.0, 0.25]]), want, 1e-6, stability=True)
    assert diagnosis.code == "wrong_value" and "1 entry is 0" in diagnosis.message and "underflowed" in diagnosis.message
    _, regular = diagnose_values("f", np.array([[0.5, 0.0, 0.25]]), want, 1e-6, stability=False)
    assert "underflowed" not in regular.message


def test_a_backward_that_returns_none_is_a_missing_return(grade):
    source = """
    import torch

    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            pass
    """
    result = grade("legendre_p3", source)
    assert result["diagnosis"] == "wrong_type"
    assert "backward is None" in result["checks"][0]["message"]


def test_two_partials_returned_in_each_others_place_are_named_swapped(grade):
    source = """
    import math

    def tanh_log_grad(x, y, z):
        s = math.sin(y)
        u = 1 + 2 * x * z / s
        d = 4 * u / (u * u + 1) ** 2
        return (d * 2 * x / s, d * (-2 * x * z * math.cos(y) / s ** 2), d * 2 * z / s)
    """
    result = grade("tanh_log", source)
    visible = next(c for c in result["checks"] if c["category"] == "value" and c["visible"])
    assert result["diagnosis"] == "wrong_value"
    assert "with respect to x and the derivative with respect to z look swapped" in visible["message"]


def test_a_swap_is_named_even_when_one_output_happens_to_match_a_catalogued_mistake(grade):
    # (dL/db, dL/dw): the first equals the "x dropped" mistake's dL/dw, yet the whole answer is a swap.
    result = grade("tanh_regression", TANH_REGRESSION.format(ret="(d_b, d_b * x)"))
    visible = next(c for c in result["checks"] if c["category"] == "value" and c["visible"])
    assert result["diagnosis"] == "wrong_value"
    assert "look swapped" in visible["message"] and "common mistake" not in visible["message"]


def test_complex_numbers_inside_a_list_or_tuple_are_named(grade):
    for problem_id, source in (
        ("sigmoid", "import cmath\n\ndef sigmoid_grad(x):\n    return [[cmath.sqrt(v) for v in row] for row in x.tolist()]\n"),
        ("tanh_regression", TANH_REGRESSION.format(ret="(complex(d_b * x), d_b)")),
        ("tanh_regression", TANH_REGRESSION.format(ret="(np.complex128(d_b * x), d_b)")),
    ):
        result = grade(problem_id, source)
        message = result["checks"][0]["message"]
        assert result["diagnosis"] == "wrong_type" and "complex number" in message, message
        assert "rectangular" not in message and "not a numpy array" not in message, message


def test_a_low_precision_answer_that_misses_the_tolerance_is_told_why(grade):
    source = """
    import numpy as np

    def sigmoid_grad(x):
        s = 0.5 * (1 + np.tanh(0.5 * x.astype(np.float16)))
        return s * (1 - s)
    """
    result = grade("sigmoid", source)
    visible = next(c for c in result["checks"] if c["category"] == "value" and c["visible"])
    assert result["diagnosis"] == "wrong_value"
    assert "float16, which keeps only about 3 significant digits" in visible["message"]
    wrong_formula = grade("sigmoid", "import numpy as np\n\ndef sigmoid_grad(x):\n    return np.tanh(x).astype(np.float16)\n")
    assert "significant digits" not in str(wrong_formula["checks"])


def test_a_load_failure_never_names_a_function_the_file_does_not_define(grade):
    for source in ("import numpy as np\nwhile True:\n    pass\n", "import numpy as np\nraise ValueError('x')\n",
                   "import numpy as np\nraise SystemExit(3)\n"):
        result = grade("softmax", source)
        message = result["checks"][0]["message"]
        assert "softmax_jacobian" not in message and "your file" in message, message


def test_a_file_that_loops_while_it_loads_blames_loading_on_every_trial_hidden_ones_too(grade):
    result = grade("sigmoid", "import numpy as np\nwhile True:\n    pass\n\ndef sigmoid_grad(x):\n    return x\n")
    assert result["diagnosis"] == "timeout"
    for check in result["checks"]:
        assert check["message"].startswith("loading your file was stopped"), check


def test_float_of_a_one_by_one_array_is_explained_when_numpy_refuses_it():
    # numpy 2.4 made float(w.T @ x) an error; a student who learnt it on numpy 1.x is told the fix.
    from graders.checks import run_diagnosis
    from graders.problem import get_problem
    from graders.runner import CallResult

    refused = "TypeError: only 0-dimensional arrays can be converted to Python scalars\n"
    for message, hinted in ((refused, True), ("ValueError: math domain error\n", False)):
        diagnosis = run_diagnosis(get_problem("logistic"), CallResult("k", "exception", message=message), 2.0,
                                  frozenset())
        assert diagnosis.code.value == "exception" and message.strip() in diagnosis.message
        assert (".item()" in diagnosis.message) is hinted


def test_an_answer_zero_on_every_trial_is_not_said_to_underflow_at_large_inputs(grade):
    result = grade("sigmoid", "import numpy as np\n\ndef sigmoid_grad(x):\n    return np.zeros_like(x)\n")
    stability = [check for check in result["checks"] if check["category"] == "stability"]
    assert stability and all(" is 0 everywhere, but" in check["message"] for check in stability)
    assert all("underflowed" not in check["message"] for check in stability), stability
    # Zero only at large inputs is an underflow, and still said so.
    underflows = """
import numpy as np

def softplus_grad(x, beta):
    with np.errstate(over="ignore"):
        return np.where(np.abs(x) > 100, 0.0, 1 / (1 + np.exp(-beta * x)))
"""
    result = grade("softplus", underflows)
    stability = [check for check in result["checks"] if check["category"] == "stability"]
    assert any("underflowed or overflowed" in check["message"] for check in stability), stability


def test_a_number_may_come_as_the_notes_one_by_one_matrix_or_the_partials_as_a_column(grade):
    partials = """
import numpy as np
def tanh_regression_grad(w, b, x, y):
    r = y - np.tanh(w * x + b)
    dw = -2 * r * (1 - np.tanh(w * x + b) ** 2) * x
    db = -2 * r * (1 - np.tanh(w * x + b) ** 2)
    return {shape}
"""
    for shape in ("np.array([[dw]]), np.array([[db]])", "np.array([[dw], [db]])", "np.array([[dw, db]])"):
        result = grade("tanh_regression", partials.format(shape=shape))
        assert result["score"] == result["max_score"], (shape, result["diagnosis"])
    wrong = grade("tanh_regression", partials.format(shape="np.array([[2 * dw]]), np.array([[db]])"))
    assert wrong["diagnosis"] == "scaled" and wrong["score"] < wrong["max_score"]
    three = grade("tanh_regression", partials.format(shape="np.array([[dw], [db], [db]])"))
    assert three["diagnosis"] == "wrong_type"


def test_the_numbers_of_a_tuple_may_come_as_lists_that_hold_one_number_or_as_a_nested_column(grade):
    partials = """
import math
def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    dw = -2 * (y - t) * (1 - t * t) * x
    db = -2 * (y - t) * (1 - t * t)
    return {shape}
"""
    for shape in ("[[dw], [db]]", "[[dw, db]]", "[dw], [db]", "[[dw]], [[db]]"):
        result = grade("tanh_regression", partials.format(shape=shape))
        assert result["score"] == result["max_score"], (shape, result["diagnosis"])
    for shape in ("[[dw], [db], [db]]", "[dw, db], [db, dw]", "[[dw, db]], [db]"):
        result = grade("tanh_regression", partials.format(shape=shape))
        assert result["diagnosis"] == "wrong_type", shape


@pytest.mark.parametrize(("kind", "words"), [("IndexError", "raised an IndexError"), ("AssertionError", "raised an AssertionError"),
                                             ("ValueError", "raised a ValueError")])
def test_a_built_in_exception_on_a_hidden_trial_is_named_with_its_article(kind, words):
    from graders.diagnosis import Code, Diagnosis
    from graders.engine import _hidden_failure
    from graders.problem import get_problem

    raised = Diagnosis(Code.EXCEPTION, f"sigmoid_grad raised an exception:\nTraceback (your code):\n{kind}: 7")
    assert f"sigmoid_grad {words} on a hidden trial" in _hidden_failure(get_problem("sigmoid"), raised)


def test_a_result_kept_by_the_identity_of_its_input_is_stale_on_a_second_call_of_that_shape(grade):
    by_id = """
import numpy as np
_SEEN = {}
def quadratic_form_grad(x, A, z):
    if id(A) not in _SEEN:
        _SEEN[id(A)] = (A + A.T) @ x + z
    return _SEEN[id(A)]
"""
    result = grade("quadratic_form", by_id)
    assert result["score"] < result["max_score"] and result["diagnosis"] == "wrong_value"
    # The reused array holds the new trial's values whatever the previous call did to it.
    spoils_its_input = """
import numpy as np
def quadratic_form_grad(x, A, z):
    g = (A + A.T) @ x + z
    A[...] = np.nan
    A.setflags(write=True)
    x *= 1000.0
    return g
"""
    result = grade("quadratic_form", spoils_its_input)
    assert result["score"] == result["max_score"], result["diagnosis"]
