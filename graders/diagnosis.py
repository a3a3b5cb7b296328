"""Why a check failed, in words a student understands.

Each failed check carries exactly one `Diagnosis`: a stable code (for the JSON
document, the dashboards and the tests) and a message (for the student).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from graders.finite_difference import relative_error


class Code(StrEnum):
    MISSING_FUNCTION = "missing_function"
    SYNTAX_ERROR = "syntax_error"
    EXCEPTION = "exception"
    TIMEOUT = "timeout"
    WRONG_TYPE = "wrong_type"
    WRONG_SHAPE = "wrong_shape"
    TRANSPOSED = "transposed"
    NOT_FINITE = "not_finite"
    SIGN_FLIPPED = "sign_flipped"
    SCALED = "scaled"
    DIAGONAL_ONLY = "diagonal_only"
    FORBIDDEN_IMPORT = "forbidden_import"
    WRONG_VALUE = "wrong_value"
    # containment outcomes reported by the sandbox
    MEMORY_LIMIT = "memory_limit"
    CRASHED = "crashed"
    FORBIDDEN_OPERATION = "forbidden_operation"
    OUTPUT_LIMIT = "output_limit"


@dataclass(frozen=True)
class Diagnosis:
    code: Code
    message: str


LAYOUT = "the course uses denominator layout: the gradient has the shape of the variable"


def shape_text(shape: tuple[int, ...]) -> str:
    return "a scalar" if shape == () else f"shape {tuple(shape)}"


def diagnose_shape(label: str, got: np.ndarray, want: tuple[int, ...]) -> Diagnosis | None:
    """Exact shape check; transposed answers get their own code."""
    if got.shape == want:
        return None
    if len(want) == 2 and got.shape == want[::-1]:
        return Diagnosis(Code.TRANSPOSED, f"{label} has {shape_text(got.shape)} but should have "
                         f"{shape_text(want)}: it looks transposed ({LAYOUT})")
    hint = ""
    if want == ():
        hint = ": return a plain number (a float or a 0-d array)"
    elif got.size == int(np.prod(want)):
        if len(want) == 2 and want[1] == 1 and got.ndim == 1:
            hint = ": column vectors are (n, 1) in this course, so reshape to (n, 1)"
        else:
            hint = f": the number of entries is right, the arrangement is not ({LAYOUT})"
    return Diagnosis(Code.WRONG_SHAPE, f"{label} has {shape_text(got.shape)} but should have {shape_text(want)}{hint}")


NICE_FACTORS = (2, 3, 4, 0.5, 1 / 3, 0.25)


def recognised_factor(factor: float, scale_names: Mapping[str, float]) -> bool:
    """Whether `factor` is one describe_factor names (a small ratio or a problem size)."""
    candidates = list(NICE_FACTORS) + [s for size in scale_names.values() if size not in (0, 1)
                                       for s in (size, 1 / size)]
    return any(abs(abs(factor) - c) <= 1e-6 * abs(c) for c in candidates)


def describe_factor(factor: float, scale_names: Mapping[str, float]) -> str:
    """'off by a factor 2' rather than 'scaled by 1.9999999'; fits after '<label> is '."""
    for name, size in scale_names.items():
        if size not in (0, 1) and abs(factor - size) <= 1e-6 * abs(size):
            return f"{name} = {size:g} times too large: is the 1/{name} missing?"
        if size not in (0, 1) and abs(factor - 1 / size) <= 1e-6 / abs(size):
            return f"{name} = {size:g} times too small: is there an extra 1/{name}?"
    magnitude = abs(factor)
    sign = " with the opposite sign" if factor < 0 else ""
    for nice in NICE_FACTORS:
        if abs(magnitude - nice) <= 1e-6 * nice:
            if nice >= 1:
                return f"off by a factor {nice:g}{sign}: it is {factor:g}\u00d7 the expected value"
            return f"off by a factor {1 / nice:g}{sign}: it is {'-' if factor < 0 else ''}1/{1 / nice:g} of the expected value"
    return f"off by a factor {magnitude:.4g}{sign}: it is {factor:.4g}\u00d7 the expected value"


def _largest_error(got: np.ndarray, want: np.ndarray) -> str:
    difference = np.abs(got - want)
    index = np.unravel_index(int(np.argmax(difference)), difference.shape) if difference.ndim else ()
    where = f" at index {list(int(i) for i in index)}" if index else ""
    return f"the largest error is {float(difference[index]):.3g}{where} (expected {float(want[index]):.6g}, got {float(got[index]):.6g})"


def diagnose_values(
    label: str,
    got: np.ndarray,
    want: np.ndarray,
    tolerance: float,
    *,
    jacobian: bool = False,
    scale_names: Mapping[str, float] | None = None,
    visible: bool = True,
) -> tuple[float, Diagnosis | None]:
    """Relative error of a same-shaped answer, and why it is wrong if it is.

    `ok = error <= tolerance` so that NaN fails.
    """
    error = relative_error(got, want)
    if error <= tolerance:
        return error, None
    detail = f" (relative error {error:.2e})"
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and relative_error(got.T, want) <= tolerance:
        return error, Diagnosis(Code.TRANSPOSED, f"{label} looks transposed ({LAYOUT})")
    reference_norm = float(np.vdot(want, want))
    if reference_norm > 0:
        factor = float(np.vdot(got, want)) / reference_norm
        if abs(factor - 1) > 1e-6 and relative_error(got, factor * want) <= tolerance:
            if abs(factor + 1) <= 1e-6:
                return error, Diagnosis(Code.SIGN_FLIPPED, f"{label} has the sign flipped: it is the negative of the expected value")
            # One number is a multiple of any other: for a scalar, only a factor that
            # means something (2, 1/2, a named size) is worth reporting as a scaling.
            if got.size > 1 or recognised_factor(factor, scale_names or {}):
                return error, Diagnosis(Code.SCALED, f"{label} is {describe_factor(factor, scale_names or {})}")
    if jacobian and got.ndim == 2 and got.shape[0] == got.shape[1] > 1:
        off_diagonal = got - np.diag(np.diag(got))
        if float(np.abs(off_diagonal).max()) <= 1e-12 * max(float(np.abs(want).max()), 1e-300):
            return error, Diagnosis(Code.DIAGONAL_ONLY, f"{label} has only its diagonal: every output depends on every "
                                   "input, so the off-diagonal entries d y_j / d x_i (i != j) are not zero")
    where = f": {_largest_error(got, want)}" if visible else ""
    return error, Diagnosis(Code.WRONG_VALUE, f"{label} is wrong{detail}{where}")


OVERFLOW_HINT = ("overflows at large inputs: use a numerically stable form "
                 "(for a softmax, subtract the max before exponentiating; for e^x, split by the sign of x)")


def matching_mistake(got: np.ndarray, mistakes: Mapping[str, tuple[str, np.ndarray]], tolerance: float) -> str | None:
    """The hint of a catalog mistake this answer reproduces, if any.

    Non-finite entries must sit in the same places (a naive overflow is a
    mistake too); the finite ones must agree to the tolerance.
    """
    for hint, wrong in mistakes.values():
        if wrong.shape != got.shape:
            continue
        got_finite, wrong_finite = np.isfinite(got), np.isfinite(wrong)
        if not np.array_equal(got_finite, wrong_finite):
            continue
        if relative_error(got[got_finite], wrong[wrong_finite]) <= tolerance:
            return hint
    return None


def with_hint(diagnosis: Diagnosis, hint: str | None) -> Diagnosis:
    if hint is None or hint in diagnosis.message:
        return diagnosis
    stop = "" if diagnosis.message.endswith((".", "?", "!")) else "."
    return Diagnosis(diagnosis.code, f"{diagnosis.message}{stop} This is a common mistake: {hint}")


def diagnose_finite(label: str, got: np.ndarray, stability: bool) -> Diagnosis | None:
    if np.all(np.isfinite(got)):
        return None
    bad = int(np.size(got) - np.count_nonzero(np.isfinite(got)))
    what = "NaN or infinite"
    if stability:
        return Diagnosis(Code.NOT_FINITE, f"{label} has {bad} {what} entries where the expected values are finite. "
                         f"It {OVERFLOW_HINT}")
    return Diagnosis(Code.NOT_FINITE, f"{label} has {bad} {what} entries (overflow? division by zero?)")


# What the student sees when the code did not produce an answer at all.
RUN_MESSAGES: dict[str, tuple[Code, str]] = {
    "missing_function": (Code.MISSING_FUNCTION, "your file does not define {function}"),
    "timeout": (Code.TIMEOUT, "{function} ran longer than {timeout:g} s: an infinite loop?"),
    "memory_limit": (Code.MEMORY_LIMIT, "{function} used more memory than allowed"),
    "crashed": (Code.CRASHED, "{function} crashed: {detail}"),
    "forbidden_operation": (Code.FORBIDDEN_OPERATION, "{function} tried something the grader forbids "
                            "(a network connection, a new process or writing outside its scratch space): {detail}"),
    "output_limit": (Code.OUTPUT_LIMIT, "{function} produced too much output: {detail}"),
    "not_run": (Code.TIMEOUT, "{function} was not run: {detail}"),
}
