"""The checks, in order: type, exact shape, all values finite, values.

Each trial's returned value goes through every stage it can; the stages are
then aggregated into the checks a student sees (one per stage, one value check
per trial, one for the stability trial).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graders.diagnosis import (
    JACOBIAN_LAYOUT,
    LAYOUT,
    LOAD_MESSAGES,
    RUN_MESSAGES,
    Code,
    Diagnosis,
    diagnose_finite,
    diagnose_shape,
    diagnose_values,
    matching_mistake,
    with_hint,
)
from graders.finite_difference import relative_error
from graders.harness import HarnessKind
from graders.import_policy import forbidden_message
from graders.problem import Derivative, Problem, Returns, Trial, TrialKind
from graders.runner import CallResult
from graders.wire import Opaque, with_article


def output_label(problem: Problem, name: str) -> str:
    if problem.harness is HarnessKind.TORCH_FUNCTION:
        return {"forward": "forward(x)", "backward": "the gradient from backward"}[name]
    if problem.derivative is Derivative.CUSTOM:
        return f"the value returned by {problem.function}"
    if problem.returns is Returns.ARRAY:
        return f"the value returned by {problem.function}"
    if problem.returns is Returns.DICT:
        return f'the entry "{name}"'
    return f"the derivative with respect to {name}"


def layout_words(problem: Problem) -> str:
    """The convention that fixes an answer's shape, in words that fit the problem: a
    list of iterates or a forward value has no "layout", its statement gives the shape."""
    if problem.harness is HarnessKind.TORCH_FUNCTION or problem.derivative is Derivative.CUSTOM:
        return ""
    return JACOBIAN_LAYOUT if problem.derivative is Derivative.JACOBIAN else LAYOUT


def _a(value: Any) -> str:
    """The type's name with its article: "a list", "an object"."""
    return with_article(_type_name(value))


def _type_name(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.type_name
    if isinstance(value, np.ndarray):
        return f"numpy array of shape {value.shape}"
    return {float: "float", list: "list", tuple: "tuple", dict: "dict", type(None): "None"}.get(type(value), type(value).__name__)


_REAL_KINDS = "fiu"  # floating, signed and unsigned integers: compared in float64
_KIND_NAMES = {"b": "booleans", "c": "complex numbers", "O": "Python objects", "U": "strings", "S": "bytes",
               "M": "dates", "m": "time spans", "V": "raw records"}


# The sandbox names a refused array's dtype (str(dtype)); words for the common ones.
_DTYPE_WORDS = (("complex", "complex numbers"), ("U", "strings"), ("S", "bytes"), ("object", "Python objects"),
                ("O", "Python objects"), ("datetime", "dates"), ("timedelta", "time spans"), ("V", "raw records"))


def _refused_dtype(label: str, what: str, dtype: np.dtype) -> str:
    kind = _KIND_NAMES.get(dtype.kind, str(dtype))
    return f"{label} is {what} of {kind} (dtype {dtype}): return real numbers (floats)"


_COMPLEX = re.compile(r"^complex(64|128|256)?$")


def _opaque_words(value: Opaque) -> str:
    """An item the wire could not carry as a number, in words: a complex number (cmath,
    or a numpy complex scalar) is the usual one."""
    if _COMPLEX.search(value.type_name):
        return f"a complex number ({value.type_name})"
    if value.type_name == "bool":
        return "a bool (True or False)"
    return f"a {value.type_name}"


def _odd_item(value: Any) -> Opaque | None:
    """The first item of a nested list or tuple that is not a number (an Opaque from the
    sandbox), so a list of complex numbers is named as such, not as a ragged list."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Opaque):
            return item
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
    return None


def _float64(array: np.ndarray) -> np.ndarray:
    """`array` in float64. A long double beyond float64's range becomes inf, which the
    finiteness check then reports; numpy would also warn, in the trusted process (an
    exception wherever warnings are errors), about a value the student chose."""
    with np.errstate(over="ignore", invalid="ignore"):
        return array.astype(np.float64)


def _as_array(value: Any, label: str, want: tuple[int, ...]) -> tuple[np.ndarray | None, str]:
    """A float64 array from what the student returned, or why it cannot be one.

    Any real floating or integer dtype is accepted, as an array, a numpy scalar or
    inside a list or tuple; booleans, complex numbers, strings and objects are not.
    """
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.kind not in _REAL_KINDS:
            what = "a numpy array" if isinstance(value, np.ndarray) else "a numpy scalar"
            return None, _refused_dtype(label, what, array.dtype)
        return _float64(array), ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return np.array(value, dtype=np.float64), ""
    if isinstance(value, (list, tuple)):
        kind = _type_name(value)
        try:
            array = np.array(value)
        except (ValueError, TypeError, OverflowError):
            return None, f"{label} is a {kind} that is not a rectangular array of numbers"
        if array.dtype.kind == "O":
            odd = _odd_item(value)
            if odd is not None:
                return None, f"{label} is a {kind} with {_opaque_words(odd)} in it: return real numbers (floats)"
            return None, f"{label} is a {kind} that is not a rectangular array of numbers"
        if array.dtype.kind not in _REAL_KINDS:
            return None, _refused_dtype(label, f"a {kind}", array.dtype)
        array = _float64(array)
        if array.ndim > len(want) and not (want == () and array.size == 1):  # [dx] or [[dx]] holds one number
            # (value, derivative) pairs and the like: several answers where one is expected.
            return None, (f"{label} is a {kind} of {len(value)} items that stack into shape {array.shape}; "
                          f"expected one array of shape {want}")
        return array, ""
    if value is None:
        return None, f"{label} is None: did you forget a `return`?"
    if isinstance(value, Opaque) and value.type_name.startswith("numpy array of dtype "):
        dtype = value.type_name.removeprefix("numpy array of dtype ")
        kind = next((name for marker, name in _DTYPE_WORDS if marker in dtype), "")
        what = f"a numpy array of {kind} (dtype {dtype})" if kind else f"a {value.type_name}"
        return None, f"{label} is {what}: return real numbers (floats)"
    if isinstance(value, (bool, np.bool_)) or isinstance(value, Opaque) and value.type_name == "bool":
        return None, f"{label} is a bool (True or False): return a number"
    if isinstance(value, Opaque) and _COMPLEX.search(value.type_name):
        return None, f"{label} is {_opaque_words(value)}: return real numbers (floats)"
    return None, f"{label} is {_a(value)}, not a numpy array"


def extract_outputs(problem: Problem, value: Any, expected: Mapping[str, np.ndarray],
                    precision: dict[str, np.dtype] | None = None) -> tuple[dict[str, np.ndarray], Diagnosis | None, list[str]]:
    """The type check: map the returned value onto the expected outputs. `precision`, when
    given, receives the dtype of each output returned in less than float64."""
    names = list(expected)
    notes: list[str] = []
    raw: dict[str, Any]
    what = f"{problem.function} returned"
    if problem.harness is HarnessKind.TORCH_FUNCTION or problem.returns is Returns.DICT:
        if not isinstance(value, dict):
            return {}, Diagnosis(Code.WRONG_TYPE, f"{what} {_a(value)}; expected a dict with keys "
                                 + ", ".join(f'"{n}"' for n in names)), notes
        missing = [n for n in names if n not in value]
        if missing:
            return {}, Diagnosis(Code.WRONG_TYPE, f"{what} a dict without the key(s) "
                                 + ", ".join(f'"{n}"' for n in missing)), notes
        extra = sorted(set(value) - set(names))
        if extra:
            notes.append(_ignored_keys(extra))
        raw = {n: value[n] for n in names}
    elif problem.returns is Returns.TUPLE:
        all_scalar = all(expected[n].shape == () for n in names)
        if all_scalar and isinstance(value, (list, tuple)) and len(value) != len(names):
            value = _nested_numbers(value, len(names)) or value
        if isinstance(value, np.ndarray) and all_scalar and value.ndim >= 1 and max(value.shape) == value.size == len(names):
            # One array of the numbers, of any real dtype: flat, or the notes' column (or a row)
            # of partial derivatives. Each item is then a numpy scalar.
            value = list(np.asarray(value).reshape(-1))
        if not isinstance(value, (tuple, list)):
            return {}, Diagnosis(Code.WRONG_TYPE, f"{what} {_a(value)}; expected a tuple of "
                                 f"{len(names)} values ({', '.join(names)})"), notes
        if len(value) != len(names):
            return {}, Diagnosis(Code.WRONG_TYPE, f"{what} {len(value)} values; expected {len(names)} "
                                 f"({', '.join(names)}, in that order)"), notes
        raw = dict(zip(names, value, strict=True))
    else:
        raw = {names[0]: value}
    outputs: dict[str, np.ndarray] = {}
    for name in names:
        label = output_label(problem, name)
        array, problem_text = _as_array(raw[name], label, expected[name].shape)
        if array is None:
            return {}, Diagnosis(Code.WRONG_TYPE, problem_text), notes
        if expected[name].shape == () and array.size == 1:
            array = array.reshape(())  # the course notes write a scalar as a [1x1] matrix
        original = raw[name]
        if isinstance(original, (np.ndarray, np.generic)) and original.dtype.kind == "f" and original.dtype.itemsize < 8:
            notes.append(f"{label} is {original.dtype}: compute in float64 for full precision")
            if precision is not None:
                precision[name] = original.dtype
        outputs[name] = array
    return outputs, None, notes


def _nested_numbers(value: list | tuple, count: int) -> list | None:
    """The `count` numbers of a nested list that numpy reads as one row or column of them
    ([[dx, dz]], the notes' row of partial derivatives as a list), or None."""
    try:
        array = np.array(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if array.dtype.kind not in _REAL_KINDS or array.ndim < 1 or not max(array.shape) == array.size == count:
        return None
    return list(array.reshape(-1))


SHOWN_KEYS, KEY_CHARS = 5, 40  # the keys come from the sandbox: a few, each cut short


def _ignored_keys(extra: list[str]) -> str:
    shown = [repr(key if len(key) <= KEY_CHARS else key[:KEY_CHARS] + "...") for key in extra[:SHOWN_KEYS]]
    more = f" and {len(extra) - SHOWN_KEYS} more" if len(extra) > SHOWN_KEYS else ""
    return "ignored extra keys: " + ", ".join(shown) + more


# Idioms that numpy no longer allows, as a student meets them (written against an older numpy).
_NUMPY_CHANGES = (
    ("only 0-dimensional arrays can be converted to Python scalars",
     "float() and int() of an array with more than 0 dimensions, such as the (1, 1) result of "
     "w.T @ x, are errors in numpy 2.4 and later: take the number out with .item() (or [0, 0])"),
)


def _exception_hint(message: str) -> str:
    hints = [hint for marker, hint in _NUMPY_CHANGES if marker in message]
    return "".join(f"\n{hint}" for hint in hints)


def run_diagnosis(problem: Problem, call: CallResult, call_timeout: float, allowed: frozenset[str]) -> Diagnosis | None:
    """Diagnosis for a call that did not return a value at all."""
    status = call.status
    if status == "ok":
        return None
    if status == "exception":
        if call.extra.get("phase") == "load":
            return Diagnosis(Code.EXCEPTION, "your file raised an exception while it was loaded, before any "
                             f"of its functions could be called:\n{call.message}".rstrip())
        return Diagnosis(Code.EXCEPTION, f"{problem.function} raised an exception:\n{call.message}".rstrip()
                         + _exception_hint(call.message or ""))
    if status == "syntax_error":
        return Diagnosis(Code.SYNTAX_ERROR, f"your file has a syntax error:\n{call.message}".rstrip())
    if status == "forbidden_import":
        return Diagnosis(Code.FORBIDDEN_IMPORT, _forbidden_at_run_time(problem, call, allowed))
    if status == "wrong_type":
        return Diagnosis(Code.WRONG_TYPE, call.message or f"{problem.function} returned something that is not an array")
    if call.extra.get("phase") == "load" and status in LOAD_MESSAGES:
        code, template = LOAD_MESSAGES[status]
        if status == "timeout":  # which limit, without the runner's own question
            return Diagnosis(code, template.format(function=problem.function,
                                                   detail=(call.message or "ran too long").split(":")[0]))
    else:
        code, template = RUN_MESSAGES.get(status, (Code.CRASHED, "{function} failed: {detail}"))
        if status == "not_run" and call.extra.get("cause") in RUN_MESSAGES:
            code = RUN_MESSAGES[call.extra["cause"]][0]  # what stopped the job, not a timeout of its own
    return Diagnosis(code, template.format(function=problem.function, timeout=call_timeout, detail=call.message or status))


_MODULE_NAME = re.compile(r"\.*[A-Za-z_][A-Za-z0-9_]{0,60}")
_LINE = re.compile(r"line (\d{1,7})")


def _forbidden_at_run_time(problem: Problem, call: CallResult, allowed: frozenset[str]) -> str:
    """The harness reports the module and the line of the use; both come from the
    sandbox, so only a plain module name and a line number are believed."""
    module = str(call.extra.get("module") or "")
    module = module if _MODULE_NAME.fullmatch(module) else "?"
    line = _LINE.fullmatch(call.message or "")
    at = f" on line {line.group(1)}" if line else ""
    if call.extra.get("phase") == "load":
        where = f": your file uses it while it is loaded{at}"
    else:
        where = f": `{problem.function}` uses it{at} while it is graded"
    return forbidden_message(module, allowed, where, "using")


@dataclass
class TrialOutcome:
    """Everything the checks need to know about one trial."""

    trial: Trial
    failure: Diagnosis | None = None  # did not run, or the wrong type
    failed_stage: str = ""  # "run" or "type" when failure is set
    shapes: dict[str, Diagnosis | None] = field(default_factory=dict)
    finite: dict[str, Diagnosis | None] = field(default_factory=dict)
    values: dict[str, Diagnosis | None] = field(default_factory=dict)
    errors: dict[str, float] = field(default_factory=dict)
    received: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    precision: dict[str, np.dtype] = field(default_factory=dict)  # outputs returned in less than float64

    def output_ok(self, name: str) -> bool:
        return self.failure is None and self.shapes.get(name) is None and self.finite.get(name) is None \
            and name in self.values and self.values[name] is None

    def first_problem(self, names: list[str]) -> Diagnosis | None:
        if self.failure is not None:
            return self.failure
        for stage in (self.shapes, self.finite, self.values):
            for name in names:
                if stage.get(name) is not None:
                    return stage[name]
        return None


def evaluate_trial(
    problem: Problem,
    trial: Trial,
    call: CallResult,
    expected: Mapping[str, np.ndarray],
    *,
    tolerance: float,
    call_timeout: float,
    allowed: frozenset[str],
    mistakes: Mapping[str, Mapping[str, tuple[str, np.ndarray]]],
    scale_names: Mapping[str, float],
) -> TrialOutcome:
    outcome = TrialOutcome(trial, extra=dict(call.extra))
    failure = run_diagnosis(problem, call, call_timeout, allowed)
    if failure is not None:
        outcome.failure, outcome.failed_stage = failure, "run"
        return outcome
    precision: dict[str, np.dtype] = {}
    outputs, failure, notes = extract_outputs(problem, call.value, expected, precision)
    outcome.notes, outcome.precision = notes, precision
    if failure is not None:
        outcome.failure, outcome.failed_stage = failure, "type"
        return outcome
    outcome.received = outputs
    stability = trial.kind is TrialKind.STABILITY
    hints: dict[str, str | None] = {}
    for name, want in expected.items():
        got = outputs[name]
        label = output_label(problem, name)
        hint = hints[name] = matching_mistake(got, mistakes.get(name, {}), tolerance)
        outcome.shapes[name] = _hinted(diagnose_shape(label, got, want.shape, layout_words(problem)), hint)
        outcome.finite[name] = _hinted(diagnose_finite(label, got, stability), hint)
        if outcome.shapes[name] is not None or outcome.finite[name] is not None:
            continue
        error, diagnosis = diagnose_values(
            label, got, want, tolerance,
            jacobian=problem.derivative is Derivative.JACOBIAN,
            scale_names=scale_names,
            visible=trial.visible,
            stability=stability,
            layout=layout_words(problem),
        )
        outcome.errors[name] = error
        if name in precision and diagnosis is not None and diagnosis.code is Code.WRONG_VALUE:
            diagnosis = _blame_precision(diagnosis, precision[name], error)
        outcome.values[name] = _hinted(diagnosis, hint)
    _name_swaps(problem, outcome, outputs, expected, tolerance, hints)
    return outcome


ROUND_OFF_LIKE = 1e-2  # a larger error is a wrong formula, whatever the dtype


def _blame_precision(diagnosis: Diagnosis, dtype: np.dtype, error: float) -> Diagnosis:
    """A small error in an answer computed in float16 (or float32) is its round-off: say so,
    or the student hunts for a mistake in a right formula."""
    if not error <= ROUND_OFF_LIKE:
        return diagnosis
    digits = int(np.finfo(dtype).precision)
    return Diagnosis(diagnosis.code, f"{diagnosis.message}. It is {dtype}, which keeps only about {digits} "
                     "significant digits: compute in float64")


def _name_swaps(problem: Problem, outcome: TrialOutcome, outputs: Mapping[str, np.ndarray],
                expected: Mapping[str, np.ndarray], tolerance: float, hints: Mapping[str, str | None]) -> None:
    """Two outputs that are each other's right value were returned in each other's place."""
    wrong = [name for name, diagnosis in outcome.values.items()
             if diagnosis is not None and diagnosis.code is Code.WRONG_VALUE]
    for index, first in enumerate(wrong):
        for second in wrong[index + 1:]:
            # A catalogued mistake that explains both outputs says it in the problem's own words;
            # one that fits a single output by coincidence (dL/dw = dL/db when x is dropped) does not.
            if hints.get(first) is not None and hints.get(first) == hints.get(second):
                continue
            a, b = outputs[first], outputs[second]
            if a.shape != expected[second].shape or b.shape != expected[first].shape:
                continue
            if relative_error(a, expected[second]) <= tolerance and relative_error(b, expected[first]) <= tolerance:
                order = ", ".join(expected)
                words = (f"{output_label(problem, first)} and {output_label(problem, second)} look swapped: each "
                         f"is the other's right value (return them in the order {order})")
                outcome.values[first] = outcome.values[second] = Diagnosis(Code.WRONG_VALUE, words)
                return


def _hinted(diagnosis: Diagnosis | None, hint: str | None) -> Diagnosis | None:
    return with_hint(diagnosis, hint) if diagnosis is not None else None
