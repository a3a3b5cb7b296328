"""Why a check failed, in words a student understands.

Each failed check carries exactly one `Diagnosis`: a stable code (for the JSON
document, the dashboards and the tests) and a message (for the student).
"""

from __future__ import annotations

import math
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
JACOBIAN_LAYOUT = "the course uses denominator layout: entry [i, j] is d y_j / d x_i"


def shape_text(shape: tuple[int, ...]) -> str:
    return "a scalar" if shape == () else f"shape {tuple(shape)}"


def _because(layout: str) -> str:
    return f" ({layout})" if layout else ""


def diagnose_shape(label: str, got: np.ndarray, want: tuple[int, ...], layout: str = LAYOUT) -> Diagnosis | None:
    """Exact shape check; transposed answers get their own code. `layout` is the
    convention that fixes the shape, in the problem's words ("" when the
    statement itself gives the shape, as for a list of iterates)."""
    if got.shape == want:
        return None
    if len(want) == 2 and got.shape == want[::-1]:
        return Diagnosis(Code.TRANSPOSED, f"{label} has {shape_text(got.shape)} but should have "
                         f"{shape_text(want)}: it looks transposed{_because(layout)}")
    hint = ""
    if want == ():
        hint = ": return a plain number (a float or a 0-d array)"
    elif got.size == int(np.prod(want)):
        if len(want) == 2 and want[1] == 1 and got.ndim == 1:
            hint = ": column vectors are (n, 1) in this course, so reshape to (n, 1)"
        elif len(want) == 1:
            hint = f": return a 1-D array of {want[0]} numbers (for example with .reshape(-1))"
        else:
            hint = f": the number of entries is right, the arrangement is not{_because(layout)}"
    has = "is a scalar" if got.shape == () else f"has {shape_text(got.shape)}"
    return Diagnosis(Code.WRONG_SHAPE, f"{label} {has} but should have {shape_text(want)}{hint}")


NICE_FACTORS = (2, 3, 4, 0.5, 1 / 3, 0.25)
FACTOR_SLACK = 1e-6  # a factor is "2" when it is 2 to this relative precision (or to the tolerance)


def _close(factor: float, target: float, slack: float) -> bool:
    return abs(factor - target) <= slack * abs(target)


def _sized(scale_names: Mapping[str, float]) -> list[tuple[str, float]]:
    return [(name, float(size)) for name, size in scale_names.items() if size not in (0, 1)]


def recognised_factor(factor: float, scale_names: Mapping[str, float], tolerance: float = 0.0) -> bool:
    """Whether `factor` means something a student can act on: a small ratio such as
    2 or 1/2, or a size of the problem (m, beta) or its inverse. Anything else
    (1.002, 1.98) is a coincidence of two nearly parallel answers, not a scaling."""
    slack = max(FACTOR_SLACK, tolerance)
    candidates = [c for c in NICE_FACTORS] + [s for _, size in _sized(scale_names) for s in (size, 1 / size)]
    return any(_close(abs(factor), c, slack) for c in candidates)


def describe_factor(factor: float, scale_names: Mapping[str, float], tolerance: float = 0.0) -> str:
    """'off by a factor 2' rather than 'scaled by 1.9999999'; fits after '<label> is '."""
    slack = max(FACTOR_SLACK, tolerance)
    sign = " with the opposite sign" if factor < 0 else ""
    magnitude = abs(factor)
    for name, size in _sized(scale_names):
        plain = name.isidentifier()  # "m" reads as a missing 1/m; "m/n" only as a ratio
        if _close(magnitude, abs(size), slack):
            if plain:
                return f"{name} = {size:g} times too large{sign}: is the 1/{name} missing?"
            return f"off by a factor {name} = {size:g}{sign}"
        if _close(magnitude, 1 / abs(size), slack):
            if plain:
                return f"{name} = {size:g} times too small{sign}: is there an extra 1/{name}?"
            return f"off by a factor 1/({name}) = {1 / size:.4g}{sign}"
    for nice in NICE_FACTORS:
        if _close(magnitude, nice, slack):
            if nice >= 1:
                return f"off by a factor {nice:g}{sign}: it is {factor:.4g}\u00d7 the expected value"
            return f"off by a factor {1 / nice:g}{sign}: it is {'-' if factor < 0 else ''}1/{1 / nice:g} of the expected value"
    return f"off by a factor {magnitude:.4g}{sign}: it is {factor:.4g}\u00d7 the expected value"


def _largest_error(got: np.ndarray, want: np.ndarray) -> str:
    difference = np.abs(got - want)
    if difference.ndim and not np.all(np.isnan(difference)):
        index = np.unravel_index(int(np.nanargmax(difference)), difference.shape)
    else:
        index = ()
    where = f" at index {list(int(i) for i in index)}" if index else ""
    return f"the largest error is {float(difference[index]):.3g}{where} (expected {float(want[index]):.6g}, got {float(got[index]):.6g})"


ZERO_EVERYWHERE = " is 0 everywhere, but"  # how an all-zero answer is told, found again by the engine
UNDERFLOW_HINT = ("at these large inputs something underflowed or overflowed (in floating point e^-1000 is 0 "
                  "and e^1000 is inf): use a numerically stable form")


def _zero_answer(label: str, got: np.ndarray, want: np.ndarray, tolerance: float, *, stability: bool,
                 visible: bool) -> Diagnosis | None:
    """An answer that is 0 everywhere the expected value is not: said in words, never
    as "off by a factor 0". On large inputs that is an underflow (or an overflow
    turned into 0 somewhere), so the message says so."""
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    if scale == 0.0 or np.any(got != 0):
        return None
    example = ""
    if visible:
        index = np.unravel_index(int(np.argmax(np.abs(want))), want.shape) if want.ndim else ()
        where = f" at index {list(int(i) for i in index)}" if index else ""
        example = f" (for example {float(want[index]):.6g}{where})"
    what = f"{label}{ZERO_EVERYWHERE} the expected value is not{example}"
    return Diagnosis(Code.WRONG_VALUE, f"{what}: {UNDERFLOW_HINT}" if stability else what)


def diagnose_values(
    label: str,
    got: np.ndarray,
    want: np.ndarray,
    tolerance: float,
    *,
    jacobian: bool = False,
    scale_names: Mapping[str, float] | None = None,
    visible: bool = True,
    stability: bool = False,
    layout: str = LAYOUT,
) -> tuple[float, Diagnosis | None]:
    """Relative error of a same-shaped answer, and why it is wrong if it is.

    `ok = error <= tolerance` so that NaN fails.
    """
    error = relative_error(got, want)
    if error <= tolerance:
        return error, None
    detail = f" (relative error {error:.2e})"
    names = scale_names or {}
    zero = _zero_answer(label, got, want, tolerance, stability=stability, visible=visible)
    if zero is not None:
        return error, zero
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and relative_error(got.T, want) <= tolerance:
        return error, Diagnosis(Code.TRANSPOSED, f"{label} looks transposed{_because(layout)}")
    reference_norm = float(np.vdot(want, want))
    with np.errstate(all="ignore"):  # an answer near float64's limits: vdot overflows, inf * 0 is NaN
        factor = float(np.vdot(got, want)) / reference_norm if reference_norm > 0 else math.nan
        scaled = factor * want
    if math.isfinite(factor):  # no finite factor, no scaling to name
        if relative_error(got, scaled) <= tolerance:
            if _close(factor, -1.0, max(FACTOR_SLACK, tolerance)):
                return error, Diagnosis(Code.SIGN_FLIPPED, f"{label} has the sign flipped: it is the negative of the expected value")
            # Only a factor that means something is a scaling: two nearly parallel
            # vectors (1.002) or a wrong term that happens to be proportional (1.98)
            # are wrong values, shown with their largest error below.
            if recognised_factor(factor, names, tolerance):
                return error, Diagnosis(Code.SCALED, f"{label} is {describe_factor(factor, names, tolerance)}")
    if jacobian and got.ndim == 2 and got.shape[0] == got.shape[1] > 1:
        off_diagonal = got - np.diag(np.diag(got))
        if float(np.abs(off_diagonal).max()) <= 1e-12 * max(float(np.abs(want).max()), 1e-300):
            return error, Diagnosis(Code.DIAGONAL_ONLY, f"{label} has only its diagonal: every output depends on every "
                                   "input, so the off-diagonal entries d y_j / d x_i (i != j) are not zero")
    where = f": {_largest_error(got, want)}" if visible else ""
    message = f"{label} is wrong{detail}{where}"
    if stability and visible:
        message += _zeros_at_large_inputs(got, want)
    return error, Diagnosis(Code.WRONG_VALUE, message)


def _zeros_at_large_inputs(got: np.ndarray, want: np.ndarray) -> str:
    """On a stability trial, entries that are exactly 0 where the expected value is
    not are what an underflow (or an overflow turned into 0 further on) leaves."""
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    lost = (got == 0) & (np.abs(want) > 1e-3 * scale)
    if scale == 0.0 or not np.any(lost):
        return ""
    count = int(np.count_nonzero(lost))
    entries = "1 entry is" if count == 1 else f"{count} entries are"
    return f". {entries} 0 where the expected value is not: {UNDERFLOW_HINT}"


OVERFLOW_HINT = ("overflows or underflows at large inputs: use a numerically stable form "
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


COMMON = "This is a common mistake"


def with_hint(diagnosis: Diagnosis, hint: str | None) -> Diagnosis:
    if hint is None or hint in diagnosis.message:
        return diagnosis
    stop = "" if diagnosis.message.endswith((".", "?", "!")) else "."
    return Diagnosis(diagnosis.code, f"{diagnosis.message}{stop} {COMMON}: {hint}")


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
    "timeout": (Code.TIMEOUT, "{function} {detail}"),  # the runner says which limit: CPU time or waiting
    "memory_limit": (Code.MEMORY_LIMIT, "{function} used more memory than allowed"),
    "crashed": (Code.CRASHED, "{function} crashed: {detail}"),
    "forbidden_operation": (Code.FORBIDDEN_OPERATION, "{function} tried something the grader forbids "
                            "(a network connection, a new process or writing outside its scratch space): {detail}"),
    "output_limit": (Code.OUTPUT_LIMIT, "{function} produced too much output: {detail}"),
    "not_run": (Code.TIMEOUT, "{function} was not run: {detail}"),
}

# The same, when it happened while the file itself was loaded (code at module level,
# outside any function): the blame goes to the file, never to a function it may not define.
LOAD_MESSAGES: dict[str, tuple[Code, str]] = {
    "timeout": (Code.TIMEOUT, "loading your file was stopped before any of its functions could be called: "
                "it {detail}. Code at module level (outside any function) runs when the file is loaded: an "
                "infinite loop or a long computation there?"),
    "memory_limit": (Code.MEMORY_LIMIT, "your file used more memory than allowed while it was loaded, before "
                     "any of its functions could be called (code at module level, outside any function)"),
    "crashed": (Code.CRASHED, "your file crashed while it was loaded, before any of its functions could be "
                "called: {detail}"),
    "forbidden_operation": (Code.FORBIDDEN_OPERATION, "your file tried something the grader forbids while it was "
                            "loaded (a network connection, a new process or writing outside its scratch space), "
                            "before any of its functions could be called: {detail}"),
    "output_limit": (Code.OUTPUT_LIMIT, "your file produced too much output while it was loaded: {detail}"),
}
