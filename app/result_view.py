"""A graded submission's result document shaped for the student's pages: per problem and per
check, the visible trials with inputs, expected and received values side by side, the worst
entry, the relative error against the tolerance and a heat map of |S - R|; hidden trials as
pass or fail and the kind of mistake only; what the student printed, capped."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.charts import HeatMap, heat_map
from graders.finite_difference import relative_error

OUTPUT_CAP = 8 * 1024  # characters of printed output shown on a page


def to_array(value: Any) -> np.ndarray:
    """A JSON value of the result document as float64 ("nan", "inf" and "-inf" spelled as strings)."""
    def number(v: Any) -> Any:
        if isinstance(v, list):
            return [number(x) for x in v]
        if isinstance(v, str):
            return float(v) if v in ("nan", "inf", "-inf") else math.nan
        if v is None or isinstance(v, dict):
            return math.nan
        return float(v)
    return np.asarray(number(value), dtype=np.float64)


def as_rows(array: np.ndarray) -> list[list[float]]:
    """Rows for a matrix table: a scalar is 1 x 1 and a 1-D array a column."""
    if array.ndim == 0:
        return [[float(array)]]
    if array.ndim == 1:
        return [[float(v)] for v in array]
    if array.ndim > 2:
        array = array.reshape(array.shape[0], -1)
    return array.tolist()


def shape_text(array: np.ndarray) -> str:
    return "scalar" if array.ndim == 0 else "(" + ", ".join(map(str, array.shape)) + ("," if array.ndim == 1 else "") + ")"


@dataclass(frozen=True)
class Comparison:
    """One output of one trial: what was expected and what came back."""

    name: str
    expected: np.ndarray
    received: np.ndarray | None
    tolerance: float | None

    @property
    def same_shape(self) -> bool:
        return self.received is not None and self.received.shape == self.expected.shape

    @property
    def error(self) -> float | None:
        """Relative error of the whole tensor, as the checks compute it (NaN stays NaN)."""
        if not self.same_shape:
            return None
        with np.errstate(all="ignore"):
            return relative_error(self.received, self.expected)

    @property
    def within(self) -> bool:
        error, tolerance = self.error, self.tolerance
        return error is not None and tolerance is not None and error <= tolerance

    @property
    def difference(self) -> np.ndarray | None:
        if not self.same_shape:
            return None
        with np.errstate(all="ignore"):
            difference = np.abs(self.received - self.expected)
        return np.where(np.isnan(difference), np.inf, difference)

    @property
    def worst(self) -> tuple[int, int] | None:
        """(row, column) of the largest |S - R| in the rows of as_rows()."""
        difference = self.difference
        if difference is None or difference.size == 0:
            return None
        index = np.unravel_index(int(np.argmax(difference)), difference.shape)
        if difference.ndim == 0:
            return (0, 0)
        if difference.ndim == 1:
            return (int(index[0]), 0)
        return (int(index[0]), int(np.ravel_multi_index(index[1:], difference.shape[1:])))

    @property
    def worst_values(self) -> tuple[float, float] | None:
        spot = self.worst
        if spot is None or self.received is None:
            return None
        return as_rows(self.expected)[spot[0]][spot[1]], as_rows(self.received)[spot[0]][spot[1]]

    @property
    def heat(self) -> HeatMap | None:
        """|S - R| for a matrix answer (both sides over one), above the entries' share of the tolerance."""
        difference = self.difference
        if difference is None or difference.ndim != 2 or min(difference.shape) < 2:
            return None
        scale = float(np.max(np.abs(self.expected))) if self.expected.size else 1.0
        threshold = (self.tolerance or 1e-8) * max(scale, 1e-12)
        return heat_map(np.abs(self.received - self.expected), threshold)

    @property
    def transposed(self) -> bool:
        return (self.received is not None and not self.same_shape and self.received.ndim == 2
                and self.received.T.shape == self.expected.shape)

    @property
    def transposed_error(self) -> float | None:
        """The relative error of the received array transposed, when only its shape is turned."""
        if not self.transposed or self.received is None:
            return None
        with np.errstate(all="ignore"):
            return relative_error(self.received.T, self.expected)

    @property
    def transposed_within(self) -> bool:
        error, tolerance = self.transposed_error, self.tolerance
        return error is not None and tolerance is not None and error <= tolerance


@dataclass(frozen=True)
class TrialDetail:
    """A visible check with its inputs and its outputs compared."""

    name: str
    category: str
    passed: bool
    diagnosis: str | None
    message: str
    inputs: list[tuple[str, np.ndarray]]
    outputs: list[Comparison]


@dataclass
class ProblemView:
    id: str
    title: str
    function: str
    earned: float
    points: float
    status: str
    diagnosis: str | None
    checks: list[dict[str, Any]] = field(default_factory=list)  # rows for macros/results.html result_table
    details: list[TrialDetail] = field(default_factory=list)
    hidden_passed: int = 0
    hidden_total: int = 0
    hidden_kinds: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        if not self.hidden_total:
            return None
        return f"hidden trials: {self.hidden_passed} of {self.hidden_total} passed"


def check_status(check: Mapping[str, Any]) -> str:
    if check.get("passed"):
        return "pass"
    if check.get("category") == "stability" or check.get("diagnosis") == "not_finite":
        return "unstable" if check.get("diagnosis") == "not_finite" else "fail"
    if check.get("score", 0) and check.get("score", 0) < check.get("max_score", 0):
        return "partial"
    return "fail"


def problem_status(problem: Mapping[str, Any]) -> str:
    if problem.get("passed"):
        return "pass"
    return "partial" if problem.get("score", 0) > 0 else "fail"


def _detail(check: Mapping[str, Any], tolerance: float | None) -> TrialDetail:
    details = check.get("details") or {}
    inputs = [(name, to_array(value)) for name, value in (details.get("inputs") or {}).items()]
    expected = details.get("expected") or {}
    received = details.get("received") or {}
    outputs = [Comparison(name, to_array(value), to_array(received[name]) if name in received else None, tolerance)
               for name, value in expected.items()]
    return TrialDetail(check.get("name", ""), check.get("category", ""), bool(check.get("passed")),
                       check.get("diagnosis"), check.get("message", ""), inputs, outputs)


def problem_views(document: Mapping[str, Any], tolerances: Mapping[str, float]) -> list[ProblemView]:
    """The problems of a result document; `tolerances` by problem id (from the assignment file)."""
    views = []
    for problem in document.get("problems") or []:
        tolerance = tolerances.get(problem.get("id", ""))
        view = ProblemView(id=problem.get("id", ""), title=problem.get("title", ""), function=problem.get("function", ""),
                           earned=problem.get("score", 0.0), points=problem.get("max_score", 0.0),
                           status=problem_status(problem), diagnosis=problem.get("diagnosis"),
                           notes=list(problem.get("notes") or []))
        for check in problem.get("checks") or []:
            visible = check.get("visible", True)
            detail = _detail(check, tolerance) if visible and check.get("details") else None
            comparable = detail is not None and all(c.same_shape for c in detail.outputs)
            errors = [c.error for c in detail.outputs if c.error is not None] if comparable else []
            # A hidden trial shows pass or fail and the kind of mistake, nothing finer.
            status = check_status(check) if visible else ("pass" if check.get("passed") else "fail")
            row = {"name": check.get("name", ""), "status": status, "code": check.get("diagnosis"),
                   "message": check.get("message", ""), "hidden": not visible,
                   "error": max(errors, key=lambda e: (math.isnan(e), e)) if errors else None,
                   "tolerance": tolerance if errors else None}
            view.checks.append(row)
            if not visible:
                view.hidden_total += 1
                view.hidden_passed += bool(check.get("passed"))
                kind = check.get("diagnosis")
                if kind and kind not in view.hidden_kinds:
                    view.hidden_kinds.append(kind)
            elif detail is not None:
                view.details.append(detail)
        views.append(view)
    return views


def capped_output(document: Mapping[str, Any]) -> tuple[str, int]:
    """What the student printed, at most OUTPUT_CAP characters, and how many more there were."""
    text = str(document.get("output") or "")
    return text[:OUTPUT_CAP], max(0, len(text) - OUTPUT_CAP)
